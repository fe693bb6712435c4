import { MlperfError } from '../errors.js';
import { formatPromDuration, toSeconds } from './duration.js';

/**
 * Typed PromQL builders. Each value knows its PromQL type, so `rate(selector('x'))` (an instant
 * vector where a range is needed) does not compile, and names, labels and durations are checked
 * when built: what these produce always parses and type-checks.
 */
export class Scalar {
  readonly type = 'scalar' as const;
  /** `compound`: a binary expression, parenthesized when it becomes an operand. */
  constructor(
    readonly promql: string,
    readonly compound = false,
  ) {}
  toString(): string {
    return this.promql;
  }
}

export class InstantVector {
  readonly type = 'vector' as const;
  constructor(
    readonly promql: string,
    readonly compound = false,
  ) {}
  toString(): string {
    return this.promql;
  }
}

export class RangeVector {
  readonly type = 'matrix' as const;
  constructor(readonly promql: string) {}
  toString(): string {
    return this.promql;
  }
}

/** A metric selector: an instant vector that can also become a range. */
export class Selector extends InstantVector {
  constructor(
    readonly base: string,
    private readonly offsetText = '',
  ) {
    super(`${base}${offsetText}`);
  }
  /** `x[5m]` (keeping any offset after the range: `x[5m] offset 1h`). */
  range(duration: string | number): RangeVector {
    return new RangeVector(`${this.base}[${durationText(duration)}]${this.offsetText}`);
  }
  /** `x offset 1h`. */
  offset(duration: string | number): Selector {
    return new Selector(this.base, ` offset ${durationText(duration)}`);
  }
}

export type Operand = InstantVector | Scalar | number;
export type MatcherValue = string | { op: '=' | '!=' | '=~' | '!~'; value: string };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function bad(what: string, value: unknown, hint: string): never {
  throw new MlperfError('PROMQL_BUILDER', `${what} is not valid in PromQL: ${JSON.stringify(value)}`, {
    hint,
  });
}

function durationText(d: string | number): string {
  return formatPromDuration(toSeconds(d, 'range'));
}

function label(name: string): string {
  if (!LABEL_NAME.test(name)) bad('label name', name, 'label names match [a-zA-Z_][a-zA-Z0-9_]*');
  return name;
}

/** A PromQL double-quoted string literal. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** `name{label="value", other=~"re"}`. */
export function selector(name: string, matchers: Record<string, MatcherValue> = {}): Selector {
  if (!METRIC_NAME.test(name)) bad('metric name', name, 'metric names match [a-zA-Z_:][a-zA-Z0-9_:]*');
  const parts = Object.entries(matchers).map(([l, m]) => {
    const { op, value } = typeof m === 'string' ? { op: '=', value: m } : m;
    if (op === '=~' || op === '!~') {
      try {
        new RegExp(value);
      } catch {
        bad(`regular expression for ${l}`, value, 'use an RE2 regular expression');
      }
    }
    return `${label(l)}${op}${quote(value)}`;
  });
  return new Selector(parts.length ? `${name}{${parts.join(', ')}}` : name);
}

function operand(x: Operand): string {
  if (typeof x === 'number') {
    if (Number.isNaN(x)) return 'NaN';
    if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
    return String(x);
  }
  return x.compound ? `(${x.promql})` : x.promql;
}

const call = (fn: string, ...args: string[]) => `${fn}(${args.join(', ')})`;

export const rate = (r: RangeVector): InstantVector => new InstantVector(call('rate', r.promql));
export const irate = (r: RangeVector): InstantVector => new InstantVector(call('irate', r.promql));
export const increase = (r: RangeVector): InstantVector => new InstantVector(call('increase', r.promql));
export const deriv = (r: RangeVector): InstantVector => new InstantVector(call('deriv', r.promql));
export const delta = (r: RangeVector): InstantVector => new InstantVector(call('delta', r.promql));
export const avgOverTime = (r: RangeVector): InstantVector =>
  new InstantVector(call('avg_over_time', r.promql));
export const maxOverTime = (r: RangeVector): InstantVector =>
  new InstantVector(call('max_over_time', r.promql));
export const clampMin = (v: InstantVector, min: number): InstantVector =>
  new InstantVector(call('clamp_min', v.promql, operand(min)));
export const vector = (s: number | Scalar): InstantVector => new InstantVector(call('vector', operand(s)));
export const scalar = (v: InstantVector): Scalar => new Scalar(call('scalar', v.promql));

/** histogram_quantile(phi, buckets); phi must be in 0..1. */
export function histogramQuantile(phi: number, buckets: InstantVector): InstantVector {
  if (!(phi >= 0 && phi <= 1)) bad('quantile', phi, 'use a fraction between 0 and 1, e.g. 0.95');
  return new InstantVector(call('histogram_quantile', String(phi), buckets.promql));
}

type AggregationOp = 'sum' | 'avg' | 'min' | 'max' | 'count' | 'group' | 'stddev' | 'stdvar';

function aggregate(
  op: AggregationOp,
  v: InstantVector,
  grouping?: { by?: string[]; without?: string[] },
): InstantVector {
  const clause = grouping?.by
    ? ` by (${grouping.by.map(label).join(', ')})`
    : grouping?.without
      ? ` without (${grouping.without.map(label).join(', ')})`
      : '';
  return new InstantVector(`${op}${clause} (${v.promql})`);
}

export const sum = (v: InstantVector) => aggregate('sum', v);
export const sumBy = (labels: string[], v: InstantVector) => aggregate('sum', v, { by: labels });
export const sumWithout = (labels: string[], v: InstantVector) => aggregate('sum', v, { without: labels });
export const avgBy = (labels: string[], v: InstantVector) => aggregate('avg', v, { by: labels });
export const maxBy = (labels: string[], v: InstantVector) => aggregate('max', v, { by: labels });
export const minBy = (labels: string[], v: InstantVector) => aggregate('min', v, { by: labels });
export const countBy = (labels: string[], v: InstantVector) => aggregate('count', v, { by: labels });
export const max = (v: InstantVector) => aggregate('max', v);
export const min = (v: InstantVector) => aggregate('min', v);
export const avg = (v: InstantVector) => aggregate('avg', v);
export const count = (v: InstantVector) => aggregate('count', v);

/** topk(k, v). */
export function topk(k: number, v: InstantVector): InstantVector {
  if (!Number.isInteger(k) || k < 1) bad('topk k', k, 'use a positive integer');
  return new InstantVector(`topk(${k}, ${v.promql})`);
}

export interface Matching {
  on?: string[];
  ignoring?: string[];
  groupLeft?: string[];
  groupRight?: string[];
}

type ArithOp = '+' | '-' | '*' | '/' | '%' | '^';

function matchingClause(m: Matching | undefined): string {
  if (!m) return '';
  let out = m.on
    ? ` on (${m.on.map(label).join(', ')})`
    : m.ignoring
      ? ` ignoring (${m.ignoring.map(label).join(', ')})`
      : '';
  if ((m.groupLeft || m.groupRight) && !out) out = ' on ()';
  if (m.groupLeft) out += ` group_left (${m.groupLeft.map(label).join(', ')})`;
  else if (m.groupRight) out += ` group_right (${m.groupRight.map(label).join(', ')})`;
  return out;
}

function binary(op: ArithOp, a: Operand, b: Operand, m?: Matching): InstantVector | Scalar {
  const bothScalar = !(a instanceof InstantVector) && !(b instanceof InstantVector);
  if (m && bothScalar) bad('vector matching', m, 'on/ignoring need instant vectors on both sides');
  const text = `${operand(a)} ${op}${matchingClause(m)} ${operand(b)}`;
  return bothScalar ? new Scalar(text, true) : new InstantVector(text, true);
}

/** Arithmetic: vector op vector|scalar gives a vector. */
export function div(a: InstantVector, b: Operand, m?: Matching): InstantVector;
export function div(a: Operand, b: InstantVector, m?: Matching): InstantVector;
export function div(a: Operand, b: Operand, m?: Matching): InstantVector | Scalar {
  return binary('/', a, b, m);
}
export function mul(a: InstantVector, b: Operand, m?: Matching): InstantVector;
export function mul(a: Operand, b: InstantVector, m?: Matching): InstantVector;
export function mul(a: Operand, b: Operand, m?: Matching): InstantVector | Scalar {
  return binary('*', a, b, m);
}
export function add(a: InstantVector, b: Operand, m?: Matching): InstantVector;
export function add(a: Operand, b: InstantVector, m?: Matching): InstantVector;
export function add(a: Operand, b: Operand, m?: Matching): InstantVector | Scalar {
  return binary('+', a, b, m);
}
export function sub(a: InstantVector, b: Operand, m?: Matching): InstantVector;
export function sub(a: Operand, b: InstantVector, m?: Matching): InstantVector;
export function sub(a: Operand, b: Operand, m?: Matching): InstantVector | Scalar {
  return binary('-', a, b, m);
}

/** `a or b` (set union, both instant vectors). */
export const or = (a: InstantVector, b: InstantVector): InstantVector =>
  new InstantVector(`${operand(a)} or ${operand(b)}`, true);

/** Filters: `v > 0` keeps the elements above the threshold. */
export function filter(
  v: InstantVector,
  op: '>' | '<' | '>=' | '<=' | '==' | '!=',
  threshold: number,
): InstantVector {
  return new InstantVector(`${operand(v)} ${op} ${operand(threshold)}`, true);
}
