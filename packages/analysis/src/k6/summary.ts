import { ExitCode, MlperfError } from '@mlperf/core';
import type { SummaryAggregates } from '../model.js';

type Values = Record<string, number>;
interface MetricEntry {
  type?: string;
  values: Values;
  thresholds: { expression: string; ok: boolean }[];
}

/** Normalises both k6 summary shapes: `--summary-export` (flat values, thresholds true = failed) and the `handleSummary` object. */
export function summaryMetrics(
  json: unknown,
  origin: string,
): { metrics: Map<string, MetricEntry>; durationS?: number; shape: 'summary-export' | 'handle-summary' } {
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof (json as { metrics?: unknown }).metrics !== 'object'
  ) {
    throw new MlperfError('K6_SUMMARY_INVALID', `${origin}: not a k6 summary (no "metrics" object)`, {
      hint: 'pass the file written by `k6 run --summary-export=<file>` or the JSON your handleSummary() returned',
      exitCode: ExitCode.badInput,
    });
  }
  const raw = (json as { metrics: Record<string, Record<string, unknown>> }).metrics;
  const state = (json as { state?: { testRunDurationMs?: number } }).state;
  const handle = Object.values(raw).some((m) => typeof m?.values === 'object');
  const metrics = new Map<string, MetricEntry>();
  for (const [name, m] of Object.entries(raw)) {
    if (typeof m !== 'object' || m === null) continue;
    const values =
      (handle
        ? (m.values as Values)
        : (Object.fromEntries(Object.entries(m).filter(([, v]) => typeof v === 'number')) as Values)) ?? {};
    const th = (m.thresholds ?? {}) as Record<string, boolean | { ok: boolean }>;
    const thresholds = Object.entries(th).map(([expression, v]) => ({
      expression,
      ok: typeof v === 'boolean' ? !v : Boolean(v.ok),
    }));
    metrics.set(name, { ...(typeof m.type === 'string' ? { type: m.type } : {}), values, thresholds });
  }
  const it = metrics.get('iterations')?.values;
  const durationS =
    state?.testRunDurationMs !== undefined
      ? state.testRunDurationMs / 1000
      : it?.count && it.rate
        ? it.count / it.rate
        : undefined;
  return {
    metrics,
    ...(durationS !== undefined ? { durationS } : {}),
    shape: handle ? 'handle-summary' : 'summary-export',
  };
}

const E2E = /(^|_)(e2e|transfer)(_|$).*duration|duration.*(e2e|transfer)/;
const SUCCESS = /(^|_)(transfer_)?success/;

/** The aggregates the analyzer needs, from a k6 summary. Latency from the transfer trend, else http_req_duration. */
export function summaryAggregates(
  json: unknown,
  origin: string,
): {
  agg: SummaryAggregates;
  thresholds: { metric: string; expression: string; ok: boolean }[];
  shape: string;
  notes: string[];
} {
  const { metrics, durationS, shape } = summaryMetrics(json, origin);
  const notes: string[] = [];
  const names = [...metrics.keys()];
  const e2eName = names.find((n) => !n.includes('{') && E2E.test(n)) ?? 'http_req_duration';
  const successName = names.find((n) => !n.includes('{') && SUCCESS.test(n) && n !== 'http_req_failed');
  const iterations = metrics.get('iterations')?.values.count ?? metrics.get('http_reqs')?.values.count ?? 0;
  let succeeded: number;
  let failed: number;
  if (successName) {
    const v = metrics.get(successName)?.values ?? {};
    succeeded = v.passes ?? 0;
    failed = v.fails ?? 0;
  } else if (metrics.has('http_req_failed')) {
    const v = metrics.get('http_req_failed')?.values ?? {};
    failed = v.passes ?? 0;
    succeeded = v.fails ?? 0;
    notes.push('success taken from http_req_failed (no transfer success Rate metric)');
  } else {
    succeeded = iterations;
    failed = 0;
    notes.push('no success metric in the summary: every iteration counted as a success');
  }
  const t = metrics.get(e2eName)?.values;
  if (!durationS) notes.push('test duration unknown: iterations has no rate');
  const duration = durationS ?? 0;
  const agg: SummaryAggregates = {
    durationS: Math.round(duration * 1000) / 1000,
    started: iterations,
    succeeded,
    failed,
    dropped: metrics.get('dropped_iterations')?.values.count ?? 0,
    achievedTps: duration > 0 ? succeeded / duration : 0,
    errorsByType: failed ? { unclassified: failed } : {},
  };
  if (t) {
    agg.latency = { source: e2eName };
    const map: [keyof NonNullable<SummaryAggregates['latency']>, string][] = [
      ['p50', 'med'],
      ['p90', 'p(90)'],
      ['p95', 'p(95)'],
      ['p99', 'p(99)'],
      ['max', 'max'],
    ];
    for (const [k, src] of map)
      if (typeof t[src] === 'number') (agg.latency as Record<string, unknown>)[k] = t[src];
    if (agg.latency.p99 === undefined)
      notes.push(`${e2eName} has no p(99): add 'p(99)' to summaryTrendStats`);
  }
  const thresholds = [...metrics.entries()].flatMap(([metric, m]) =>
    m.thresholds.map((x) => ({ metric, ...x })),
  );
  return { agg, thresholds, shape, notes };
}
