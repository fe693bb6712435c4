// The syntax tree of the PromQL parser (parser.ts), with character offsets into the query.
import type { ValueType } from './types.js';

export interface Span {
  from: number;
  to: number;
}

export interface LabelMatcher extends Span {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export interface Modifiers {
  /** Offset in ms; 0 = none (Prometheus cannot tell `offset 0` from none either). */
  offsetMs: number;
  /** An `@` was given (a timestamp, start() or end()). */
  at: boolean;
  /** An `@ <timestamp>` (not start()/end()): Prometheus refuses a range after it. */
  atTimestamp: boolean;
}

export interface VectorMatching {
  on: boolean;
  labels: string[];
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  include: string[];
}

export type Expr =
  | (Span & { type: 'number'; value: number })
  | (Span & { type: 'string'; value: string })
  | (Span & Modifiers & { type: 'selector'; name?: string; matchers: LabelMatcher[] })
  | (Span & { type: 'matrix'; selector: Expr; rangeMs: number; rangeSpan: Span })
  | (Span & Modifiers & { type: 'subquery'; expr: Expr; rangeMs: number; stepMs: number; rangeSpan: Span })
  | (Span & { type: 'paren'; expr: Expr })
  | (Span & { type: 'unary'; op: '+' | '-'; expr: Expr })
  | (Span & {
      type: 'binary';
      op: string;
      opSpan: Span;
      lhs: Expr;
      rhs: Expr;
      bool: boolean;
      matching: VectorMatching;
      matchingSpan?: Span;
    })
  | (Span & { type: 'call'; name: string; nameSpan: Span; args: Expr[]; returns?: ValueType })
  | (Span & {
      type: 'aggregate';
      op: string;
      opSpan: Span;
      args: Expr[];
      grouping: string[];
      without: boolean;
      hasModifier: boolean;
      modifierSpan?: Span;
    });

export type ExprOf<T extends Expr['type']> = Extract<Expr, { type: T }>;

/** The sub-expressions of `e`, in source order. */
export function subExprs(e: Expr): Expr[] {
  switch (e.type) {
    case 'matrix':
      return [e.selector];
    case 'subquery':
    case 'paren':
    case 'unary':
      return [e.expr];
    case 'binary':
      return [e.lhs, e.rhs];
    case 'call':
    case 'aggregate':
      return e.args;
    default:
      return [];
  }
}

/** Every node of `root` (pre-order), without recursion limits on deep trees. */
export function allExprs(root: Expr): Expr[] {
  const out: Expr[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const e = stack.pop() as Expr;
    out.push(e);
    const kids = subExprs(e);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as Expr);
  }
  return out;
}

/** Strips parentheses. */
export function unparenExpr(e: Expr): Expr {
  let n = e;
  while (n.type === 'paren') n = n.expr;
  return n;
}
