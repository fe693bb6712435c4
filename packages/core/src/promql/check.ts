// The checks Prometheus makes on a parsed expression (parse.go checkAST): value types of
// arguments and operands, arity, vector matching, selectors. Messages in mlperf's words, each
// with a hint; rule ids are stable.
import { type Expr, type ExprOf, unparenExpr } from './ast.js';
import { aggregationParam, functionIn, type Grammar } from './grammar.js';
import { COMPARISON_OPS, SET_OPS } from './parser.js';
import { regexMatchesEmpty } from './re2.js';
import type { Diagnostic, ValueType } from './types.js';

const TYPE_NAMES: Record<ValueType, string> = {
  scalar: 'a scalar',
  vector: 'an instant vector',
  matrix: 'a range vector',
  string: 'a string',
};

export function typeOf(e: Expr): ValueType {
  let n = e;
  while (n.type === 'paren' || n.type === 'unary') n = n.expr;
  switch (n.type) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'matrix':
    case 'subquery':
      return 'matrix';
    case 'binary': {
      // Left-deep chains (a + b + c + ...) can be thousands long: walk the left spine.
      let b: Expr = n;
      while (b.type === 'binary') {
        if (typeOf(b.rhs) !== 'scalar') return 'vector';
        b = unparenExpr(b.lhs);
      }
      return typeOf(b) === 'scalar' ? 'scalar' : 'vector';
    }
    case 'call':
      return n.returns ?? 'vector';
    default:
      return 'vector';
  }
}

export class Checker {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly q: string,
    private readonly g: Grammar,
  ) {}

  private error(at: { from: number; to: number }, message: string, hint: string, rule: string): void {
    this.diagnostics.push({ severity: 'error', from: at.from, to: at.to, message, hint, rule });
  }

  private expect(e: Expr, want: ValueType, what: string, hint: () => string): void {
    const got = this.check(e);
    if (got !== want)
      this.error(e, `${what} must be ${TYPE_NAMES[want]}, got ${TYPE_NAMES[got]}`, hint(), 'argument-type');
  }

  /** Checks `e` and returns its type. */
  check(e: Expr): ValueType {
    let n = e;
    while (n.type === 'paren') n = n.expr;
    switch (n.type) {
      case 'aggregate':
        this.aggregate(n);
        break;
      case 'binary':
        return this.binaryChain(n);
      case 'call':
        this.call(n);
        break;
      case 'unary': {
        const t = this.check(n.expr);
        if (t !== 'scalar' && t !== 'vector')
          this.error(
            n,
            `unary ${n.op} needs a scalar or an instant vector, got ${TYPE_NAMES[t]}`,
            t === 'matrix'
              ? `apply it to an instant vector, e.g. ${n.op}rate(${this.text(n.expr)})`
              : 'apply it to a number or an instant vector',
            'argument-type',
          );
        break;
      }
      case 'subquery': {
        const t = this.check(n.expr);
        if (t !== 'vector')
          this.error(
            n,
            `a subquery needs an instant vector, got ${TYPE_NAMES[t]}`,
            'apply [range:step] to an instant-vector expression',
            'argument-type',
          );
        break;
      }
      case 'matrix':
        this.check(n.selector);
        break;
      case 'selector':
        this.selector(n);
        break;
      default:
        break;
    }
    return typeOf(n);
  }

  private text(e: Expr): string {
    return this.q.slice(e.from, e.to);
  }

  private aggregate(n: ExprOf<'aggregate'>): void {
    const param = aggregationParam(this.g, n.op);
    const body = n.args[param ? 1 : 0];
    if (body) {
      this.expect(body, 'vector', `${n.op}() aggregates an instant vector: its argument`, () =>
        typeOf(body) === 'matrix'
          ? `wrap the range in a function first: ${n.op}(rate(${this.text(body)}))`
          : 'aggregate an instant vector',
      );
    }
    const p = n.args[0];
    if (param && p)
      this.expect(p, param, `${n.op}() parameter`, () =>
        param === 'string' ? `${n.op}("label", x)` : `${n.op}(5, x)`,
      );
  }

  private call(n: ExprOf<'call'>): void {
    const sig = functionIn(this.g, n.name);
    if (!sig) return;
    const min = sig.optional < 0 ? sig.args.length - 1 : sig.args.length - sig.optional;
    const max = sig.optional < 0 ? Number.POSITIVE_INFINITY : sig.args.length;
    const usage = `${n.name}(${sig.args.map((t, i) => (i >= min ? `[<${t}>]` : `<${t}>`)).join(', ')}${sig.optional < 0 ? ', ...' : ''})`;
    if (n.args.length < min || n.args.length > max) {
      const want =
        min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
      this.error(
        n,
        `${n.name}() takes ${want} argument${want === '1' ? '' : 's'}, got ${n.args.length}`,
        usage,
        'argument-count',
      );
    }
    n.args.forEach((arg, i) => {
      if (i >= sig.args.length && sig.optional >= 0) return;
      const want = sig.args[Math.min(i, sig.args.length - 1)] as ValueType;
      this.expect(arg, want, `${n.name}() argument ${i + 1}`, () =>
        argumentHint(n.name, want, this.text(arg)),
      );
    });
  }

  /** Checks a left-deep chain of binary expressions bottom-up, without recursing down the spine. */
  private binaryChain(top: ExprOf<'binary'>): ValueType {
    const spine: ExprOf<'binary'>[] = [];
    let e: Expr = top;
    while (e.type === 'binary') {
      spine.push(e);
      e = unparenExpr(e.lhs);
    }
    let lt = this.check(e);
    for (let i = spine.length - 1; i >= 0; i--) {
      const n = spine[i] as ExprOf<'binary'>;
      const rt = this.check(n.rhs);
      this.binary(n, lt, rt);
      lt = lt === 'scalar' && rt === 'scalar' ? 'scalar' : 'vector';
    }
    return lt;
  }

  private binary(n: ExprOf<'binary'>, lt: ValueType, rt: ValueType): void {
    const op = n.op;
    const m = n.matching;
    if (n.bool && !COMPARISON_OPS.has(op))
      this.error(
        n.opSpan,
        '`bool` only applies to comparison operators (==, !=, >, <, >=, <=)',
        'remove `bool`',
        'bool-modifier',
      );
    if (COMPARISON_OPS.has(op) && !n.bool && lt === 'scalar' && rt === 'scalar')
      this.error(
        n.opSpan,
        'comparing two scalars needs the `bool` modifier',
        `write: ${this.text(n.lhs)} ${op} bool ${this.text(n.rhs)}`,
        'bool-modifier',
      );
    const card = SET_OPS.has(op) && m.card === 'one-to-one' ? 'many-to-many' : m.card;
    if (m.on) {
      for (const l of m.labels.filter((x) => m.include.includes(x)))
        this.error(
          n.matchingSpan ?? n.opSpan,
          `label "${l}" is in both on(...) and the group clause`,
          `drop ${l} from the group_left/group_right list: on() labels are copied anyway`,
          'vector-matching',
        );
    }
    for (const [side, t] of [
      [n.lhs, lt],
      [n.rhs, rt],
    ] as const) {
      if (t !== 'scalar' && t !== 'vector')
        this.error(
          side,
          `\`${op}\` works on scalars and instant vectors, got ${TYPE_NAMES[t]}`,
          t === 'matrix'
            ? 'turn the range into an instant vector first, e.g. with rate() or avg_over_time()'
            : 'strings cannot be combined with operators',
          'binary-operand',
        );
    }
    if (lt !== 'vector' || rt !== 'vector') {
      if (m.labels.length > 0)
        this.error(
          n.matchingSpan ?? n,
          'on/ignoring with labels need instant vectors on both sides',
          'remove the matching clause',
          'binary-operand',
        );
    } else if (SET_OPS.has(op) && card !== 'many-to-many') {
      this.error(
        n.matchingSpan ?? n,
        `no grouping allowed for \`${op}\`: set operators match many-to-many`,
        'remove group_left/group_right',
        'vector-matching',
      );
    }
    if ((lt === 'scalar' || rt === 'scalar') && SET_OPS.has(op))
      this.error(
        n,
        `\`${op}\` is a set operator: both sides must be instant vectors`,
        'use vector(<scalar>) to turn a scalar into a vector',
        'binary-operand',
      );
  }

  private selector(n: ExprOf<'selector'>): void {
    if (n.name !== undefined) {
      if (n.matchers.some((m) => m.name === '__name__'))
        this.error(
          n,
          'the metric name is given twice (before the braces and as __name__)',
          'keep one of them',
          'selector',
        );
      return;
    }
    const nonEmpty = n.matchers.some((m) => !matchesEmpty(m.op, m.value));
    if (!nonEmpty)
      this.error(
        n,
        'a selector needs a metric name or at least one matcher that does not match the empty string',
        'add a metric name, e.g. up{job=~".+"}',
        'selector',
      );
  }
}

function matchesEmpty(op: string, value: string): boolean {
  if (op === '=') return value === '';
  if (op === '!=') return value !== '';
  const m = regexMatchesEmpty(value);
  return op === '=~' ? m : !m;
}

function argumentHint(fn: string, want: ValueType, arg: string): string {
  if (want === 'matrix') return `give it a range: ${fn}(${arg}[5m])`;
  if (want === 'scalar') return `use a number, or scalar(${arg})`;
  if (want === 'vector' && /\[[^\]]*\]$/.test(arg)) return `drop the range, or wrap it: ${fn}(rate(${arg}))`;
  if (want === 'string') return 'use a quoted string';
  return `pass ${TYPE_NAMES[want]}`;
}
