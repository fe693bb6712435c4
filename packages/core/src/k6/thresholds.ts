import * as hdr from 'hdr-histogram-js';

/** A k6 threshold and whether it held: `ok` undefined when it could not be judged from the data. */
export interface K6ThresholdResult {
  /** Metric or submetric (`transfer_success{corridor:a->b}`). */
  metric: string;
  expression: string;
  ok: boolean | undefined;
  /** The value compared, when known. */
  value?: number;
  /** Why `ok` is undefined. */
  reason?: string;
}

type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** Whole-run aggregate of one (sub)metric that carries thresholds. */
export class ThresholdAggregate {
  /** Tag filters of a submetric: `[key, value]` pairs a point's tags must hold. */
  readonly filters: [string, string][];
  count = 0;
  sum = 0;
  passes = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  last = 0;
  private hist: hdr.Histogram | undefined;

  constructor(
    readonly metric: string,
    readonly type: MetricType,
    readonly expressions: string[],
    tags: Record<string, string>,
  ) {
    this.filters = Object.entries(tags);
    if (type === 'trend') this.hist = hdr.build({ bitBucketSize: 32, highestTrackableValue: 3_600_000_000 });
  }

  /** Whether a point with these tags belongs to this (sub)metric. */
  matches(tag: (key: string) => string | undefined): boolean {
    for (const [k, v] of this.filters) if (tag(k) !== v) return false;
    return true;
  }

  add(value: number): void {
    this.count++;
    this.sum += value;
    this.last = value;
    if (value !== 0) this.passes++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.hist?.recordValue(Math.min(3_600_000_000, Math.max(0, Math.round(value * 1000))));
  }

  /** The aggregation method's value (`p(95)`, `rate`, `count`, `avg`...), undefined when unknown. */
  value(method: string, durationS: number): number | undefined {
    if (this.count === 0) return this.type === 'counter' && method === 'count' ? 0 : undefined;
    const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(method);
    if (p && this.hist) return this.hist.getValueAtPercentile(Number(p[1])) / 1000;
    switch (method) {
      case 'count':
        return this.type === 'counter' ? this.sum : this.count;
      case 'rate':
        if (this.type === 'rate') return this.passes / this.count;
        return durationS > 0 ? this.sum / durationS : undefined;
      case 'avg':
        return this.sum / this.count;
      case 'min':
        return this.min;
      case 'max':
        return this.max;
      case 'med':
        return this.hist ? this.hist.getValueAtPercentile(50) / 1000 : undefined;
      case 'value':
        return this.last;
      default:
        return undefined;
    }
  }

  results(durationS: number): K6ThresholdResult[] {
    return this.expressions.map((expression) => judge(this, expression, durationS));
  }
}

const EXPRESSION =
  /^\s*([a-z]+(?:\(\d+(?:\.\d+)?\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/i;

function judge(agg: ThresholdAggregate, expression: string, durationS: number): K6ThresholdResult {
  const m = EXPRESSION.exec(expression);
  if (!m) return { metric: agg.metric, expression, ok: undefined, reason: 'expression not understood' };
  const [, method = '', op, limitText] = m;
  const v = agg.value(method, durationS);
  if (v === undefined)
    return { metric: agg.metric, expression, ok: undefined, reason: `no ${method} in the data` };
  const limit = Number(limitText);
  const ok =
    op === '<'
      ? v < limit
      : op === '<='
        ? v <= limit
        : op === '>'
          ? v > limit
          : op === '>='
            ? v >= limit
            : op === '!='
              ? v !== limit
              : v === limit;
  return { metric: agg.metric, expression, ok, value: v };
}

/** `name{k:v,k2:v2}` -> the name and the tag filters. */
export function parseSubmetric(name: string): { metric: string; tags: Record<string, string> } {
  const b = name.indexOf('{');
  if (b < 0 || !name.endsWith('}')) return { metric: name, tags: {} };
  const tags: Record<string, string> = {};
  for (const part of name.slice(b + 1, -1).split(',')) {
    const c = part.indexOf(':');
    if (c > 0) tags[part.slice(0, c).trim()] = part.slice(c + 1).trim();
  }
  return { metric: name.slice(0, b), tags };
}
