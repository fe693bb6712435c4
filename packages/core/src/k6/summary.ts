import { ExitCode, MlperfError } from '../errors.js';
import type { K6ThresholdResult } from './thresholds.js';

type Values = Record<string, number>;
interface MetricEntry {
  type?: string;
  values: Values;
  thresholds: { expression: string; ok: boolean }[];
}

/** What a k6 end-of-test summary says about the run. Undefined = not in the summary (unknown). */
export interface K6SummaryImport {
  shape: 'summary-export' | 'handle-summary';
  durationS?: number;
  started: number;
  dropped: number;
  /** Undefined when the summary has no outcome metric (no success Rate, no http_req_failed). */
  succeeded?: number;
  failed?: number;
  errorsByType: Record<string, number>;
  latency?: { source: string; p50?: number; p90?: number; p95?: number; p99?: number; max?: number };
  thresholds: K6ThresholdResult[];
  checks?: { passes: number; fails: number };
  vusMax?: number;
  notes: string[];
}

const E2E = /(^|_)(e2e|transfer)(_|$).*duration|duration.*(e2e|transfer)/;
const SUCCESS = /(^|_)(transfer_)?success/;

function invalid(origin: string): MlperfError {
  return new MlperfError('K6_SUMMARY_INVALID', `${origin}: not a k6 summary (no "metrics" object)`, {
    hint: 'pass the file written by `k6 run --summary-export=<file>` or the JSON your handleSummary() returned',
    exitCode: ExitCode.badInput,
  });
}

/** Both shapes: `--summary-export` (flat values, threshold true = FAILED) and the handleSummary object. */
function metricsOf(json: unknown, origin: string): { metrics: Map<string, MetricEntry>; handle: boolean } {
  const raw = (json as { metrics?: unknown } | null)?.metrics;
  if (typeof raw !== 'object' || raw === null) throw invalid(origin);
  const entries = Object.entries(raw as Record<string, Record<string, unknown> | null>);
  const handle = entries.some(([, m]) => typeof m?.values === 'object');
  const metrics = new Map<string, MetricEntry>();
  for (const [name, m] of entries) {
    if (typeof m !== 'object' || m === null) continue;
    const source = handle ? ((m.values as Record<string, unknown> | undefined) ?? {}) : m;
    const values = Object.fromEntries(
      Object.entries(source).filter(([, v]) => typeof v === 'number'),
    ) as Values;
    const th = (typeof m.thresholds === 'object' && m.thresholds ? m.thresholds : {}) as Record<
      string,
      unknown
    >;
    const thresholds = Object.entries(th).map(([expression, v]) => ({
      expression,
      ok: typeof v === 'boolean' ? !v : Boolean((v as { ok?: boolean } | null)?.ok),
    }));
    metrics.set(name, { ...(typeof m.type === 'string' ? { type: m.type } : {}), values, thresholds });
  }
  return { metrics, handle };
}

const base = (n: string) => !n.includes('{');

/** Outcomes: the transfer success Rate, else http_req_failed, else unknown. */
function outcomes(metrics: Map<string, MetricEntry>, notes: string[]) {
  const successName = [...metrics.keys()].find((n) => base(n) && SUCCESS.test(n) && n !== 'http_req_failed');
  if (successName) {
    const v = metrics.get(successName)?.values ?? {};
    return { succeeded: v.passes ?? 0, failed: v.fails ?? 0 };
  }
  const hf = metrics.get('http_req_failed')?.values;
  if (hf) {
    notes.push('success taken from http_req_failed (no transfer success Rate metric)');
    return { succeeded: hf.fails ?? 0, failed: hf.passes ?? 0 };
  }
  notes.push('no outcome metric in the summary (no success Rate, no http_req_failed): success rate unknown');
  return {};
}

const STATS: ['p50' | 'p90' | 'p95' | 'p99' | 'max', string][] = [
  ['p50', 'med'],
  ['p90', 'p(90)'],
  ['p95', 'p(95)'],
  ['p99', 'p(99)'],
  ['max', 'max'],
];

/** Reads a k6 summary (either shape). Statistics it does not have stay undefined. */
export function readK6Summary(json: unknown, origin: string): K6SummaryImport {
  const { metrics, handle } = metricsOf(json, origin);
  const notes: string[] = [];
  const names = [...metrics.keys()];
  const it = metrics.get('iterations')?.values;
  const stateMs = (json as { state?: { testRunDurationMs?: unknown } }).state?.testRunDurationMs;
  const durationS =
    typeof stateMs === 'number' ? stateMs / 1000 : it?.count && it.rate ? it.count / it.rate : undefined;
  if (durationS === undefined)
    notes.push('test duration unknown (no state.testRunDurationMs, iterations has no rate)');
  const o = outcomes(metrics, notes);
  const out: K6SummaryImport = {
    shape: handle ? 'handle-summary' : 'summary-export',
    ...(durationS !== undefined ? { durationS: Math.round(durationS * 1000) / 1000 } : {}),
    started: it?.count ?? metrics.get('http_reqs')?.values.count ?? 0,
    dropped: metrics.get('dropped_iterations')?.values.count ?? 0,
    ...o,
    errorsByType: o.failed ? { unclassified: o.failed } : {},
    thresholds: [...metrics.entries()].flatMap(([metric, m]) =>
      m.thresholds.map((t) => ({ metric, expression: t.expression, ok: t.ok })),
    ),
    notes,
  };
  const checks = metrics.get('checks')?.values;
  if (checks) out.checks = { passes: checks.passes ?? 0, fails: checks.fails ?? 0 };
  const vusMax = metrics.get('vus_max')?.values;
  if (vusMax) out.vusMax = vusMax.max ?? vusMax.value ?? 0;
  const e2eName = names.find((n) => base(n) && E2E.test(n)) ?? 'http_req_duration';
  const t = metrics.get(e2eName)?.values;
  if (t) {
    const latency: NonNullable<K6SummaryImport['latency']> = { source: e2eName };
    for (const [k, src] of STATS) {
      const v = t[src];
      if (typeof v === 'number') latency[k] = v;
    }
    out.latency = latency;
    for (const [k, src] of STATS)
      if (latency[k] === undefined) notes.push(`${e2eName} has no ${src}: add '${src}' to summaryTrendStats`);
  }
  return out;
}
