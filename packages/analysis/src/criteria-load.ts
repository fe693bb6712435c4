import type { CriterionResult, TimeWindow } from '@mlperf/core';
import { type CriteriaContext, inconclusive, pct, r2, result } from './criteria-result.js';
import { offeredOf, type WindowAggregate } from './series.js';

/** Why a rate criterion cannot be judged on input that counts transfers but not how they ended. */
const NO_OUTCOMES = 'the input has no transfer outcomes (a k6 summary without http_req_failed)';

type Win = { window?: TimeWindow };

/** Succeeded transfers per second of the window against the planned rate, held for the planned time. */
export function achievedRate(minRatio: number, ctx: CriteriaContext, win: Win): CriterionResult {
  const planned = ctx.plannedTps;
  const agg = ctx.agg;
  const label = `Achieved ${planned ?? '?'}+ TPS (>= ${pct(minRatio)} of planned) for the duration`;
  if (!planned || !agg || agg.seconds === 0 || agg.outcomesUnknown || Number.isNaN(agg.achievedTps))
    return inconclusive(
      'achieved-rate',
      label,
      !planned
        ? 'the planned rate is unknown'
        : agg?.outcomesUnknown || Number.isNaN(agg?.achievedTps)
          ? NO_OUTCOMES
          : 'no steady-state seconds to measure',
    );
  const threshold = minRatio * planned;
  const held = ctx.steady ? ctx.steady.seconds / Math.max(1, ctx.steady.plannedSeconds) : 1;
  const ok = agg.achievedTps >= threshold && held >= 0.9;
  const detail =
    held < 0.9
      ? `ran ${ctx.steady?.seconds} s of the planned ${ctx.steady?.plannedSeconds} s steady state (run ${ctx.data.status})`
      : `${r2(agg.achievedTps)} TPS succeeded over ${agg.seconds} s of steady state (${r2(offeredOf(agg) / agg.seconds)} arrivals/s offered${dropNote(agg)})`;
  return result(
    {
      id: 'achieved-rate',
      label,
      status: ok ? 'pass' : 'fail',
      value: r2(agg.achievedTps),
      unit: 'TPS',
      threshold,
      comparator: '>=',
      ...win,
      detail,
    },
    'tps',
    ctx,
  );
}

const dropNote = (agg: WindowAggregate) =>
  agg.dropped > 0 ? `, ${agg.dropped} dropped by the generator before sending` : '';

/** Succeeded transfers against offered arrivals: a dropped arrival counts as not succeeded. */
export function successRate(min: number, ctx: CriteriaContext, win: Win): CriterionResult {
  const label = `Success rate > ${pct(min)}`;
  const agg = ctx.agg;
  const offered = agg ? offeredOf(agg) : 0;
  if (!agg || offered === 0) return inconclusive('success-rate', label, 'no arrivals offered in the window');
  if (agg.outcomesUnknown) return inconclusive('success-rate', label, NO_OUTCOMES);
  const rate = agg.succeeded / offered;
  return result(
    {
      id: 'success-rate',
      label,
      status: rate > min ? 'pass' : 'fail',
      value: rate,
      unit: 'ratio',
      threshold: min,
      comparator: '>',
      ...win,
      detail: `${agg.succeeded} of ${offered} offered arrivals succeeded (${agg.failed} failed${dropNote(agg)})`,
    },
    'success-rate',
    ctx,
  );
}

/**
 * Failed among finished transfers (the hub's errors). Dropped arrivals were never sent: when they
 * could turn a pass into a fail (had they all failed), the criterion is inconclusive.
 */
export function errorRate(max: number, ctx: CriteriaContext, win: Win): CriterionResult {
  const label = `Error rate < ${pct(max)}`;
  const agg = ctx.agg;
  const finished = agg ? agg.succeeded + agg.failed : 0;
  if (!agg || finished === 0) return inconclusive('error-rate', label, 'no finished transfers in the window');
  if (agg.outcomesUnknown) return inconclusive('error-rate', label, NO_OUTCOMES);
  const rate = agg.failed / finished;
  const worst = (agg.failed + agg.dropped) / (finished + agg.dropped);
  const status = rate >= max ? 'fail' : worst >= max ? 'inconclusive' : 'pass';
  const detail =
    status === 'inconclusive'
      ? `${agg.failed} failed of ${finished} finished, but ${agg.dropped} arrivals were dropped by the generator and never sent: had they failed the error rate would be ${pct(worst)}`
      : `${agg.failed} failed of ${finished} finished${dropNote(agg)}`;
  return result(
    {
      id: 'error-rate',
      label,
      status,
      value: rate,
      unit: 'ratio',
      threshold: max,
      comparator: '<',
      ...win,
      detail,
    },
    'error-rate',
    ctx,
  );
}

/**
 * End-to-end latency from the intended start. Dropped arrivals have no latency: when they are more
 * than the share above the percentile (5% for p95), a passing percentile is inconclusive.
 */
export function latency(percentile: number, maxMs: number, ctx: CriteriaContext, win: Win): CriterionResult {
  const id = `latency-p${percentile}`;
  const label = `P${percentile} latency < ${maxMs}ms`;
  const agg = ctx.agg;
  const lat = agg?.latency;
  const key = `p${percentile}` as 'p50' | 'p90' | 'p95' | 'p99';
  const v = lat?.[key];
  if (!agg || v === undefined || !Number.isFinite(v))
    return inconclusive(
      id,
      label,
      v === undefined
        ? 'no latency recorded in the window'
        : `the input has no p${percentile} (k6 summaryTrendStats)`,
    );
  const offered = offeredOf(agg);
  const droppedShare = offered > 0 ? agg.dropped / offered : 0;
  const unsure = v < maxMs && droppedShare > 1 - percentile / 100;
  const how = lat?.method === 'hdr' ? 'merged HDR histograms' : 'approximated from per-second summaries';
  return result(
    {
      id,
      label,
      status: v >= maxMs ? 'fail' : unsure ? 'inconclusive' : 'pass',
      value: r2(v),
      unit: 'ms',
      threshold: maxMs,
      comparator: '<',
      ...win,
      detail: unsure
        ? `p${percentile} ${r2(v)} ms of ${lat?.count} sent transfers, but ${pct(droppedShare)} of the arrivals were dropped by the generator and have no latency`
        : `end-to-end p${percentile} of ${lat?.count} transfers (${how})`,
    },
    percentile === 95 ? 'p95-latency' : undefined,
    ctx,
  );
}
