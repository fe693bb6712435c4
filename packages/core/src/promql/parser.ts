// PromQL parser after Prometheus' grammar (promql/parser/generated_parser.y and parse.go): the
// same precedence, the same keyword rules and the same checks made while parsing (offset and @
// placement, ranges, durations, numbers, matchers). Iterative where depth is unbounded.
import type { Expr, ExprOf, Span, VectorMatching } from './ast.js';
import { aggregationParam, functionIn, type Grammar, isAggregation } from './grammar.js';
import { lex, type Token } from './lexer.js';
import { unquoteString } from './literals.js';
import { Failure, METRIC_KEYWORDS, type ParseError, PRECEDENCE } from './parser-cursor.js';
import { TermParser } from './parser-terms.js';

export type { ParseError } from './parser-cursor.js';
export { COMPARISON_OPS, describeToken, SET_OPS } from './parser-cursor.js';

/** Parses `q` for `grammar`; `errors` is empty when Prometheus would accept the syntax. */
export function parsePromQL(q: string, grammar: Grammar): { expr?: Expr; errors: ParseError[] } {
  const { tokens, error } = lex(q, grammar.v3);
  // A lexical error ends the token stream: the parser meets it where it would read on.
  if (error) tokens.push({ kind: 'EOF', val: '', from: error.from, to: error.from });
  const p = new Parser(q, tokens, grammar);
  let expr: Expr | undefined;
  try {
    expr = p.parseTop();
  } catch (e) {
    if (!(e instanceof Failure)) throw e;
  }
  if (error) {
    const before = p.errors.filter((d) => d.from < error.from && d.token !== undefined);
    const lexical = { ...error, rule: /duration/.test(error.message) ? 'range' : 'syntax' };
    return { errors: [...before, lexical] };
  }
  return expr && p.errors.length === 0 ? { expr, errors: [] } : { errors: p.errors };
}
class Parser extends TermParser {
  parseTop(): Expr | undefined {
    if (this.peek()?.kind === 'EOF') {
      this.err({ from: 0, to: this.q.length }, 'no expression found in input');
      return undefined;
    }
    const e = this.expr(0);
    if (this.peek()?.kind !== 'EOF') this.unexpected();
    return e;
  }

  protected binaryOp(t: Token | undefined): string | undefined {
    if (!t) return undefined;
    const op = t.kind === 'OP' ? t.val : (this.kw(t) ?? '');
    return PRECEDENCE[op] !== undefined ? op : undefined;
  }

  /** Precedence climbing over the binary operators; postfix modifiers bind tightest. */
  protected expr(minPrec: number): Expr {
    return this.exprFrom(minPrec, this.unary());
  }

  protected exprFrom(minPrec: number, first: Expr): Expr {
    let lhs = first;
    for (;;) {
      const opTok = this.peek();
      const op = this.binaryOp(opTok);
      const prec = op ? (PRECEDENCE[op] as number) : -1;
      if (!op || !opTok || prec < minPrec) return lhs;
      this.next();
      const { bool, matching, span } = this.binModifiers();
      const rhs = this.expr(op === '^' ? prec : prec + 1);
      const node: ExprOf<'binary'> = {
        type: 'binary',
        op,
        opSpan: { from: opTok.from, to: opTok.to },
        lhs,
        rhs,
        bool,
        matching,
        from: lhs.from,
        to: rhs.to,
      };
      if (span) node.matchingSpan = span;
      lhs = node;
    }
  }

  protected unary(): Expr {
    const t = this.peek();
    if (t?.kind === 'OP' && (t.val === '+' || t.val === '-')) {
      const ops: Token[] = [];
      while (this.peek()?.kind === 'OP' && (this.peek()?.val === '+' || this.peek()?.val === '-'))
        ops.push(this.next() as Token);
      let e = this.expr(PRECEDENCE['^'] as number);
      for (let k = ops.length - 1; k >= 0; k--) {
        const op = ops[k] as Token;
        if (e.type === 'number') e = { ...e, value: op.val === '-' ? -e.value : e.value, from: op.from };
        else e = { type: 'unary', op: op.val as '+' | '-', expr: e, from: op.from, to: e.to };
      }
      return e;
    }
    return this.postfix(this.primary());
  }

  protected binModifiers(): { bool: boolean; matching: VectorMatching; span?: Span } {
    const matching: VectorMatching = { on: false, labels: [], card: 'one-to-one', include: [] };
    let bool = false;
    if (this.kw(this.peek()) === 'bool') {
      this.next();
      bool = true;
    }
    const k = this.kw(this.peek());
    if (k !== 'on' && k !== 'ignoring') return { bool, matching };
    const from = (this.next() as Token).from;
    matching.on = k === 'on';
    matching.labels = this.groupingLabels();
    const g = this.kw(this.peek());
    if (g === 'group_left' || g === 'group_right') {
      this.next();
      matching.card = g === 'group_left' ? 'many-to-one' : 'one-to-many';
      if (this.peek()?.kind === 'LEFT_PAREN') matching.include = this.groupingLabels();
    }
    return { bool, matching, span: { from, to: this.tokens[this.i - 1]?.to ?? from } };
  }

  protected primary(): Expr {
    const t = this.peek();
    if (!t) throw new Failure();
    switch (t.kind) {
      case 'NUMBER':
        this.next();
        return { type: 'number', value: this.number(t), from: t.from, to: t.to };
      case 'DURATION':
        if (!this.g.v3) return this.unexpected();
        this.next();
        return { type: 'number', value: this.duration(t) / 1000, from: t.from, to: t.to };
      case 'STRING':
        this.next();
        return { type: 'string', value: unquoteString(t.val), from: t.from, to: t.to };
      case 'LEFT_PAREN':
        return this.parens();
      case 'LEFT_BRACE':
        return this.selector(undefined);
      case 'METRIC_IDENTIFIER':
        return this.selector(this.next());
      case 'IDENTIFIER':
        if (this.peek(1)?.kind === 'LEFT_PAREN' && !(this.g.v3 && isAggregation(this.g, t.val)))
          return this.call();
        if (this.g.v3 && isAggregation(this.g, t.val) && this.startsAggregation(1)) return this.aggregate();
        return this.selector(this.next());
      case 'KEYWORD': {
        const word = t.val.toLowerCase();
        if (isAggregation(this.g, word) && this.startsAggregation(1)) return this.aggregate();
        if (METRIC_KEYWORDS.has(word)) return this.selector(this.next());
        return this.unexpected();
      }
      default:
        return this.unexpected();
    }
  }

  /** Nested parentheses without recursing once per level: `((((x))))` of any depth. */
  protected parens(): Expr {
    const opens: Token[] = [];
    while (this.peek()?.kind === 'LEFT_PAREN') opens.push(this.next() as Token);
    if (this.peek()?.kind === 'RIGHT_PAREN') this.unexpected();
    let inner = this.expr(0);
    for (let k = opens.length - 1; ; k--) {
      const close = this.peek();
      if (close?.kind !== 'RIGHT_PAREN') return this.unexpected('paren expression', '")"');
      this.next();
      const node: Expr = { type: 'paren', expr: inner, from: (opens[k] as Token).from, to: close.to };
      if (k === 0) return node;
      inner = this.exprFrom(0, this.postfix(node));
    }
  }

  protected startsAggregation(k: number): boolean {
    const n = this.peek(k);
    const w = this.kw(n);
    return n?.kind === 'LEFT_PAREN' || w === 'by' || w === 'without';
  }

  protected call(): Expr {
    const name = this.next() as Token;
    const args = this.callArgs();
    const sig = functionIn(this.g, name.val);
    if (!sig) this.err(name, `unknown function with name ${JSON.stringify(name.val)}`, 'unknown-function');
    const node: ExprOf<'call'> = {
      type: 'call',
      name: name.val,
      nameSpan: { from: name.from, to: name.to },
      args,
      from: name.from,
      to: this.tokens[this.i - 1]?.to ?? name.to,
    };
    if (sig) node.returns = sig.returns;
    return node;
  }

  protected callArgs(): Expr[] {
    this.expect('LEFT_PAREN', '', '"("');
    const args: Expr[] = [];
    if (this.peek()?.kind === 'RIGHT_PAREN') {
      this.next();
      return args;
    }
    for (;;) {
      args.push(this.expr(0));
      const t = this.peek();
      if (t?.kind === 'RIGHT_PAREN') break;
      if (t?.kind !== 'COMMA') this.unexpected('', '"," or ")"');
      this.next();
      if (this.peek()?.kind === 'RIGHT_PAREN') {
        this.err(t, 'trailing commas not allowed in function call args');
        break;
      }
    }
    this.next();
    return args;
  }

  protected aggregate(): Expr {
    const opTok = this.next() as Token;
    const op = opTok.val.toLowerCase();
    let grouping: string[] = [];
    let without = false;
    let hasModifier = false;
    let modifierSpan: Span | undefined;
    const modifier = () => {
      const k = this.kw(this.peek());
      if (k !== 'by' && k !== 'without') return;
      const from = (this.next() as Token).from;
      without = k === 'without';
      hasModifier = true;
      grouping = this.groupingLabels();
      modifierSpan = { from, to: this.tokens[this.i - 1]?.to ?? from };
    };
    modifier();
    if (this.peek()?.kind !== 'LEFT_PAREN') this.unexpected('aggregation');
    const args = this.callArgs();
    if (!hasModifier) modifier();
    const node: ExprOf<'aggregate'> = {
      type: 'aggregate',
      op,
      opSpan: { from: opTok.from, to: opTok.to },
      args,
      grouping,
      without,
      hasModifier,
      from: opTok.from,
      to: this.tokens[this.i - 1]?.to ?? opTok.to,
    };
    if (modifierSpan) node.modifierSpan = modifierSpan;
    const want = aggregationParam(this.g, op) ? 2 : 1;
    if (args.length === 0) this.err(node, 'no arguments for aggregate expression provided', 'argument-count');
    else if (args.length !== want)
      this.err(
        node,
        `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`,
        'argument-count',
      );
    return node;
  }

  /** Ranges, subqueries, offset and @ after an expression. */
  protected postfix(base: Expr): Expr {
    let e = base;
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'LEFT_BRACKET') e = this.bracket(e);
      else if (this.kw(t) === 'offset') this.offset(e);
      else if (t?.kind === 'AT') this.at(e);
      else return e;
      if (e.type === 'matrix' || e.type === 'subquery') e.to = this.tokens[this.i - 1]?.to ?? e.to;
    }
  }

  protected bracket(e: Expr): Expr {
    const open = this.next() as Token;
    if (this.peek()?.kind !== 'DURATION' && !(this.g.v3 && this.peek()?.kind === 'NUMBER'))
      this.unexpected('subquery selector', 'duration');
    const range = this.durationArg('range');
    const t = this.peek();
    if (t?.kind === 'RIGHT_BRACKET') {
      this.next();
      const span = { from: open.from, to: t.to };
      const inner = e.type === 'selector' ? e : undefined;
      if (!inner) this.err(span, 'ranges only allowed for vector selectors', 'argument-type');
      else if (inner.offsetMs !== 0) this.err(span, 'no offset modifiers allowed before range', 'modifier');
      else if (inner.atTimestamp) this.err(span, 'no @ modifiers allowed before range', 'modifier');
      return {
        type: 'matrix',
        selector: e,
        rangeMs: range.ms,
        rangeSpan: range.span,
        from: e.from,
        to: t.to,
      };
    }
    if (t?.kind !== 'COLON') return this.unexpected('subquery or range', '":" or "]"');
    this.next();
    let stepMs = 0;
    if (this.peek()?.kind !== 'RIGHT_BRACKET') {
      if (this.peek()?.kind !== 'DURATION' && !(this.g.v3 && this.peek()?.kind === 'NUMBER'))
        this.unexpected('subquery selector', 'duration or "]"');
      stepMs = this.durationArg('step').ms;
    }
    const close = this.expect('RIGHT_BRACKET', 'subquery selector', '"]"');
    return {
      type: 'subquery',
      expr: e,
      rangeMs: range.ms,
      stepMs,
      rangeSpan: range.span,
      offsetMs: 0,
      at: false,
      atTimestamp: false,
      from: e.from,
      to: close.to,
    };
  }

  /** The selector or subquery a modifier lands on (a range selector's is its selector). */
  protected modifierTarget(e: Expr, what: string): ExprOf<'selector'> | ExprOf<'subquery'> | undefined {
    if (e.type === 'selector' || e.type === 'subquery') return e;
    if (e.type === 'matrix' && e.selector.type === 'selector') return e.selector;
    this.err(
      e,
      `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
      'modifier',
    );
    return undefined;
  }

  protected offset(e: Expr): void {
    this.next();
    let sign = 1;
    if (this.peek()?.kind === 'OP' && this.peek()?.val === '-') {
      this.next();
      sign = -1;
    }
    const { ms } = this.durationArg('offset');
    const target = this.modifierTarget(e, 'offset');
    if (!target) return;
    if (target.offsetMs !== 0) this.err(e, 'offset may not be set multiple times', 'modifier');
    else target.offsetMs = sign * ms;
  }

  protected at(e: Expr): void {
    this.next();
    const t = this.peek();
    const w = this.kw(t);
    let ts: number | undefined;
    if (w === 'start' || w === 'end') {
      this.next();
      this.expect('LEFT_PAREN', '@', 'timestamp');
      this.expect('RIGHT_PAREN', '@', 'timestamp');
    } else {
      let sign = 1;
      if (t?.kind === 'OP' && (t.val === '-' || t.val === '+')) {
        this.next();
        sign = t.val === '-' ? -1 : 1;
      }
      const n = this.peek();
      if (n?.kind !== 'NUMBER') this.unexpected('@', 'timestamp');
      this.next();
      ts = sign * this.number(n);
    }
    if (ts !== undefined && !(Number.isFinite(ts) && Math.abs(ts) < 9.223372036854776e18))
      this.err(e, `timestamp out of bounds for @ modifier: ${ts}`, 'modifier');
    const target = this.modifierTarget(e, '@');
    if (!target) return;
    if (target.at) this.err(e, '@ <timestamp> may not be set multiple times', 'modifier');
    target.at = true;
    if (ts !== undefined) target.atTimestamp = true;
  }
}
