import type { CriterionResult, StressAnalysis, TestCriterion, TimeWindow, TrendResult } from '@mlperf/core';
import { restartCount } from './signals.js';
import { subjectOf, values } from './metrics.js';
import { CLEAR_GROWTH, LEAK_WINDOW_MIN, shortWindowGrowth } from './endurance.js';
import { mean } from './stats/basic.js';
import { achievedRate, errorRate, latency, successRate } from './criteria-load.js';
import { type CriteriaContext, inconclusive, pct, r2, result } from './criteria-result.js';

export type { CriteriaContext } from './criteria-result.js';

/** Evaluates one test criterion. Missing data is `inconclusive`, never `pass`. */
export function evaluateCriterion(c: TestCriterion, ctx: CriteriaContext): CriterionResult {
  const w: TimeWindow | undefined = ctx.steady ? { start: ctx.steady.start, end: ctx.steady.end } : undefined;
  const win = w ? { window: w } : {};
  switch (c.kind) {
    case 'achieved-rate':
      return achievedRate(c.minRatio, ctx, win);
    case 'success-rate':
      return successRate(c.min, ctx, win);
    case 'error-rate':
      return errorRate(c.max, ctx, win);
    case 'latency':
      return latency(c.percentile, c.maxMs, ctx, win);
    case 'cpu':
    case 'memory': {
      const series = c.kind === 'cpu' ? ctx.signals.cpuUsage : ctx.signals.memoryRatio;
      const label = `${c.kind === 'cpu' ? 'CPU' : 'Memory'} usage < ${pct(c.max)} on all services`;
      const usable = series.filter((s) => s.points.length > 0);
      if (usable.length === 0)
        return inconclusive(
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
        return inconclusive(
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
        return inconclusive(
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
      const short = shortWindowGrowth(leaks, ctx.steady);
      if (short)
        return {
          ...inconclusive(
            'no-memory-leak',
            label,
            `${short.subject} grew ${Math.round(short.share * 100)}% of its level over a ${short.minutes} min window: too short to tell a leak from a warm-up or a backlog (a fail needs >= ${LEAK_WINDOW_MIN} min, or growth of >= ${Math.round(CLEAR_GROWTH * 100)}% within the window)`,
          ),
          value: r2(worst.slopePerHour),
          unit: `${worst.unit}/h`,
          ...win,
        };
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
        return inconclusive('transfers', label, 'no data');
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

/** Criteria used when the definition is unknown (k6 input): the Phase-07 plan's target-test checklist. */
export const TARGET_TEST_CRITERIA: TestCriterion[] = [
  { kind: 'achieved-rate', minRatio: 0.99 },
  { kind: 'success-rate', min: 0.995 },
  { kind: 'latency', percentile: 95, maxMs: 300 },
  { kind: 'latency', percentile: 99, maxMs: 500 },
  { kind: 'error-rate', max: 0.005 },
];

/** What a stress test without criteria of its own is judged on: its breaking point and recovery. */
export function stressCriteria(s: StressAnalysis): CriterionResult[] {
  const top = Math.max(0, ...s.curve.map((p) => p.offered));
  const out: CriterionResult[] = [
    s.breakingPointTps !== undefined
      ? {
          id: 'breaking-point',
          label: 'Breaking point identified',
          status: 'pass',
          value: s.breakingPointTps,
          unit: 'TPS',
          detail: `${s.breakingPointTps} TPS offered (first signal ${s.firstSignal})`,
        }
      : {
          id: 'breaking-point',
          label: 'Breaking point identified',
          status: 'inconclusive',
          detail: `the hub followed every offered rate up to ${Math.round(top)} TPS: no knee, error or latency limit`,
        },
  ];
  if (s.recovery)
    out.push({
      id: 'recovery',
      label: 'Recovered after the load dropped',
      status: s.recovery.recovered ? 'pass' : 'fail',
      ...(s.recovery.seconds !== undefined ? { value: s.recovery.seconds, unit: 's' } : {}),
      detail: s.recovery.detail,
    });
  return out;
}
