import type { ValueType } from './types.js';

/**
 * PromQL function signatures, after Prometheus' own table (promql/parser/functions.go).
 * `optional`: how many trailing arguments may be left out; -1: the last argument may be left out
 * or repeated without bound (Prometheus' `Variadic: -1`).
 * `since`: first Prometheus version that knows the function (when newer than 2.0); `until`: the
 * first that no longer does. `experimental`: 3.x needs --enable-feature=promql-experimental-functions.
 */
export interface FunctionSignature {
  args: readonly ValueType[];
  optional: number;
  returns: ValueType;
  since?: string;
  until?: string;
  experimental?: boolean;
}

const v: ValueType = 'vector';
const m: ValueType = 'matrix';
const s: ValueType = 'scalar';
const str: ValueType = 'string';

const fn = (
  args: ValueType[],
  returns: ValueType,
  extra: Partial<FunctionSignature> = {},
): FunctionSignature => ({
  args,
  optional: 0,
  returns,
  ...extra,
});

const mathV = fn([v], v);
const overTime = fn([m], v);
const dateFn = fn([v], v, { optional: 1 });

export const FUNCTIONS: Readonly<Record<string, FunctionSignature>> = {
  abs: mathV,
  absent: mathV,
  absent_over_time: overTime,
  acos: fn([v], v, { since: '2.26' }),
  acosh: fn([v], v, { since: '2.26' }),
  asin: fn([v], v, { since: '2.26' }),
  asinh: fn([v], v, { since: '2.26' }),
  atan: fn([v], v, { since: '2.26' }),
  atanh: fn([v], v, { since: '2.26' }),
  avg_over_time: overTime,
  ceil: mathV,
  changes: overTime,
  clamp: fn([v, s, s], v, { since: '2.26' }),
  clamp_max: fn([v, s], v),
  clamp_min: fn([v, s], v),
  cos: fn([v], v, { since: '2.26' }),
  cosh: fn([v], v, { since: '2.26' }),
  count_over_time: overTime,
  day_of_month: dateFn,
  day_of_week: dateFn,
  day_of_year: fn([v], v, { optional: 1, since: '2.39' }),
  days_in_month: dateFn,
  deg: fn([v], v, { since: '2.26' }),
  delta: overTime,
  deriv: overTime,
  double_exponential_smoothing: fn([m, s, s], v, { since: '3.0', experimental: true }),
  exp: mathV,
  first_over_time: fn([m], v, { since: '3.7', experimental: true }),
  floor: mathV,
  histogram_avg: fn([v], v, { since: '3.0' }),
  histogram_count: fn([v], v, { since: '2.40', experimental: true }),
  histogram_fraction: fn([s, s, v], v, { since: '2.40', experimental: true }),
  histogram_quantile: fn([s, v], v),
  histogram_stddev: fn([v], v, { since: '2.47', experimental: true }),
  histogram_stdvar: fn([v], v, { since: '2.47', experimental: true }),
  histogram_sum: fn([v], v, { since: '2.40', experimental: true }),
  holt_winters: fn([m, s, s], v, { until: '3.0' }),
  hour: dateFn,
  idelta: overTime,
  increase: overTime,
  info: fn([v, v], v, { optional: 1, since: '3.0', experimental: true }),
  irate: overTime,
  label_join: fn([v, str, str, str], v, { optional: -1 }),
  label_replace: fn([v, str, str, str, str], v),
  last_over_time: fn([m], v, { since: '2.26' }),
  ln: mathV,
  log10: mathV,
  log2: mathV,
  mad_over_time: fn([m], v, { since: '2.50', experimental: true }),
  max_over_time: overTime,
  min_over_time: overTime,
  minute: dateFn,
  month: dateFn,
  pi: fn([], s, { since: '2.26' }),
  predict_linear: fn([m, s], v),
  present_over_time: fn([m], v, { since: '2.29' }),
  quantile_over_time: fn([s, m], v),
  rad: fn([v], v, { since: '2.26' }),
  rate: overTime,
  resets: overTime,
  round: fn([v, s], v, { optional: 1 }),
  scalar: fn([v], s),
  sgn: fn([v], v, { since: '2.26' }),
  sin: fn([v], v, { since: '2.26' }),
  sinh: fn([v], v, { since: '2.26' }),
  sort: mathV,
  sort_by_label: fn([v, str], v, { optional: -1, since: '2.48', experimental: true }),
  sort_by_label_desc: fn([v, str], v, { optional: -1, since: '2.48', experimental: true }),
  sort_desc: mathV,
  sqrt: mathV,
  stddev_over_time: overTime,
  stdvar_over_time: overTime,
  sum_over_time: overTime,
  tan: fn([v], v, { since: '2.26' }),
  tanh: fn([v], v, { since: '2.26' }),
  time: fn([], s),
  timestamp: mathV,
  ts_of_first_over_time: fn([m], v, { since: '3.7', experimental: true }),
  ts_of_last_over_time: fn([m], v, { since: '3.7', experimental: true }),
  ts_of_max_over_time: fn([m], v, { since: '3.7', experimental: true }),
  ts_of_min_over_time: fn([m], v, { since: '3.7', experimental: true }),
  vector: fn([s], v),
  year: dateFn,
};

/** Aggregation operators and the type of their parameter, if they take one. */
export const AGGREGATIONS: Readonly<Record<string, ValueType | undefined>> = {
  sum: undefined,
  min: undefined,
  max: undefined,
  avg: undefined,
  group: undefined,
  stddev: undefined,
  stdvar: undefined,
  count: undefined,
  count_values: str,
  bottomk: s,
  topk: s,
  quantile: s,
  limitk: s,
  limit_ratio: s,
};

/** Functions that need at least two samples in their range (the range rule uses these). */
export const TWO_SAMPLE_FUNCTIONS: ReadonlySet<string> = new Set([
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'predict_linear',
]);

/** Functions meant for counters only. */
export const COUNTER_FUNCTIONS: ReadonlySet<string> = new Set(['rate', 'irate', 'increase', 'resets']);

/** The known function closest to `name` (edit distance), for "did you mean" hints. */
export function closestName(name: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const candidate of names) {
    const d =
      editDistance(name.toLowerCase(), candidate) - (candidate.startsWith(name.toLowerCase()) ? 0.5 : 0);
    if (d < bestD) {
      bestD = d;
      best = candidate;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
