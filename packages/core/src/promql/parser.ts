// PromQL parser after Prometheus' grammar (promql/parser/generated_parser.y and parse.go): the
// same precedence, the same keyword rules and the same checks made while parsing (offset and @
// placement, ranges, durations, numbers, matchers). Iterative where depth is unbounded.
import type { Expr, ExprOf, LabelMatcher, Span, VectorMatching } from './ast.js';
import { aggregationParam, functionIn, type Grammar, isAggregation } from './grammar.js';
import { isAlpha, lex, type Token } from './lexer.js';
import { parseDurationMs, parseNumber, unquoteString } from './literals.js';
import { regexError } from './re2.js';

export interface ParseError extends Span {
  message: string;
  /** `syntax`, `unknown-function`, `regex`, `modifier`, `range`, `selector`, `argument-count`. */
  rule: string;
  /** The offending token, for explanations. */
  token?: Token;
}

const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};
export const COMPARISON_OPS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=']);
export const SET_OPS: ReadonlySet<string> = new Set(['and', 'or', 'unless']);
/** Keywords that may name a metric (metric_identifier). */
const METRIC_KEYWORDS = new Set([
  'avg',
  'bottomk',
  'by',
  'count',
  'count_values',
  'group',
  'and',
  'or',
  'unless',
  'max',
  'min',
  'offset',
  'quantile',
  'stddev',
  'stdvar',
  'sum',
  'topk',
  'without',
  'start',
  'end',
]);

/** Thrown to stop at the first grammar error; not an Error, so no stack trace is captured. */
class Failure {}

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

export const describeToken = (t: Token | undefined): string => {
  if (!t || t.kind === 'EOF') return 'end of input';
  const lower = t.val.toLowerCase();
  if (t.kind === 'KEYWORD') return PRECEDENCE[lower] ? `<op:${lower}>` : `<${lower}>`;
  if (t.kind === 'OP') return `<op:${t.val}>`;
  const kind: Partial<Record<Token['kind'], string>> = {
    NUMBER: 'number',
    DURATION: 'duration',
    STRING: 'string',
    IDENTIFIER: 'identifier',
    METRIC_IDENTIFIER: 'metric identifier',
  };
  const name = kind[t.kind];
  return name ? `${name} ${JSON.stringify(t.val)}` : JSON.stringify(t.val);
};

class Parser {
  readonly errors: ParseError[] = [];
  private i = 0;

  constructor(
    private readonly q: string,
    private readonly tokens: Token[],
    private readonly g: Grammar,
  ) {}

  /** The token `k` ahead; past the end, the last (EOF) token. */
  private peek(k = 0): Token | undefined {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }
  private next(): Token | undefined {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  private kw(t: Token | undefined): string | undefined {
    return t?.kind === 'KEYWORD' ? t.val.toLowerCase() : undefined;
  }
  private err(span: Span, message: string, rule = 'syntax'): void {
    this.errors.push({ from: span.from, to: Math.max(span.to, span.from), message, rule });
  }
  /** A grammar error at the current token: parsing stops here. */
  private unexpected(context = '', expected = ''): never {
    const t = this.peek();
    if (t) {
      const where = context ? ` in ${context}` : '';
      const want = expected ? `, expected ${expected}` : '';
      this.errors.push({
        from: t.from,
        to: Math.max(t.to, t.from + 1),
        message: `unexpected ${describeToken(t)}${where}${want}`,
        rule: 'syntax',
        token: t,
      });
    }
    throw new Failure();
  }
  private expect(kind: Token['kind'], context: string, expected: string): Token {
    if (this.peek()?.kind !== kind) this.unexpected(context, expected);
    return this.next() as Token;
  }

  parseTop(): Expr | undefined {
    if (this.peek()?.kind === 'EOF') {
      this.err({ from: 0, to: this.q.length }, 'no expression found in input');
      return undefined;
    }
    const e = this.expr(0);
    if (this.peek()?.kind !== 'EOF') this.unexpected();
    return e;
  }

  private binaryOp(t: Token | undefined): string | undefined {
    if (!t) return undefined;
    const op = t.kind === 'OP' ? t.val : (this.kw(t) ?? '');
    return PRECEDENCE[op] !== undefined ? op : undefined;
  }

  /** Precedence climbing over the binary operators; postfix modifiers bind tightest. */
  private expr(minPrec: number): Expr {
    return this.exprFrom(minPrec, this.unary());
  }

  private exprFrom(minPrec: number, first: Expr): Expr {
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

  private unary(): Expr {
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

  private binModifiers(): { bool: boolean; matching: VectorMatching; span?: Span } {
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

  private groupingLabels(): string[] {
    if (this.peek()?.kind !== 'LEFT_PAREN') this.unexpected('grouping opts', '"("');
    this.next();
    const labels: string[] = [];
    while (this.peek()?.kind !== 'RIGHT_PAREN') {
      labels.push(this.groupingLabel());
      if (this.peek()?.kind === 'COMMA') this.next();
      else if (this.peek()?.kind !== 'RIGHT_PAREN') this.unexpected('grouping opts', '"," or ")"');
    }
    this.next();
    return labels;
  }

  private groupingLabel(): string {
    const t = this.peek() as Token;
    const word = this.kw(t);
    if (t.kind === 'STRING' && this.g.v3) {
      this.next();
      return unquoteString(t.val);
    }
    const ok =
      t.kind === 'IDENTIFIER' || t.kind === 'METRIC_IDENTIFIER' || (word !== undefined && word !== 'without');
    if (!ok || !isLabel(t.val)) this.unexpected('grouping opts', 'label');
    this.next();
    return t.val;
  }

  private primary(): Expr {
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
  private parens(): Expr {
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

  private startsAggregation(k: number): boolean {
    const n = this.peek(k);
    const w = this.kw(n);
    return n?.kind === 'LEFT_PAREN' || w === 'by' || w === 'without';
  }

  private number(t: Token): number {
    const v = parseNumber(t.val);
    if (v === undefined)
      this.err(
        t,
        `error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(t.val)}: invalid syntax`,
      );
    return v ?? 0;
  }

  private duration(t: Token): number {
    const r = parseDurationMs(t.val);
    if (typeof r === 'string') this.err(t, r, 'range');
    return typeof r === 'number' ? r : 0;
  }

  /** A duration token, or (3.x) a number of seconds. */
  private durationArg(context: string): { ms: number; span: Span } {
    const t = this.peek();
    if (t?.kind === 'DURATION') {
      this.next();
      return { ms: this.duration(t), span: t };
    }
    if (t?.kind === 'NUMBER' && this.g.v3) {
      this.next();
      const ms = Math.round(this.number(t) * 1000);
      if (ms <= 0 && context !== 'offset') this.err(t, 'duration must be greater than 0', 'range');
      return { ms, span: t };
    }
    return this.unexpected(context, this.g.v3 ? 'number or duration' : 'duration');
  }

  private call(): Expr {
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

  private callArgs(): Expr[] {
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

  private aggregate(): Expr {
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

  private selector(nameTok: Token | undefined): Expr {
    const from = nameTok?.from ?? (this.peek() as Token).from;
    const matchers = this.peek()?.kind === 'LEFT_BRACE' ? this.matchers() : [];
    let name = nameTok?.val;
    const quotedName = matchers.findIndex((m) => m.op === '=' && m.name === '');
    if (quotedName >= 0) {
      name = (matchers[quotedName] as LabelMatcher).value;
      matchers.splice(quotedName, 1);
    }
    const node: ExprOf<'selector'> = {
      type: 'selector',
      matchers,
      offsetMs: 0,
      at: false,
      from,
      to: this.tokens[this.i - 1]?.to ?? from,
    };
    if (name !== undefined) node.name = name;
    if (quotedName >= 0 && nameTok) this.err(node, 'metric name must not be set twice', 'selector');
    return node;
  }

  private matchers(): LabelMatcher[] {
    this.next();
    const out: LabelMatcher[] = [];
    while (this.peek()?.kind !== 'RIGHT_BRACE') {
      out.push(this.matcher());
      if (this.peek()?.kind === 'COMMA') this.next();
      else if (this.peek()?.kind !== 'RIGHT_BRACE') this.unexpected('label matching', '"," or "}"');
    }
    this.next();
    return out;
  }

  private matcher(): LabelMatcher {
    const t = this.peek() as Token;
    let name: string;
    if (t.kind === 'IDENTIFIER') name = t.val;
    else if (t.kind === 'STRING' && this.g.v3) name = unquoteString(t.val);
    else return this.unexpected('label matching', 'identifier or "}"');
    this.next();
    const opTok = this.peek();
    const op =
      opTok?.kind === 'EQL'
        ? '='
        : opTok?.kind === 'EQL_REGEX'
          ? '=~'
          : opTok?.kind === 'NEQ_REGEX'
            ? '!~'
            : opTok?.kind === 'OP' && opTok.val === '!='
              ? '!='
              : undefined;
    if (!op) {
      // 3.x: `{"metric.name"}` names the metric.
      if (t.kind === 'STRING') return { name: '', op: '=', value: name, from: t.from, to: t.to };
      return this.unexpected('label matching', 'label matching operator');
    }
    this.next();
    const v = this.peek();
    if (v?.kind !== 'STRING') return this.unexpected('label matching', 'string');
    this.next();
    const value = unquoteString(v.val);
    const m: LabelMatcher = { name, op, value, from: t.from, to: v.to };
    if (op === '=~' || op === '!~') {
      const problem = regexError(value, this.g);
      if (problem) this.err(m, problem, 'regex');
    }
    return m;
  }

  /** Ranges, subqueries, offset and @ after an expression. */
  private postfix(base: Expr): Expr {
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

  private bracket(e: Expr): Expr {
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
      else if (inner.at) this.err(span, 'no @ modifiers allowed before range', 'modifier');
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
      from: e.from,
      to: close.to,
    };
  }

  /** The selector or subquery a modifier lands on (a range selector's is its selector). */
  private modifierTarget(e: Expr, what: string): ExprOf<'selector'> | ExprOf<'subquery'> | undefined {
    if (e.type === 'selector' || e.type === 'subquery') return e;
    if (e.type === 'matrix' && e.selector.type === 'selector') return e.selector;
    this.err(
      e,
      `${what} modifier must be preceded by an instant vector selector or range vector selector or a subquery`,
      'modifier',
    );
    return undefined;
  }

  private offset(e: Expr): void {
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

  private at(e: Expr): void {
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
  }
}

function isLabel(s: string): boolean {
  return s.length > 0 && isAlpha(s[0] as string) && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(s);
}
