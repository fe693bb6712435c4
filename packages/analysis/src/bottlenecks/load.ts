import type { Finding, TimeseriesRecord } from '@mlperf/core';
import { bandOf } from '../bands.js';
import { aggregate, bins, failedCount, offeredOf } from '../series.js';
import { median, quantile } from '../stats/basic.js';
import { type Draft, draft, FIXES, round } from './fixes.js';
import type { RuleContext } from './rules.js';

const noLatency = () => undefined;

function topErrors(errors: Record<string, number>, n = 3): string {
  return Object.entries(errors)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} x${v}`)
    .join(', ');
}

/**
 * The load generator, not the hub, was the limit: it dropped arrivals (its in-flight cap, or it
 * fell behind its schedule) or missed the planned rate while the hub answered in time; or its CPU
 * was pegged or its arrivals were dispatched late (scheduling lag, dispatch delay).
 */
export function generatorRule(ctx: RuleContext): Draft[] {
  const recs = ctx.records;
  if (recs.length === 0) return [];
  const eng = recs
    .map((r) => r.engine)
    .filter((e): e is NonNullable<TimeseriesRecord['engine']> => e !== undefined);
  const agg = aggregate(recs, (r) => r.latency.dispatch);
  const dispatchP95 = agg.latency?.p95;
  const cpuP95 = eng.length
    ? quantile(
        eng.map((e) => e.cpu),
        0.95,
      )
    : undefined;
  const lagP95 = eng.length
    ? quantile(
        eng.map((e) => e.schedulingLagP99Ms),
        0.95,
      )
    : undefined;
  const offered = offeredOf(agg);
  const droppedRatio = offered > 0 ? agg.dropped / offered : 0;
  const shortfall = ctx.plannedTps ? agg.started / agg.seconds < 0.95 * ctx.plannedTps : false;
  const cpuHot = cpuP95 !== undefined && cpuP95 >= 0.9;
  const late = (lagP95 !== undefined && lagP95 >= 100) || (dispatchP95 !== undefined && dispatchP95 >= 100);
  // The hub answering slowly fills the in-flight cap too: then the hub is the limit.
  const serviceP95 = aggregate(recs, (r) => r.latency.service ?? r.latency.e2e).latency?.p95;
  const hubSlow = serviceP95 !== undefined && serviceP95 > bandOf('p95-latency', undefined).warning;
  const dropped = droppedRatio > 0.001;
  const missedLoad = dropped || shortfall;
  // Dropped with a fast hub, or short of the plan while pegged or late (fast hub), or pegged and late.
  const fires = (dropped && !hubSlow) || (missedLoad && (cpuHot || (late && !hubSlow))) || (late && cpuHot);
  if (!fires) return [];
  const values = [
    { label: 'dropped arrivals', value: agg.dropped },
    { label: 'dropped ratio', value: round(droppedRatio), unit: 'ratio' },
    ...(cpuP95 !== undefined ? [{ label: 'engine CPU p95', value: round(cpuP95, 3), unit: 'cores' }] : []),
    ...(lagP95 !== undefined ? [{ label: 'scheduling lag p95', value: round(lagP95, 1), unit: 'ms' }] : []),
    ...(dispatchP95 !== undefined
      ? [{ label: 'dispatch delay p95', value: round(dispatchP95, 1), unit: 'ms' }]
      : []),
    ...(serviceP95 !== undefined
      ? [{ label: 'hub service time p95', value: round(serviceP95, 1), unit: 'ms' }]
      : []),
  ];
  const why = [
    dropped ? `${agg.dropped} of ${offered} arrivals dropped (${round(droppedRatio * 100, 2)}%)` : undefined,
    shortfall && !dropped
      ? `started ${round(agg.started / agg.seconds, 1)} of ${ctx.plannedTps} TPS planned`
      : undefined,
    cpuHot ? `its CPU p95 at ${round(cpuP95 ?? 0, 2)} cores` : undefined,
    late
      ? `dispatch late (scheduling lag p95 ${round(lagP95 ?? 0, 1)} ms, dispatch delay p95 ${round(dispatchP95 ?? 0, 1)} ms)`
      : undefined,
    serviceP95 !== undefined && !hubSlow
      ? `while the hub answered in ${round(serviceP95, 1)} ms (p95)`
      : undefined,
  ].filter(Boolean);
  return [
    draft('generator-saturated', undefined, {
      subject: 'load-generator',
      title: 'Load generator saturated: the generator was the limit, not the hub',
      severity: 'critical',
      confidence: round(Math.min(0.95, 0.6 + (cpuHot ? 0.2 : 0) + (late ? 0.1 : 0) + (dropped ? 0.1 : 0)), 2),
      summary: `The generator could not offer the planned load: ${why.join(', ')}; the results understate the hub.`,
      evidence: [{ metric: 'timeseries.engine', window: ctx.window, values }],
      fix: FIXES.generator,
    }),
  ];
}

/** Error rate above its band over the window, or a burst of errors in one 10-second bin. */
export function errorRule(ctx: RuleContext, allRecords: readonly TimeseriesRecord[]): Draft[] {
  const agg = aggregate(ctx.records, noLatency);
  const out: Draft[] = [];
  if (agg.errorRate !== undefined && agg.errorRate > 0.01) {
    out.push(
      draft('error-spike', undefined, {
        subject: 'transfers',
        title: `Errors above band: ${round(agg.errorRate * 100, 2)}%`,
        severity: agg.errorRate > 0.05 ? 'critical' : 'warning',
        confidence: 0.6,
        summary: `${agg.failed} of ${agg.succeeded + agg.failed} transfers failed in the window (${topErrors(agg.errorsByType)}).`,
        evidence: [
          {
            metric: 'timeseries.failed',
            window: ctx.window,
            values: Object.entries(agg.errorsByType).map(([label, value]) => ({ label, value })),
          },
        ],
        fix: FIXES.errors,
      }),
    );
    return out;
  }
  const groups = bins(allRecords, 10).map((b) => {
    const s = b.reduce((a, r) => a + r.succeeded, 0);
    const f = b.reduce((a, r) => a + failedCount(r.failed), 0);
    return { b, rate: s + f > 0 ? f / (s + f) : 0, f };
  });
  const base = median(groups.map((g) => g.rate));
  const worst = groups.sort((a, b) => b.rate - a.rate)[0];
  if (worst && worst.rate > 0.01 && worst.rate > 5 * base && worst.f >= 5) {
    const w = aggregate(worst.b, noLatency);
    const first = worst.b[0] as TimeseriesRecord;
    out.push(
      draft('error-spike', undefined, {
        subject: 'transfers',
        title: `Error spike: ${round(worst.rate * 100, 1)}% for 10 s`,
        severity: worst.rate > 0.05 ? 'critical' : 'warning',
        confidence: 0.55,
        summary: `At s ${first.s} the error rate jumped to ${round(worst.rate * 100, 1)}% (run median ${round(base * 100, 2)}%): ${topErrors(w.errorsByType)}.`,
        evidence: [
          {
            metric: 'timeseries.failed',
            window: { start: first.t, end: first.t + worst.b.length * 1000 },
            values: Object.entries(w.errorsByType).map(([label, value]) => ({ label, value })),
          },
        ],
        fix: FIXES.errors,
      }),
    );
  }
  return out;
}

/** TPS below the planned rate, explained by the top-ranked cause (or why none can be named). */
export function plateauFinding(
  ctx: RuleContext,
  causes: readonly Finding[],
  hasMetrics: boolean,
): Draft | undefined {
  const planned = ctx.plannedTps;
  const achieved = ctx.achievedTps;
  if (!planned || achieved === undefined || achieved >= 0.95 * planned) return undefined;
  const top = causes.find((f) => f.kind !== 'error-spike') ?? causes[0];
  const agg = aggregate(ctx.records, noLatency);
  const inFlight = ctx.records.length
    ? quantile(
        ctx.records.map((r) => r.inFlight),
        0.95,
      )
    : 0;
  const why = top
    ? `Most likely cause: ${top.title} (${top.summary})`
    : hasMetrics
      ? 'No exported resource metric crossed its threshold; check the services the exports do not cover.'
      : 'No Prometheus exports in metrics/, so the cause cannot be named: re-run with Prometheus (mlperf run --prometheus) to find it.';
  const drops =
    agg.dropped > 0
      ? ` ${agg.dropped} arrivals were dropped at the in-flight cap (p95 in flight ${Math.round(inFlight)}).`
      : '';
  return draft('tps-plateau', undefined, {
    subject: 'throughput',
    title: `TPS plateaued at ${round(achieved, 1)} of ${planned} planned`,
    severity: achieved < 0.9 * planned ? 'critical' : 'warning',
    confidence: top ? top.confidence : 0.5,
    summary: `Achieved ${round(achieved, 1)} TPS against ${planned} offered (${Math.round((achieved / planned) * 100)}%).${drops} ${why}`,
    evidence: [
      {
        metric: 'timeseries',
        window: ctx.window,
        values: [
          { label: 'achieved', value: round(achieved, 2), unit: 'TPS' },
          { label: 'planned', value: planned, unit: 'TPS' },
          { label: 'dropped', value: agg.dropped },
        ],
      },
    ],
    ...(top?.fix ? { fix: top.fix } : {}),
  });
}
