import {
  CATALOGUE,
  type LiveValue,
  type PrometheusClient,
  type QueryWatch,
  watchQueries,
} from '@mlperf/core/promql';

/** The Phase-07 plan's "run these queries during testing", plus CPU and memory: what the live view shows. */
const LIVE_QUERY_NAMES = [
  'validation_actual_tps',
  'validation_success_rate',
  'validation_p95_latency_seconds',
  'cpu_usage_ratio',
  'memory_working_set_ratio',
] as const;

export const LIVE_QUERIES = LIVE_QUERY_NAMES.flatMap((name) => {
  const q = CATALOGUE.find((c) => c.name === name);
  return q ? [{ name: q.name, promql: q.promql, title: q.title, unit: q.unit }] : [];
});

/** Evaluates the live queries every 2 s (the Phase-07 plan's `watch -n 2`) and hands each round to `onUpdate`. */
export function watchKeyQueries(
  client: PrometheusClient,
  onUpdate: (values: LiveValue[]) => void,
): QueryWatch {
  return watchQueries({ client, queries: LIVE_QUERIES, intervalMs: 2000, onUpdate });
}

const num = (v: number, digits: number) =>
  v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** `prom: TPS 998  success 99.98%  p95 41 ms  cpu max 37%  mem max 29%`, or '' before the first answer. */
export function formatLiveQueries(values: readonly LiveValue[]): string {
  const parts: string[] = [];
  for (const v of values) {
    const all = v.series.length ? v.series.map((s) => s.value) : v.value !== undefined ? [v.value] : [];
    const finite = all.filter(Number.isFinite);
    if (finite.length === 0) continue;
    if (v.name === 'validation_actual_tps')
      parts.push(
        `TPS ${num(
          finite.reduce((a, b) => a + b, 0),
          0,
        )}`,
      );
    else if (v.name === 'validation_success_rate')
      // fulfils counted in the window may belong to prepares before it: the ratio can pass 1 for a while
      parts.push(`success ${num(Math.min(1, ...finite) * 100, 2)}%`);
    else if (v.name === 'validation_p95_latency_seconds')
      parts.push(`p95 ${num(Math.max(...finite) * 1000, 0)} ms`);
    else if (v.name === 'cpu_usage_ratio') parts.push(`cpu max ${num(Math.max(...finite) * 100, 0)}%`);
    else if (v.name === 'memory_working_set_ratio')
      parts.push(`mem max ${num(Math.max(...finite) * 100, 0)}%`);
  }
  return parts.length ? `prom: ${parts.join('  ')}` : '';
}
