// Token cursor of the PromQL parser: lookahead, errors in Prometheus' wording, and the stop at
// the first grammar error.
import type { Span } from './ast.js';
import type { Grammar } from './grammar.js';
import type { Token } from './lexer.js';

export interface ParseError extends Span {
  message: string;
  /** `syntax`, `unknown-function`, `regex`, `modifier`, `range`, `selector`, `argument-count`. */
  rule: string;
  /** The offending token, for explanations. */
  token?: Token;
}

export const PRECEDENCE: Record<string, number> = {
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
export const METRIC_KEYWORDS = new Set([
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
export class Failure {}

/** Parses `q` for `grammar`; `errors` is empty when Prometheus would accept the syntax. */
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
export class TokenCursor {
  readonly errors: ParseError[] = [];
  protected i = 0;

  constructor(
    protected readonly q: string,
    protected readonly tokens: Token[],
    protected readonly g: Grammar,
  ) {}

  /** The token `k` ahead; past the end, the last (EOF) token. */
  protected peek(k = 0): Token | undefined {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }

  protected next(): Token | undefined {
    const t = this.peek();
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }

  protected kw(t: Token | undefined): string | undefined {
    return t?.kind === 'KEYWORD' ? t.val.toLowerCase() : undefined;
  }

  protected err(span: Span, message: string, rule = 'syntax'): void {
    this.errors.push({ from: span.from, to: Math.max(span.to, span.from), message, rule });
  }

  /** A grammar error at the current token: parsing stops here. */
  protected unexpected(context = '', expected = ''): never {
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

  protected expect(kind: Token['kind'], context: string, expected: string): Token {
    if (this.peek()?.kind !== kind) this.unexpected(context, expected);
    return this.next() as Token;
  }
}
