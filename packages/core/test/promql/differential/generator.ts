// Seeded generator of PromQL expressions for the differential test against promtool: mostly
// well-typed expressions built from the grammar, plus mutations that break arity, types,
// modifiers, matchers, grouping, numbers, strings and structure.

import { rng } from '@mlperf/testkit/synth';

type Kind = 'vector' | 'scalar' | 'matrix';

const METRICS = [
  'up',
  'http_requests_total',
  'x_bucket',
  'node_cpu_seconds_total',
  'foo:bar',
  'm',
  'offset',
  'by',
  'bool',
  'sum',
  'inf',
  'nan',
  'on',
  'group_left',
  'start',
  'end',
  'atan2',
  'and',
  'rate',
  'le',
  'ignoring',
  'step',
  'keep_common',
  'without',
  'count_values',
];
const LABELS = [
  'job',
  'instance',
  'le',
  'code',
  'on',
  'by',
  'bool',
  'offset',
  'sum',
  'group_left',
  '__name__',
  'a_b',
  'without',
  'start',
  'and',
  'inf',
  'ignoring',
  'x1',
];
const REGEXES = [
  '.*',
  '.+',
  '5..',
  'a|b',
  '(?i)foo',
  '(?i:foo)',
  '(?P<n>x)',
  '(?<n>x)',
  '(?=x)',
  'a{2,1000}',
  'a{1001}',
  'x{2}{3}',
  '[[:alpha:]]+',
  '\\\\d+',
  '\\\\pL',
  '(a',
  '*',
  'a**',
  '[z-a]',
  '\\\\b',
  '(?s).',
  '(?U)a+',
  '\\\\Q.*\\\\E',
  '(?m)^x$',
  '\\\\1',
  'é+',
  '\\\\x{41}',
  '[^a]',
  '(?:a)',
  '\\\\C',
  'x{,3}',
  '\\\\z',
  '(?-i)a',
  '(?i-s:a)',
];
const STRINGS = [
  '"a"',
  "'a'",
  '`a`',
  '"a\\nb"',
  '"\\d"',
  '"\\q"',
  '"\\x41"',
  '"\\u00e9"',
  '"\\U0001F600"',
  '"\\101"',
  '"\\8"',
  "'\\''",
  '"\\\'"',
  "'\\\"'",
  '"\\a\\b\\f\\r\\t\\v\\\\"',
  '"é"',
  '"\\uD800"',
  '"\\x4"',
  '`a\\d`',
  '""',
  '"\\777"',
  '"\\400"',
];
const NUMBERS = [
  '1',
  '0.5',
  '.5',
  '5.',
  '1e3',
  '1E-3',
  '1.5e+2',
  '0x1F',
  '0X1F',
  '0x',
  '0b11',
  '0o17',
  '017',
  '08',
  '1_000',
  'Inf',
  '+Inf',
  'inf',
  'NaN',
  'nan',
  '0.95',
  '1e',
  '1.2.3',
  '00',
  '0x_1',
  '5e',
  'infinity',
  'Infinity',
  '1s',
  '5m',
  '1h30m',
];
const DURATIONS = [
  '5m',
  '1m',
  '30s',
  '1h',
  '1h30m',
  '1.5m',
  '0s',
  '0m',
  '5',
  '1d',
  '1w',
  '1y',
  '100ms',
  '5M',
  '1m1h',
  '1h1h',
  '2h5m30s',
  '5m1',
  'm',
  '90s',
  '1ms',
  '0',
  '-5m',
  '0x5',
];
const VECTOR_FUNCTIONS: [string, Kind[]][] = [
  ['abs', ['vector']],
  ['ceil', ['vector']],
  ['sgn', ['vector']],
  ['sort', ['vector']],
  ['timestamp', ['vector']],
  ['clamp', ['vector', 'scalar', 'scalar']],
  ['clamp_min', ['vector', 'scalar']],
  ['round', ['vector', 'scalar']],
  ['histogram_quantile', ['scalar', 'vector']],
  ['absent', ['vector']],
  ['exp', ['vector']],
  ['ln', ['vector']],
  ['rate', ['matrix']],
  ['irate', ['matrix']],
  ['increase', ['matrix']],
  ['delta', ['matrix']],
  ['deriv', ['matrix']],
  ['avg_over_time', ['matrix']],
  ['last_over_time', ['matrix']],
  ['present_over_time', ['matrix']],
  ['quantile_over_time', ['scalar', 'matrix']],
  ['predict_linear', ['matrix', 'scalar']],
  ['holt_winters', ['matrix', 'scalar', 'scalar']],
  ['double_exponential_smoothing', ['matrix', 'scalar', 'scalar']],
  ['histogram_count', ['vector']],
  ['histogram_sum', ['vector']],
  ['histogram_fraction', ['scalar', 'scalar', 'vector']],
  ['histogram_stddev', ['vector']],
  ['histogram_avg', ['vector']],
  ['sort_by_label', ['vector']],
  ['mad_over_time', ['matrix']],
  ['day_of_year', ['vector']],
  ['hour', ['vector']],
  ['absent_over_time', ['matrix']],
  ['limitk', ['vector']],
  ['info', ['vector']],
  ['first_over_time', ['matrix']],
  ['rat', ['matrix']],
];
const AGGS = ['sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'SUM', 'Sum'];
const PARAM_AGGS: [string, Kind | 'string'][] = [
  ['topk', 'scalar'],
  ['bottomk', 'scalar'],
  ['quantile', 'scalar'],
  ['count_values', 'string'],
  ['limitk', 'scalar'],
  ['limit_ratio', 'scalar'],
];
const ARITH = ['+', '-', '*', '/', '%', '^', 'atan2'];
const CMP = ['==', '!=', '>', '<', '>=', '<='];
const SETS = ['and', 'or', 'unless'];

export class Generator {
  private readonly r: () => number;
  constructor(seed: number) {
    this.r = rng(seed);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)] as T;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  int(n: number): number {
    return Math.floor(this.r() * n);
  }

  labels(n: number): string {
    return Array.from({ length: n }, () => this.pick(LABELS)).join(this.chance(0.9) ? ', ' : ',');
  }

  matcher(): string {
    const name = this.chance(0.08) ? `"${this.pick(['a.b', 'job', 'é'])}"` : this.pick(LABELS);
    if (this.chance(0.45)) return `${name}${this.pick(['=~', '!~'])}"${this.pick(REGEXES)}"`;
    return `${name}${this.pick(['=', '!=', '=', '=~'])}${this.pick(['"x"', '""', "'y'", '`z`', '"a\\"b"'])}`;
  }

  selector(): string {
    const name = this.chance(0.85) ? this.pick(METRICS) : '';
    if (name !== '' && this.chance(0.5)) return name;
    const n = name === '' ? 1 + this.int(2) : this.int(3);
    const ms = Array.from({ length: n }, () => this.matcher());
    if (this.chance(0.05)) ms.push(`"${this.pick(['a.b', 'up'])}"`);
    return `${name}{${ms.join(', ')}${this.chance(0.1) ? ',' : ''}}`;
  }

  modifiers(e: string): string {
    let out = e;
    if (this.chance(0.15)) out += ` offset ${this.chance(0.1) ? '-' : ''}${this.pick(DURATIONS)}`;
    if (this.chance(0.1))
      out += ` @ ${this.pick(['1609746000', 'start()', 'end()', '1.5', '-5', '1e3', 'step()'])}`;
    if (this.chance(0.03)) out += ` offset ${this.pick(DURATIONS)}`;
    return out;
  }

  number(): string {
    return this.chance(0.75) ? this.pick(['1', '0.5', '2', '100', '0.95', '1e3', '3']) : this.pick(NUMBERS);
  }

  /** A well-typed expression of `kind` (mostly), `depth` bounds recursion. */
  expr(kind: Kind, depth: number): string {
    if (kind === 'matrix') return this.matrix(depth);
    if (kind === 'scalar') return this.scalar(depth);
    if (depth <= 0) return this.modifiers(this.selector());
    switch (this.int(8)) {
      case 0:
      case 1:
        return this.modifiers(this.selector());
      case 2:
        return this.call('vector', depth);
      case 3:
        return this.aggregate(depth);
      case 4:
        return this.binary(depth);
      case 5:
        return `(${this.expr('vector', depth - 1)})`;
      case 6:
        return `${this.pick(['-', '+', '- '])}${this.expr('vector', depth - 1)}`;
      default:
        return this.call('vector', depth);
    }
  }

  matrix(depth: number): string {
    if (depth > 0 && this.chance(0.25)) {
      const inner = this.expr('vector', depth - 1);
      const step = this.chance(0.6) ? this.pick(DURATIONS) : '';
      return this.modifiers(`${this.chance(0.7) ? `(${inner})` : inner}[${this.pick(DURATIONS)}:${step}]`);
    }
    const sel = this.selector();
    if (this.chance(0.06)) return `${this.modifiers(sel)}[${this.pick(DURATIONS)}]`;
    return this.modifiers(`${sel}[${this.pick(DURATIONS)}]`);
  }

  scalar(depth: number): string {
    if (depth <= 0 || this.chance(0.6)) return this.number();
    return this.pick([
      () => `scalar(${this.expr('vector', depth - 1)})`,
      () => 'time()',
      () => 'pi()',
      () => `${this.number()} ${this.pick(ARITH)} ${this.number()}`,
      () => `-${this.number()}`,
      () => `(${this.number()})`,
      () => `${this.number()} ${this.pick(CMP)} bool ${this.number()}`,
    ])();
  }

  call(kind: Kind, depth: number): string {
    const [name, args] = this.pick(VECTOR_FUNCTIONS);
    const parts = args.map((k) => this.expr(k, depth - 1));
    if (name === 'sort_by_label' || name === 'info') parts.push(...(this.chance(0.5) ? ['"job"'] : []));
    if (this.chance(0.05) && kind) parts.push(this.number());
    return `${name}(${parts.join(', ')})`;
  }

  grouping(): string {
    if (!this.chance(0.6)) return '';
    return `${this.pick(['by', 'without', 'BY'])} (${this.labels(this.int(3))})`;
  }

  aggregate(depth: number): string {
    const grouping = this.grouping();
    let head: string;
    let args: string;
    if (this.chance(0.3)) {
      const [op, param] = this.pick(PARAM_AGGS);
      head = op;
      args = `${param === 'string' ? this.pick(['"v"', "'v'", '5']) : this.scalar(depth - 1)}, ${this.expr('vector', depth - 1)}`;
    } else {
      head = this.pick(AGGS);
      args = this.expr('vector', depth - 1);
    }
    if (!grouping) return `${head}(${args})`;
    return this.chance(0.5) ? `${head} ${grouping} (${args})` : `${head}(${args}) ${grouping}`;
  }

  matching(op: string): string {
    if (!this.chance(0.4)) return '';
    let out = ` ${this.pick(['on', 'ignoring'])}(${this.labels(this.int(3))})`;
    if (this.chance(0.4) && !SETS.includes(op))
      out += ` ${this.pick(['group_left', 'group_right'])}(${this.labels(this.int(2))})`;
    else if (this.chance(0.1)) out += ` group_left(${this.labels(1)})`;
    return out;
  }

  binary(depth: number): string {
    const kind = this.int(3);
    const op = kind === 0 ? this.pick(ARITH) : kind === 1 ? this.pick(CMP) : this.pick(SETS);
    const bool = kind === 1 && this.chance(0.3) ? ' bool' : '';
    const lhs = this.chance(0.8) ? this.expr('vector', depth - 1) : this.scalar(depth - 1);
    const rhs = this.chance(0.8) ? this.expr('vector', depth - 1) : this.scalar(depth - 1);
    return `${lhs} ${op}${bool}${this.matching(op)} ${rhs}`;
  }

  /** A top-level expression: valid-looking most of the time, mutated otherwise. */
  query(): string {
    const base = this.chance(0.05)
      ? this.special()
      : this.chance(0.1)
        ? this.scalar(2)
        : this.expr('vector', 1 + this.int(4));
    return this.chance(0.45) ? this.mutate(base) : base;
  }

  special(): string {
    return this.pick([
      () => Array.from({ length: 200 + this.int(1500) }, (_, i) => `m${i}`).join(' + '),
      () => `${'('.repeat(50 + this.int(3000))}up${')'.repeat(50 + this.int(3000))}`,
      () => `sum(up) # ${this.pick(['comment', 'a ( b', '"'])}\n+ 1`,
      () => this.pick(STRINGS),
      () => `label_replace(up, "a", ${this.pick(STRINGS)}, "b", ".*")`,
      () => `up{job=${this.pick(STRINGS)}}`,
      () => `${'-'.repeat(1 + this.int(4))}${this.number()}`,
      () => `${this.number()} ${this.pick(ARITH)} ${this.number()}`,
      () => `up offset ${this.pick(DURATIONS)}`,
      () => `x[${this.pick(DURATIONS)}]`,
      () => `rate(x[${this.pick(DURATIONS)}:${this.pick(DURATIONS)}])`,
    ])();
  }

  mutate(q: string): string {
    const at = this.int(q.length + 1);
    return this.pick([
      () => q.slice(0, at) + q.slice(at + 1),
      () =>
        q.slice(0, at) +
        this.pick([
          '(',
          ')',
          '[',
          ']',
          '{',
          '}',
          ',',
          ' by (job) ',
          ' offset 5m',
          ' @ 5',
          ' bool ',
          '"',
          '1',
          ' and ',
          ' on(job) ',
          ' group_left ',
          ' [5m]',
          ':',
          '#',
          ' - ',
          'x',
          ' @ start()',
        ]) +
        q.slice(at),
      () =>
        `${q} ${this.pick(['by (job)', 'offset 1m', 'offset 1m offset 2m', '@ 100 @ 200', '[5m]', '[5m:]', 'without (a)', 'bool', '== 1', 'and 1', '> bool up', 'or on(a) group_left b'])}`,
      () => `(${q})${this.pick([' offset 5m', ' @ 100', '[5m]', '[1m:]', ''])}`,
      () =>
        `${this.pick(['rate', 'sum', 'abs', 'scalar', 'vector', 'label_join', 'label_replace', 'round', 'time', 'topk', 'count_values', 'histogram_quantile', 'sort_by_label', 'absent_over_time'])}(${q}${this.pick(['', ', 1', ', "a"', ', "a", "b"', ', "a", "b", "c"', ', "a", "b", "c", "d"'])})`,
      () => q.replace(/\bon\(([^)]*)\) (group_left|group_right)\(\)/, 'on($1) $2($1)'),
      () => q.replace(/(\d)(\d)/, '$1_$2'),
      () => q.replaceAll(' ', this.pick(['', '  ', '\n', '\t'])),
      () => q.replace(/\[([^\]:]+)\]/, `[${this.pick(DURATIONS)}]`),
    ])();
  }
}

/** `count` queries from `seed`, deterministically. */
export function generate(seed: number, count: number): string[] {
  const g = new Generator(seed);
  return Array.from({ length: count }, () => g.query());
}
