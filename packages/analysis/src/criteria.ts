import type { Band, BandMetric, CriterionResult, TestCriterion, TimeWindow, TrendResult } from '@mlperf/core';
import { classify } from './bands.js';
import type { RunData } from './model.js';
import type { WindowAggregate } from './series.js';
import type { Signals } from './signals.js';
import { restartCount } from './signals.js';
import { subjectOf, values } from './metrics.js';
import { mean } from './stats/basic.js';
import type { SteadyState } from './steady-state.js';

export interface CriteriaContext {
  data: RunData;
  steady?: SteadyState;
  /** Aggregate over the steady window (or the whole run for summary-only inputs). */
  agg?: WindowAggregate;
  /** Whole-run totals (for `transfers`). */
  totalSucceeded: number;
  signals: Signals;
  memoryTrends: TrendResult[];
  plannedTps?: number;
}

const pct = (x: number) => `${Math.round(x * 10000) / 100}%`;
const r2 = (x: number) => Math.round(x * 100) / 100;

function result(
  c: Omit<CriterionResult, 'band'>,
  metric?: BandMetric,
  ctx?: CriteriaContext,
): CriterionResult {
  if (metric && c.value !== undefined && ctx) {
    const band: Band | undefined = classify(metric, c.value, {
      ...(ctx.plannedTps ? { plannedTps: ctx.plannedTps } : {}),
      ...(ctx.data.bands ? { bands: ctx.data.bands } : {}),
    });
    if (band) return { ...c, band };
  }
  return c;
}

function unknown(id: string, label: string, detail: string): CriterionResult {
  return { id, label, status: 'unknown', detail };
}

/** Evaluates one test criterion. Missing data is `unknown`, never `pass`. */
export function evaluateCriterion(c: TestCriterion, ctx: CriteriaContext): CriterionResult {
  const w: TimeWindow | undefined = ctx.steady ? { start: ctx.steady.start, end: ctx.steady.end } : undefined;
  const win = w ? { window: w } : {};
  const agg = ctx.agg;
  switch (c.kind) {
    case 'achieved-rate': {
      const planned = ctx.plannedTps;
      const label = `Achieved ${planned ?? '?'}+ TPS (>= ${pct(c.minRatio)} of planned) for the duration`;
      if (!planned || !agg || agg.seconds === 0 || Number.isNaN(agg.achievedTps))
        return unknown(
          'achieved-rate',
          label,
          !planned
            ? 'the planned rate is unknown'
            : agg && Number.isNaN(agg.achievedTps)
              ? 'the input has no transfer outcomes'
              : 'no steady-state seconds to measure',
        );
      const threshold = c.minRatio * planned;
      const held = ctx.steady ? ctx.steady.seconds / Math.max(1, ctx.steady.plannedSeconds) : 1;
      const ok = agg.achievedTps >= threshold && held >= 0.9;
      const detail =
        held < 0.9
          ? `ran ${ctx.steady?.seconds} s of the planned ${ctx.steady?.plannedSeconds} s steady state (run ${ctx.data.status})`
          : `${r2(agg.achievedTps)} TPS over ${agg.seconds} s of steady state`;
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
    case 'success-rate': {
      const label = `Success rate > ${pct(c.min)}`;
      if (agg?.successRate === undefined)
        return unknown('success-rate', label, 'no finished transfers in the window');
      return result(
        {
          id: 'success-rate',
          label,
          status: agg.successRate > c.min ? 'pass' : 'fail',
          value: agg.successRate,
          unit: 'ratio',
          threshold: c.min,
          comparator: '>',
          ...win,
          detail: `${agg.succeeded} of ${agg.succeeded + agg.failed} transfers succeeded`,
        },
        'success-rate',
        ctx,
      );
    }
    case 'error-rate': {
      const label = `Error rate < ${pct(c.max)}`;
      if (agg?.errorRate === undefined)
        return unknown('error-rate', label, 'no finished transfers in the window');
      return result(
        {
          id: 'error-rate',
          label,
          status: agg.errorRate < c.max ? 'pass' : 'fail',
          value: agg.errorRate,
          unit: 'ratio',
          threshold: c.max,
          comparator: '<',
          ...win,
          detail: `${agg.failed} failed of ${agg.succeeded + agg.failed}`,
        },
        'error-rate',
        ctx,
      );
    }
    case 'latency': {
      const id = `latency-p${c.percentile}`;
      const label = `P${c.percentile} latency < ${c.maxMs}ms`;
      const lat = agg?.latency;
      const key = `p${c.percentile}` as 'p50' | 'p90' | 'p95' | 'p99';
      const v = lat?.[key];
      if (v === undefined || Number.isNaN(v))
        return unknown(
          id,
          label,
          v === undefined ? 'no latency recorded in the window' : `the input has no p${c.percentile}`,
        );
      return result(
        {
          id,
          label,
          status: v < c.maxMs ? 'pass' : 'fail',
          value: r2(v),
          unit: 'ms',
          threshold: c.maxMs,
          comparator: '<',
          ...win,
          detail: `end-to-end p${c.percentile} of ${lat?.count} transfers (${lat?.method === 'hdr' ? 'merged HDR histograms' : 'approximated from per-second summaries'})`,
        },
        c.percentile === 95 ? 'p95-latency' : undefined,
        ctx,
      );
    }
    case 'cpu':
    case 'memory': {
      const series = c.kind === 'cpu' ? ctx.signals.cpuUsage : ctx.signals.memoryRatio;
      const label = `${c.kind === 'cpu' ? 'CPU' : 'Memory'} usage < ${pct(c.max)} on all services`;
      const usable = series.filter((s) => s.points.length > 0);
      if (usable.length === 0)
        return unknown(
          c.kind,
          label,
          `no ${c.kind === 'cpu' ? 'cpu_usage_ratio' : 'memory_working_set_ratio'} export in metrics/ (run with Prometheus)`,
        );
      const worst = usable.map((s) => ({ s, m: mean(values(s.points)) })).sort((a, b) => b.m - a.m)[0] as {
        s: (typeof usable)[number];
        m: number;
      };
      return result(
        {
          id: c.kind,
          label,
          status: worst.m < c.max ? 'pass' : 'fail',
          value: r2(worst.m * 10000) / 10000,
          unit: 'ratio',
          threshold: c.max,
          comparator: '<',
          ...win,
          detail: `highest: ${subjectOf(worst.s.labels)} averages ${pct(worst.m)} of its limit (${usable.length} series)`,
        },
        c.kind,
        ctx,
      );
    }
    case 'no-service-failures': {
      const label = 'No service failures';
      const up = ctx.signals.serviceUp.filter((s) => s.points.length > 0);
      const restarts = ctx.signals.restarts.filter((s) => s.points.length > 1);
      if (up.length === 0 && restarts.length === 0)
        return unknown(
          'no-service-failures',
          label,
          'no service_up or restart export in metrics/ (run with Prometheus)',
        );
      const down = up.filter((s) => s.points.some((p) => p[1] < 1)).map((s) => subjectOf(s.labels));
      const restarted = restarts.filter((s) => restartCount(s) > 0).map((s) => subjectOf(s.labels));
      const bad = [...new Set([...down, ...restarted])];
      return {
        id: 'no-service-failures',
        label,
        status: bad.length ? 'fail' : 'pass',
        value: bad.length,
        unit: 'services',
        threshold: 0,
        comparator: '<=',
        ...win,
        detail: bad.length
          ? `failed: ${bad.join(', ')}`
          : `${up.length + restarts.length} series, every service up, no restarts`,
      };
    }
    case 'no-memory-leak': {
      const label = 'No memory leaks';
      if (ctx.memoryTrends.length === 0)
        return unknown(
          'no-memory-leak',
          label,
          'no memory series in metrics/ (or fewer than 8 samples) to fit a trend',
        );
      const leaks = ctx.memoryTrends.filter(
        (t) =>
          t.significant &&
          t.slopePerHour > 0 &&
          (c.maxSlopeBytesPerHour === undefined || t.slopePerHour > c.maxSlopeBytesPerHour),
      );
      const worst = [...ctx.memoryTrends].sort((a, b) => b.slopePerHour - a.slopePerHour)[0] as TrendResult;
      return {
        id: 'no-memory-leak',
        label,
        status: leaks.length ? 'fail' : 'pass',
        value: r2(worst.slopePerHour),
        unit: `${worst.unit}/h`,
        ...(c.maxSlopeBytesPerHour !== undefined
          ? { threshold: c.maxSlopeBytesPerHour, comparator: '<=' as const }
          : {}),
        ...win,
        detail: leaks.length
          ? `significant growth in ${leaks.map((l) => l.subject).join(', ')} (Theil-Sen + Mann-Kendall)`
          : `no significant growth in ${ctx.memoryTrends.length} series (steepest ${worst.subject}, p = ${worst.pValue.toFixed(3)})`,
      };
    }
    case 'transfers': {
      const label = `Transactions >= ${c.min.toLocaleString('en-US')}`;
      if (ctx.data.timeseries.length === 0 && !ctx.data.summary)
        return unknown('transfers', label, 'no data');
      return {
        id: 'transfers',
        label,
        status: ctx.totalSucceeded >= c.min ? 'pass' : 'fail',
        value: ctx.totalSucceeded,
        unit: 'transfers',
        threshold: c.min,
        comparator: '>=',
        detail: `${ctx.totalSucceeded.toLocaleString('en-US')} transfers succeeded over the whole run`,
      };
    }
  }
}

/** Criteria used when the definition is unknown (k6 input): the seed's target-test checklist. */
export const SEED_TARGET_CRITERIA: TestCriterion[] = [
  { kind: 'achieved-rate', minRatio: 0.99 },
  { kind: 'success-rate', min: 0.995 },
  { kind: 'latency', percentile: 95, maxMs: 300 },
  { kind: 'latency', percentile: 99, maxMs: 500 },
  { kind: 'error-rate', max: 0.005 },
];
