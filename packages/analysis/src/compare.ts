import type { TimeseriesRecord } from '@mlperf/core';
import { isResultsDirectory, readResults } from '@mlperf/core';
import { k6NdjsonData, k6SummaryData, detectK6Input } from './k6/index.js';
import type { RunData } from './model.js';
import { runDataOf } from './run.js';
import { aggregate, bins, inWindow } from './series.js';
import { steadyState } from './steady-state.js';
import { mannWhitney } from './stats/tests.js';

export interface MetricComparison {
  metric: 'achieved-tps' | 'success-rate' | 'error-rate' | 'latency-p50' | 'latency-p95' | 'latency-p99';
  unit: string;
  better: 'higher' | 'lower';
  a?: number;
  b?: number;
  /** b - a */
  delta?: number;
  /** (b - a) / a */
  deltaRatio?: number;
  /** Mann-Whitney U over the steady state's 10-second blocks; undefined without per-second data. */
  pValue?: number;
  significant: boolean;
  /** Significantly worse in B by more than the minimum effect. */
  regression: boolean;
  detail: string;
}

export interface ComparisonResult {
  a: { origin: string; runId: string; testId: string };
  b: { origin: string; runId: string; testId: string };
  alpha: number;
  minEffect: number;
  metrics: MetricComparison[];
  regressions: string[];
  /** `inconclusive`: no metric was measured in both runs (a side without data). */
  verdict: 'regression' | 'no-regression' | 'inconclusive';
}

export interface CompareOptions {
  /** Significance level (default 0.01). */
  alpha?: number;
  /** Smallest relative change that counts (default 0.05 = 5%). */
  minEffect?: number;
  /** Block length in seconds for the test (default 10). */
  blockS?: number;
}

/** Loads any supported input: an mlperf results directory, k6 NDJSON(.gz), or a k6 summary. */
async function loadRun(path: string): Promise<RunData> {
  if (isResultsDirectory(path)) return runDataOf(readResults(path));
  return detectK6Input(path) === 'ndjson' ? k6NdjsonData(path) : k6SummaryData(path);
}

interface Blocks {
  tps: number[];
  success: number[];
  error: number[];
  p50: number[];
  p95: number[];
  p99: number[];
  whole: ReturnType<typeof aggregate> | undefined;
}

function blocksOf(d: RunData, blockS: number): Blocks {
  const steady = d.test?.kind === 'stress' ? undefined : steadyState(d);
  const recs: TimeseriesRecord[] = steady ? inWindow(d.timeseries, steady) : d.timeseries;
  const out: Blocks = {
    tps: [],
    success: [],
    error: [],
    p50: [],
    p95: [],
    p99: [],
    whole: recs.length ? aggregate(recs) : undefined,
  };
  for (const b of bins(recs, blockS)) {
    if (b.length < blockS / 2) continue;
    const a = aggregate(b);
    out.tps.push(a.achievedTps);
    if (a.successRate !== undefined) out.success.push(a.successRate);
    if (a.errorRate !== undefined) out.error.push(a.errorRate);
    if (a.latency) {
      out.p50.push(a.latency.p50);
      out.p95.push(a.latency.p95);
      out.p99.push(a.latency.p99);
    }
  }
  return out;
}

function summaryValue(d: RunData, m: MetricComparison['metric']): number | undefined {
  const s = d.summary;
  if (!s) return undefined;
  const fin = s.succeeded + s.failed;
  switch (m) {
    case 'achieved-tps':
      return s.achievedTps;
    case 'success-rate':
      return fin + s.dropped ? s.succeeded / (fin + s.dropped) : undefined;
    case 'error-rate':
      return fin ? s.failed / fin : undefined;
    case 'latency-p50':
      return s.latency?.p50;
    case 'latency-p95':
      return s.latency?.p95;
    case 'latency-p99':
      return s.latency?.p99;
  }
}

/** Per-metric deltas between run A (baseline) and run B (candidate), with a significance test. */
export async function compareRuns(
  pathA: string,
  pathB: string,
  opts: CompareOptions = {},
): Promise<ComparisonResult> {
  const [a, b] = await Promise.all([loadRun(pathA), loadRun(pathB)]);
  return compareData(a, b, opts);
}

function compareData(a: RunData, b: RunData, opts: CompareOptions = {}): ComparisonResult {
  const alpha = opts.alpha ?? 0.01;
  const minEffect = opts.minEffect ?? 0.05;
  const blockS = opts.blockS ?? 10;
  const ba = blocksOf(a, blockS);
  const bb = blocksOf(b, blockS);
  const defs: {
    metric: MetricComparison['metric'];
    unit: string;
    better: 'higher' | 'lower';
    key: keyof Omit<Blocks, 'whole'>;
    whole: (x: Blocks) => number | undefined;
  }[] = [
    { metric: 'achieved-tps', unit: 'TPS', better: 'higher', key: 'tps', whole: (x) => x.whole?.achievedTps },
    {
      metric: 'success-rate',
      unit: 'ratio',
      better: 'higher',
      key: 'success',
      whole: (x) => x.whole?.successRate,
    },
    { metric: 'error-rate', unit: 'ratio', better: 'lower', key: 'error', whole: (x) => x.whole?.errorRate },
    { metric: 'latency-p50', unit: 'ms', better: 'lower', key: 'p50', whole: (x) => x.whole?.latency?.p50 },
    { metric: 'latency-p95', unit: 'ms', better: 'lower', key: 'p95', whole: (x) => x.whole?.latency?.p95 },
    { metric: 'latency-p99', unit: 'ms', better: 'lower', key: 'p99', whole: (x) => x.whole?.latency?.p99 },
  ];
  const metrics = defs.map((d): MetricComparison => {
    const va = d.whole(ba) ?? summaryValue(a, d.metric);
    const vb = d.whole(bb) ?? summaryValue(b, d.metric);
    if (va === undefined || vb === undefined)
      return {
        metric: d.metric,
        unit: d.unit,
        better: d.better,
        significant: false,
        regression: false,
        detail: 'not measured in both runs',
      };
    const delta = vb - va;
    const ratio = va !== 0 ? delta / Math.abs(va) : delta === 0 ? 0 : Number.POSITIVE_INFINITY;
    const xa = ba[d.key];
    const xb = bb[d.key];
    const enough = xa.length >= 3 && xb.length >= 3;
    const test = enough ? mannWhitney(xa, xb) : undefined;
    const significant = test !== undefined && test.pValue < alpha;
    const worse = d.better === 'higher' ? delta < 0 : delta > 0;
    // Rates near 0 or 1 move in absolute terms: 0.1% more errors is a 5% "change" of nothing.
    const bigEnough =
      d.unit === 'ratio'
        ? Math.abs(delta) >= 0.001 && (d.metric !== 'error-rate' || Math.abs(ratio) >= minEffect)
        : Math.abs(ratio) >= minEffect;
    const regression = significant && worse && bigEnough;
    const detail = test
      ? `Mann-Whitney over ${xa.length} vs ${xb.length} ${blockS}-s blocks: p = ${test.pValue.toExponential(2)}`
      : 'no per-second data in both runs: deltas only, no significance test';
    const out: MetricComparison = {
      metric: d.metric,
      unit: d.unit,
      better: d.better,
      a: va,
      b: vb,
      delta,
      deltaRatio: ratio,
      significant,
      regression,
      detail,
    };
    if (test) out.pValue = test.pValue;
    return out;
  });
  const regressions = metrics.filter((m) => m.regression).map((m) => m.metric);
  return {
    a: { origin: a.origin, runId: a.runId, testId: a.testId },
    b: { origin: b.origin, runId: b.runId, testId: b.testId },
    alpha,
    minEffect,
    metrics,
    regressions,
    verdict: regressions.length
      ? 'regression'
      : metrics.some((m) => m.a !== undefined && m.b !== undefined)
        ? 'no-regression'
        : 'inconclusive',
  };
}
