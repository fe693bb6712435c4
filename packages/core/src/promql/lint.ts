import type { SyntaxNode, Tree } from '@lezer/common';
import { formatPromDuration, parsePromDuration, toSeconds } from './duration.js';
import { COUNTER_FUNCTIONS, closestName, TWO_SAMPLE_FUNCTIONS } from './functions.js';
import {
  callArgs,
  child,
  children,
  descendants,
  exprChildren,
  selectorParts,
  text,
  unparen,
  unwrap,
} from './tree.js';
import type { Diagnostic, MetricType, ValidateOptions } from './types.js';

const COUNTER_SUFFIX = /_(total|count|sum|bucket)$/;
const LABEL_KEEPING_AGGREGATIONS = new Set(['topk', 'bottomk', 'limitk', 'limit_ratio']);

export const DEFAULT_SCRAPE_INTERVAL = '15s';

/** pint-style rules over a query that parses and type-checks. */
export function lintDiagnostics(
  q: string,
  tree: Tree,
  opts: ValidateOptions,
  known: ReadonlySet<string>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const scrape = toSeconds(opts.scrapeInterval ?? DEFAULT_SCRAPE_INTERVAL, 'scrape interval');
  const walk = (node: SyntaxNode) => {
    if (node.name === 'FunctionCall') {
      const ident = child(node, 'FunctionIdentifier');
      const name = ident ? text(q, ident) : '';
      const args = callArgs(node);
      if (COUNTER_FUNCTIONS.has(name) && args[0]) counterRule(q, name, args[0], opts, known, out);
      if (TWO_SAMPLE_FUNCTIONS.has(name) && args[0]) rangeRule(q, name, args[0], scrape, out);
      if (name === 'histogram_quantile' && args.length === 2)
        histogramRules(q, node, args[0] as SyntaxNode, args[1] as SyntaxNode, out);
    }
    if (node.name === 'VectorSelector' && opts.knownMetrics) noSeriesRule(q, node, opts.knownMetrics, out);
    for (const c of children(node)) walk(c);
  };
  walk(tree.topNode);
  return out;
}

function metricTypeOf(
  metric: string,
  metadata: Record<string, MetricType> | undefined,
): MetricType | undefined {
  if (!metadata) return undefined;
  if (metadata[metric]) return metadata[metric];
  const base = metric.replace(COUNTER_SUFFIX, '');
  return metadata[base];
}

function counterRule(
  q: string,
  fn: string,
  arg: SyntaxNode,
  opts: ValidateOptions,
  known: ReadonlySet<string>,
  out: Diagnostic[],
): void {
  const range = unwrap(arg);
  if (range.name !== 'MatrixSelector') return;
  const sel = exprChildren(range)[0];
  if (!sel) return;
  const { metric } = selectorParts(q, sel);
  if (metric === undefined || known.has(metric)) return;
  const type = metricTypeOf(metric, opts.metadata);
  const suffixOk = COUNTER_SUFFIX.test(metric);
  if (type === 'counter' || ((type === 'histogram' || type === 'summary') && suffixOk)) return;
  if (type === 'histogram' && !suffixOk) return; // a native histogram
  const gauge = type === 'gauge';
  if (!gauge && suffixOk) return;
  out.push({
    severity: 'warning',
    from: sel.from,
    to: sel.to,
    message: gauge
      ? `${fn}() over \`${metric}\`, which the metadata API says is a gauge`
      : `${fn}() over \`${metric}\`, which is not a counter by its name (counters end in _total, _count, _sum or _bucket)`,
    hint: `${fn}() assumes a counter that only goes up; for a gauge use deriv() or delta(): deriv(${text(q, range)})`,
    rule: 'rate-non-counter',
  });
}

function rangeRule(q: string, fn: string, arg: SyntaxNode, scrape: number, out: Diagnostic[]): void {
  const range = unwrap(arg);
  if (range.name !== 'MatrixSelector') return;
  const duration = child(range, 'DurationExpr');
  const seconds = duration && parsePromDuration(text(q, duration));
  if (!duration || seconds === undefined || seconds >= 2 * scrape) return;
  const fix = formatPromDuration(Math.max(4 * scrape, 60));
  out.push({
    severity: 'warning',
    from: duration.from,
    to: duration.to,
    message: `${fn}() over [${text(q, duration)}]: shorter than twice the scrape interval (${formatPromDuration(scrape)}), so windows often hold fewer than two samples and return nothing`,
    hint: `use at least [${formatPromDuration(2 * scrape)}], e.g. [${fix}]`,
    rule: 'range-too-short',
  });
}

function bucketSelectors(q: string, node: SyntaxNode): boolean {
  const sels = node.name === 'VectorSelector' ? [node] : descendants(node, 'VectorSelector');
  return sels.some((s) => selectorParts(q, s).metric?.endsWith('_bucket') ?? false);
}

/** Aggregations along the path that carries the buckets, which drop `le`. */
function leDroppers(q: string, node: SyntaxNode): SyntaxNode[] {
  const n = unparen(node);
  if (n.name === 'BinaryExpr') return exprChildren(n).flatMap((c) => leDroppers(q, c));
  if (n.name !== 'AggregateExpr') return [];
  const op = text(q, child(n, 'AggregateOp') ?? n).toLowerCase();
  const args = callArgs(n);
  const body = args[args.length - 1];
  if (LABEL_KEEPING_AGGREGATIONS.has(op)) return body ? leDroppers(q, body) : [];
  const modifier = child(n, 'AggregateModifier');
  const labels = modifier ? groupingLabels(q, modifier) : [];
  const isBy = modifier ? child(modifier, 'By') !== undefined : true;
  const dropsLe = isBy ? !labels.includes('le') : labels.includes('le');
  return dropsLe && body && bucketSelectors(q, body) ? [n] : [];
}

function groupingLabels(q: string, modifier: SyntaxNode): string[] {
  const g = child(modifier, 'GroupingLabels');
  return g
    ? children(g)
        .filter((c) => c.name === 'LabelName' || c.name === 'QuotedLabelName')
        .map((c) => text(q, c))
    : [];
}

function keepLe(q: string, agg: SyntaxNode): string {
  const modifier = child(agg, 'AggregateModifier');
  const op = text(q, child(agg, 'AggregateOp') ?? agg);
  const body = child(agg, 'FunctionCallBody');
  const bodyText = body ? text(q, body) : '(...)';
  if (!modifier) return `${op} by (le) ${bodyText}`;
  const labels = groupingLabels(q, modifier);
  const isBy = child(modifier, 'By') !== undefined;
  const next = isBy ? [...labels, 'le'] : labels.filter((l) => l !== 'le');
  const clause = `${isBy ? 'by' : 'without'} (${next.join(', ')}) `;
  return `${op} ${clause}${bodyText}`.replace(/\s+/g, ' ');
}

function histogramRules(
  q: string,
  call: SyntaxNode,
  phi: SyntaxNode,
  buckets: SyntaxNode,
  out: Diagnostic[],
): void {
  const p = unparen(phi);
  if (p.name === 'NumberDurationLiteral') {
    const value = Number(text(q, p));
    if (!(value >= 0 && value <= 1)) {
      out.push({
        severity: 'warning',
        from: p.from,
        to: p.to,
        message: `quantile ${text(q, p)} is outside 0..1 (the result is ±Inf)`,
        hint: 'use a fraction: 0.95 for p95',
        rule: 'quantile-range',
      });
    }
  }
  for (const agg of leDroppers(q, buckets)) {
    const rewritten = `${q.slice(0, agg.from)}${keepLe(q, agg)}${q.slice(agg.to)}`;
    out.push({
      severity: 'error',
      from: agg.from,
      to: child(agg, 'AggregateModifier')?.to ?? (child(agg, 'AggregateOp') ?? agg).to,
      message:
        'histogram_quantile() over buckets aggregated without the `le` label: every bucket collapses into one and the result is empty',
      hint: `keep le in the grouping: ${rewritten}`,
      rule: 'histogram-quantile-le',
    });
  }
  const inner = unwrap(buckets);
  if (inner.name === 'VectorSelector' && bucketSelectors(q, inner)) {
    out.push({
      severity: 'warning',
      from: inner.from,
      to: inner.to,
      message:
        'histogram_quantile() over raw bucket counters gives the distribution since each process started, not the recent one',
      hint: `take a rate first: ${q.slice(0, call.from)}histogram_quantile(${text(q, phi)}, sum by (le) (rate(${text(q, inner)}[5m])))${q.slice(call.to)}`,
      rule: 'histogram-quantile-rate',
    });
  }
}

function noSeriesRule(q: string, sel: SyntaxNode, knownMetrics: readonly string[], out: Diagnostic[]): void {
  const { metric } = selectorParts(q, sel);
  if (metric === undefined || knownMetrics.includes(metric)) return;
  const near = closestName(metric, knownMetrics);
  out.push({
    severity: 'warning',
    from: sel.from,
    to: sel.to,
    message: `no series named \`${metric}\``,
    hint: near
      ? `did you mean \`${near}\`?`
      : 'check the metric name against the exporter, or the recording rules',
    rule: 'no-series',
  });
}
