// Terms of the PromQL parser: selectors and label matchers, grouping labels, numbers and
// durations, with the checks Prometheus makes while reading them.
import type { Expr, ExprOf, LabelMatcher, Span } from './ast.js';
import { isAlpha, type Token } from './lexer.js';
import { parseDurationMs, parseNumber, unquoteString } from './literals.js';
import { TokenCursor } from './parser-cursor.js';
import { regexError } from './re2.js';

export class TermParser extends TokenCursor {
  protected groupingLabels(): string[] {
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

  protected groupingLabel(): string {
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

  protected number(t: Token): number {
    const v = parseNumber(t.val);
    if (v === undefined)
      this.err(
        t,
        `error parsing number: strconv.ParseFloat: parsing ${JSON.stringify(t.val)}: invalid syntax`,
      );
    return v ?? 0;
  }

  protected duration(t: Token): number {
    const r = parseDurationMs(t.val);
    if (typeof r === 'string') this.err(t, r, 'range');
    return typeof r === 'number' ? r : 0;
  }

  /** A duration token, or (3.x) a number of seconds. */
  protected durationArg(context: string): { ms: number; span: Span } {
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

  protected selector(nameTok: Token | undefined): Expr {
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
      atTimestamp: false,
      from,
      to: this.tokens[this.i - 1]?.to ?? from,
    };
    if (name !== undefined) node.name = name;
    if (quotedName >= 0 && nameTok) this.err(node, 'metric name must not be set twice', 'selector');
    return node;
  }

  protected matchers(): LabelMatcher[] {
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

  protected matcher(): LabelMatcher {
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
}

function isLabel(s: string): boolean {
  return s.length > 0 && isAlpha(s[0] as string) && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(s);
}
