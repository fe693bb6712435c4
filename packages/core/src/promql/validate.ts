import type { SyntaxNode } from '@lezer/common';
import { parsePromDuration } from './duration.js';
import { lintDiagnostics } from './lint.js';
import { SEED_RECORDED_COUNTERS } from './seed-names.js';
import { parseQuery, syntaxDiagnostics } from './syntax.js';
import { child, children, descendants, exprChildren, type MatcherInfo, selectorParts, text } from './tree.js';
import { TypeChecker } from './typecheck.js';
import type { Diagnostic, ValidateOptions, ValueType } from './types.js';

/**
 * Every problem with `q`: syntax errors (one, the most useful), type errors (function arguments,
 * operators, aggregations) and lint warnings (counters, ranges, histogram buckets, unknown series).
 * An empty array means Prometheus will accept the query and it does what it appears to.
 */
export function validateQuery(q: string, opts: ValidateOptions = {}): Diagnostic[] {
  const tree = parseQuery(q);
  const syntax = syntaxDiagnostics(q, tree);
  if (syntax.length > 0) return syntax;
  const checker = new TypeChecker(q);
  const top = exprChildren(tree.topNode)[0];
  const type = top ? checker.check(top) : undefined;
  const out = [...checker.diagnostics];
  if (top && type === 'string') {
    out.push({
      severity: 'error',
      from: top.from,
      to: top.to,
      message: 'a query must return a scalar or a vector, not a string',
      hint: 'query a metric',
      rule: 'result-type',
    });
  }
  const known = new Set([...SEED_RECORDED_COUNTERS, ...(opts.counters ?? [])]);
  out.push(...lintDiagnostics(q, tree, opts, known));
  return out.sort(
    (a, b) => a.from - b.from || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}

/** True when `validateQuery` finds no errors (warnings allowed). */
export function isValidQuery(q: string, opts: ValidateOptions = {}): boolean {
  return validateQuery(q, opts).every((d) => d.severity !== 'error');
}

/** The result type of a valid query (`vector`, `scalar`, `matrix`), or undefined for invalid ones. */
export function queryType(q: string): ValueType | undefined {
  const tree = parseQuery(q);
  if (syntaxDiagnostics(q, tree).length > 0) return undefined;
  const checker = new TypeChecker(q);
  const top = exprChildren(tree.topNode)[0];
  const type = top ? checker.check(top) : undefined;
  return checker.diagnostics.some((d) => d.severity === 'error') ? undefined : type;
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
export function listSelectors(q: string): SelectorInfo[] {
  const tree = parseQuery(q);
  if (syntaxDiagnostics(q, tree).length > 0) return [];
  return descendants(tree.topNode, 'VectorSelector').map((sel) => selectorInfo(q, sel));
}

function selectorInfo(q: string, sel: SyntaxNode): SelectorInfo {
  const { metric, matchers } = selectorParts(q, sel);
  const info: SelectorInfo = { text: text(q, sel), matchers, from: sel.from, to: sel.to };
  if (metric !== undefined) info.metric = metric;
  const parent = sel.parent;
  const duration = parent?.name === 'MatrixSelector' ? child(parent, 'DurationExpr') : undefined;
  const seconds = duration && parsePromDuration(text(q, duration));
  if (seconds !== undefined) info.rangeSeconds = seconds;
  return info;
}

/** The metric names and label names a query uses (matchers and grouping labels), sorted. */
export function listNames(q: string): { metrics: string[]; labels: string[] } {
  const tree = parseQuery(q);
  if (syntaxDiagnostics(q, tree).length > 0) return { metrics: [], labels: [] };
  const metrics = new Set<string>();
  const labels = new Set<string>();
  for (const s of listSelectors(q)) {
    if (s.metric !== undefined) metrics.add(s.metric);
    for (const m of s.matchers) if (m.name !== '__name__') labels.add(m.name);
  }
  for (const g of descendants(tree.topNode, 'GroupingLabels')) {
    for (const l of children(g)) if (l.name === 'LabelName') labels.add(text(q, l));
  }
  return { metrics: [...metrics].sort(), labels: [...labels].sort() };
}
