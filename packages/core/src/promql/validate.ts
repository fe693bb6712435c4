import { allExprs, type Expr } from './ast.js';
import { Checker, typeOf } from './check.js';
import { explainParseError } from './explain.js';
import { functionIn, type Grammar, grammarFor } from './grammar.js';
import { lintDiagnostics } from './lint.js';
import { type ParseError, parsePromQL } from './parser.js';
import { VALIDATION_RECORDED_COUNTERS } from './validation-names.js';
import { lintTree } from './syntax.js';
import type { MatcherInfo } from './tree.js';
import type { Diagnostic, ValidateOptions, ValueType } from './types.js';

function parse(q: string, g: Grammar): { expr?: Expr; errors: ParseError[] } {
  try {
    return parsePromQL(q, g);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const message = 'the query nests function calls or aggregations too deeply for mlperf to check';
    return { errors: [{ from: 0, to: q.length, message, rule: 'too-deep' }] };
  }
}

/**
 * Every problem with `q` for the Prometheus version in `opts.prometheusVersion` (default
 * DEFAULT_PROMETHEUS_VERSION): the first parse error, or type errors (function arguments,
 * operators, aggregations, vector matching) and lint warnings (counters, ranges, histogram
 * buckets, unknown series). An empty array means that Prometheus accepts the query and it does
 * what it appears to.
 */
export function validateQuery(q: string, opts: ValidateOptions = {}): Diagnostic[] {
  const g = grammarFor(opts.prometheusVersion);
  const { expr, errors } = parse(q, g);
  if (!expr || errors.length > 0) {
    const first = errors[0] ?? {
      from: 0,
      to: q.length,
      message: 'no expression found in input',
      rule: 'syntax',
    };
    if (/no expression found/.test(first.message))
      return [
        {
          severity: 'error',
          from: 0,
          to: q.length,
          message: 'the query is empty',
          hint: 'write a PromQL expression, e.g. up',
          rule: 'syntax',
        },
      ];
    return [
      explainParseError(q, first, g),
      ...errors
        .slice(1)
        .filter((e) => e.rule !== 'syntax')
        .map((e) => explainParseError(q, e, g)),
    ];
  }
  const checker = new Checker(q, g);
  const type = checker.check(expr);
  const out = [...checker.diagnostics, ...versionWarnings(expr, g)];
  if (type === 'string') {
    out.push({
      severity: 'error',
      from: expr.from,
      to: expr.to,
      message: "a validation query must return a scalar or a vector, not a string (mlperf's own rule)",
      hint: 'query a metric',
      rule: 'result-type',
    });
  }
  const tree = lintTree(q);
  const known = new Set([...VALIDATION_RECORDED_COUNTERS, ...(opts.counters ?? [])]);
  if (tree) out.push(...lintDiagnostics(q, tree, opts, known));
  return out.sort(
    (a, b) => a.from - b.from || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}

/** Experimental functions in 3.x need a feature flag the server may not have. */
function versionWarnings(expr: Expr, g: Grammar): Diagnostic[] {
  if (!g.v3) return [];
  return allExprs(expr).flatMap((e): Diagnostic[] =>
    e.type === 'call' && functionIn(g, e.name)?.experimental
      ? [
          {
            severity: 'warning',
            from: e.nameSpan.from,
            to: e.nameSpan.to,
            message: `${e.name}() is experimental in Prometheus ${g.version}`,
            hint: 'the server needs --enable-feature=promql-experimental-functions',
            rule: 'experimental-function',
          },
        ]
      : [],
  );
}

/** The result type of a valid query (`vector`, `scalar`, `matrix`), or undefined for invalid ones. */
export function queryType(q: string, opts: ValidateOptions = {}): ValueType | undefined {
  const g = grammarFor(opts.prometheusVersion);
  const { expr, errors } = parse(q, g);
  if (!expr || errors.length > 0) return undefined;
  const checker = new Checker(q, g);
  checker.check(expr);
  return checker.diagnostics.length > 0 ? undefined : typeOf(expr);
}

/** One metric selector in a query. */
export interface SelectorInfo {
  /** Exactly as written (without range, offset or @). */
  text: string;
  /** Undefined for selectors that only match on labels (`{job="x"}`). */
  metric?: string;
  matchers: MatcherInfo[];
  /** Range in seconds, for range selectors. */
  rangeSeconds?: number;
  from: number;
  to: number;
}

/** The metric selectors of `q`, in order of appearance. Empty when `q` does not parse. */
export function listSelectors(q: string, opts: ValidateOptions = {}): SelectorInfo[] {
  const { expr, errors } = parse(q, grammarFor(opts.prometheusVersion));
  if (!expr || errors.length > 0) return [];
  const ranges = new Map<Expr, number>();
  const out: SelectorInfo[] = [];
  for (const e of allExprs(expr)) {
    if (e.type === 'matrix') ranges.set(e.selector, e.rangeMs / 1000);
    if (e.type !== 'selector') continue;
    const matchers: MatcherInfo[] = e.matchers.map((m) => ({ name: m.name, op: m.op, value: m.value }));
    const named = matchers.find((m) => m.name === '__name__' && m.op === '=');
    const info: SelectorInfo = { text: q.slice(e.from, e.to), matchers, from: e.from, to: e.to };
    const metric = e.name ?? named?.value;
    if (metric !== undefined) info.metric = metric;
    const range = ranges.get(e);
    if (range !== undefined) info.rangeSeconds = range;
    out.push(info);
  }
  return out.sort((a, b) => a.from - b.from);
}

/** The metric names and label names a query uses (matchers and grouping labels), sorted. */
export function listNames(q: string, opts: ValidateOptions = {}): { metrics: string[]; labels: string[] } {
  const { expr, errors } = parse(q, grammarFor(opts.prometheusVersion));
  if (!expr || errors.length > 0) return { metrics: [], labels: [] };
  const metrics = new Set<string>();
  const labels = new Set<string>();
  for (const s of listSelectors(q, opts)) {
    if (s.metric !== undefined) metrics.add(s.metric);
    for (const m of s.matchers) if (m.name !== '__name__') labels.add(m.name);
  }
  for (const e of allExprs(expr)) {
    if (e.type === 'aggregate') for (const l of e.grouping) labels.add(l);
    if (e.type === 'binary') for (const l of [...e.matching.labels, ...e.matching.include]) labels.add(l);
  }
  return { metrics: [...metrics].sort(), labels: [...labels].sort() };
}
