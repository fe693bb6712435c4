import { isMlperfError } from '../errors.js';
import type { InstantSample, Labels, PrometheusClient } from './client.js';

export interface WatchedQuery {
  name: string;
  promql: string;
  title?: string;
  unit?: string;
}

/** The latest value of one watched query. */
export interface LiveValue {
  name: string;
  title: string;
  unit: string;
  /** Unix seconds of the evaluation. */
  at: number;
  /** The value when the query returned exactly one series (or a scalar). */
  value?: number;
  series: { labels: Labels; value: number }[];
  /** Why there is no value (Prometheus down, query error). */
  error?: string;
  warnings: string[];
}

export interface WatchOptions {
  client: PrometheusClient;
  queries: readonly WatchedQuery[];
  /** Default 2000 ms (the Phase-07 plan's `watch -n 2`). */
  intervalMs?: number;
  onUpdate?: (values: LiveValue[]) => void;
}

export interface QueryWatch {
  latest(): LiveValue[];
  stop(): Promise<void>;
}

async function sample(client: PrometheusClient, q: WatchedQuery): Promise<LiveValue> {
  const base = { name: q.name, title: q.title ?? q.name, unit: q.unit ?? '', at: Date.now() / 1000 };
  try {
    const res = await client.query(q.promql);
    const warnings = [...res.warnings, ...res.infos];
    if (res.data.resultType === 'scalar') {
      return { ...base, value: Number(res.data.result[1]), series: [], warnings };
    }
    if (res.data.resultType !== 'vector')
      return { ...base, series: [], error: `unexpected ${res.data.resultType} result`, warnings };
    const series = (res.data.result as InstantSample[]).map((s) => ({
      labels: s.metric,
      value: Number(s.value[1]),
    }));
    const only = series.length === 1 ? series[0] : undefined;
    return only ? { ...base, value: only.value, series, warnings } : { ...base, series, warnings };
  } catch (err) {
    return {
      ...base,
      series: [],
      error: isMlperfError(err) ? `${err.code}: ${err.message}` : String(err),
      warnings: [],
    };
  }
}

/**
 * Evaluates the queries every `intervalMs` (never overlapping) for the live view. Errors become
 * `error` on the value, so a Prometheus that dies mid-run does not stop the run.
 */
export function watchQueries(options: WatchOptions): QueryWatch {
  let latest: LiveValue[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = () => {
    current = (async () => {
      const values = await Promise.all(options.queries.map((q) => sample(options.client, q)));
      if (stopped) return;
      latest = values;
      options.onUpdate?.(values);
      timer = setTimeout(tick, options.intervalMs ?? 2000);
    })();
  };
  tick();
  return {
    latest: () => latest,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
