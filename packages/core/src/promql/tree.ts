import type { SyntaxNode } from '@lezer/common';
import { unquoteString } from './literals.js';

/** Node names that are PromQL expressions. */
export const EXPRESSIONS: ReadonlySet<string> = new Set([
  'AggregateExpr',
  'BinaryExpr',
  'FunctionCall',
  'MatrixSelector',
  'NumberDurationLiteral',
  'OffsetExpr',
  'AnchoredExpr',
  'SmoothedExpr',
  'ParenExpr',
  'StringLiteral',
  'SubqueryExpr',
  'UnaryExpr',
  'VectorSelector',
  'StepInvariantExpr',
]);

/** Wrappers whose type is their inner expression's. */
export const MODIFIER_WRAPPERS: ReadonlySet<string> = new Set([
  'OffsetExpr',
  'StepInvariantExpr',
  'AnchoredExpr',
  'SmoothedExpr',
]);

export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

export function exprChildren(node: SyntaxNode): SyntaxNode[] {
  return children(node).filter((c) => EXPRESSIONS.has(c.name));
}

export function child(node: SyntaxNode, name: string): SyntaxNode | undefined {
  return children(node).find((c) => c.name === name);
}

/** The arguments of a function call or aggregation (`FunctionCallBody` expressions). */
export function callArgs(node: SyntaxNode): SyntaxNode[] {
  const body = child(node, 'FunctionCallBody');
  return body ? exprChildren(body) : [];
}

/** Strips parentheses. */
export function unparen(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.name === 'ParenExpr') {
    const inner = exprChildren(n)[0];
    if (!inner) break;
    n = inner;
  }
  return n;
}

/** Strips parentheses, offset and @ modifiers. */
export function unwrap(node: SyntaxNode): SyntaxNode {
  let n = unparen(node);
  while (MODIFIER_WRAPPERS.has(n.name)) {
    const inner = exprChildren(n)[0];
    if (!inner) break;
    n = unparen(inner);
  }
  return n;
}

export function text(q: string, node: SyntaxNode): string {
  return q.slice(node.from, node.to);
}

export interface MatcherInfo {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** A vector selector's metric name and matchers (`{__name__="x"}` counts as the name). */
export function selectorParts(q: string, sel: SyntaxNode): { metric?: string; matchers: MatcherInfo[] } {
  const ident = child(sel, 'Identifier') ?? child(sel, 'MetricName');
  const matchers: MatcherInfo[] = [];
  const list = child(sel, 'LabelMatchers');
  for (const m of list ? children(list) : []) {
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
    const nameNode = child(m, 'LabelName') ?? child(m, 'QuotedLabelName');
    const op = child(m, 'MatchOp');
    const value = child(m, 'StringLiteral');
    if (m.name === 'QuotedLabelMatcher' && !op && nameNode) {
      // `{"metric.name"}`: a quoted metric name (Prometheus 3 UTF-8 names).
      matchers.push({ name: '__name__', op: '=', value: unquoteString(text(q, nameNode)) });
      continue;
    }
    if (!nameNode || !op || !value) continue;
    const rawName = text(q, nameNode);
    matchers.push({
      name: nameNode.name === 'QuotedLabelName' ? unquoteString(rawName) : rawName,
      op: text(q, op) as MatcherInfo['op'],
      value: unquoteString(text(q, value)),
    });
  }
  const named = matchers.find((m) => m.name === '__name__' && m.op === '=');
  const metric = ident ? text(q, ident) : named?.value;
  return metric === undefined ? { matchers } : { metric, matchers };
}

/** Every node of `name` under `node` (depth first). */
export function descendants(node: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (n: SyntaxNode) => {
    for (const c of children(n)) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(node);
  return out;
}
