// PromQL lexer, after Prometheus' own (promql/parser/lex.go): the same tokens, the same
// number/duration/string rules and the same errors, so accept/reject matches the server.
import { AGGREGATION_WORDS } from './grammar.js';

export type TokenKind =
  | 'EOF'
  | 'COMMA'
  | 'OP'
  | 'EQL'
  | 'EQL_REGEX'
  | 'NEQ_REGEX'
  | 'NUMBER'
  | 'DURATION'
  | 'STRING'
  | 'IDENTIFIER'
  | 'METRIC_IDENTIFIER'
  | 'KEYWORD'
  | 'LEFT_PAREN'
  | 'RIGHT_PAREN'
  | 'LEFT_BRACE'
  | 'RIGHT_BRACE'
  | 'LEFT_BRACKET'
  | 'RIGHT_BRACKET'
  | 'COLON'
  | 'AT';

export interface Token {
  kind: TokenKind;
  /** Text as written. */
  val: string;
  from: number;
  to: number;
}

export interface LexError {
  message: string;
  from: number;
  to: number;
}

/** Keywords (case-insensitive). `inf` and `nan` lex as numbers. */
export const KEYWORDS: ReadonlySet<string> = new Set([
  ...AGGREGATION_WORDS,
  'and',
  'or',
  'unless',
  'atan2',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'start',
  'end',
]);

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isDigit = (c: string) => c >= '0' && c <= '9';
export const isAlpha = (c: string) => c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isAlphaNumeric = (c: string) => isAlpha(c) || isDigit(c);
const quote = (c: string) => (c === '' ? 'EOF' : JSON.stringify(c).replace(/^"|"$/g, "'"));

/** Tokens of `q` up to the end or the first lexical error. */
export function lex(q: string, numbersAsDurations = false): { tokens: Token[]; error?: LexError } {
  return new Lexer(q, numbersAsDurations).run();
}

class Lexer {
  private pos = 0;
  private start = 0;
  private parenDepth = 0;
  private braceOpen = false;
  private bracketOpen = false;
  private gotColon = false;
  private readonly tokens: Token[] = [];
  private error: LexError | undefined;

  /** `numbersAsDurations`: Prometheus 3 reads `[5]` as five seconds. */
  constructor(
    private readonly q: string,
    private readonly numbersAsDurations: boolean,
  ) {}

  run(): { tokens: Token[]; error?: LexError } {
    while (!this.error) {
      if (this.braceOpen ? this.insideBraces() : this.statement()) break;
    }
    return this.error ? { tokens: this.tokens, error: this.error } : { tokens: this.tokens };
  }

  private next(): string {
    return this.q[this.pos++] ?? '';
  }
  private peek(): string {
    return this.q[this.pos] ?? '';
  }
  private accept(valid: string): boolean {
    const c = this.peek();
    if (c !== '' && valid.includes(c)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private acceptRun(valid: string): void {
    while (this.accept(valid));
  }
  private emit(kind: TokenKind, val = this.q.slice(this.start, this.pos)): void {
    this.tokens.push({ kind, val, from: this.start, to: this.pos });
    this.start = this.pos;
  }
  private fail(message: string): true {
    this.error = { message, from: this.start, to: Math.max(this.pos, this.start + 1) };
    return true;
  }

  /** One token outside braces; true at the end. */
  private statement(): boolean {
    if (this.q.startsWith('#', this.pos)) return this.comment();
    const c = this.next();
    if (c === '') {
      this.pos = this.q.length;
      if (this.parenDepth !== 0) return this.fail('unclosed left parenthesis');
      if (this.bracketOpen) return this.fail('unclosed left bracket');
      this.emit('EOF', '');
      return true;
    }
    if (isSpace(c)) {
      while (isSpace(this.peek())) this.pos++;
      this.start = this.pos;
      return false;
    }
    if (c === ',') this.emit('COMMA');
    else if ('*/%+-^'.includes(c)) this.emit('OP');
    else if (c === '=') {
      if (this.peek() === '=') {
        this.pos++;
        this.emit('OP');
      } else if (this.peek() === '~') return this.fail("unexpected character after '=': '~'");
      else this.emit('EQL');
    } else if (c === '!') {
      if (this.next() !== '=')
        return this.fail(`unexpected character after '!': ${quote(this.q[this.pos - 1] ?? '')}`);
      this.emit('OP');
    } else if (c === '<' || c === '>') {
      this.accept('=');
      this.emit('OP');
    } else if (isDigit(c) || (c === '.' && isDigit(this.peek()))) {
      this.pos--;
      return this.numberOrDuration();
    } else if (c === '"' || c === "'") return this.string(c);
    else if (c === '`') return this.rawString();
    else if (isAlpha(c) || c === ':') {
      if (!this.bracketOpen) {
        this.pos--;
        return this.keywordOrIdentifier();
      }
      if (this.gotColon) return this.fail(`unexpected colon ${quote(c)}`);
      this.emit('COLON');
      this.gotColon = true;
    } else if (c === '(') {
      this.emit('LEFT_PAREN');
      this.parenDepth++;
    } else if (c === ')') {
      this.emit('RIGHT_PAREN');
      if (--this.parenDepth < 0) return this.fail("unexpected right parenthesis ')'");
    } else if (c === '{') {
      this.emit('LEFT_BRACE');
      this.braceOpen = true;
    } else if (c === '[') {
      if (this.bracketOpen) return this.fail("unexpected left bracket '['");
      this.gotColon = false;
      this.emit('LEFT_BRACKET');
      while (isSpace(this.peek())) this.pos++;
      this.start = this.pos;
      this.bracketOpen = true;
      return this.duration();
    } else if (c === ']') {
      if (!this.bracketOpen) return this.fail("unexpected right bracket ']'");
      this.emit('RIGHT_BRACKET');
      this.bracketOpen = false;
    } else if (c === '@') this.emit('AT');
    else return this.fail(`unexpected character: ${quote(c)}`);
    return false;
  }

  private insideBraces(): boolean {
    if (this.q.startsWith('#', this.pos)) return this.comment();
    const c = this.next();
    if (c === '') return this.fail('unexpected end of input inside braces');
    if (isSpace(c)) {
      while (isSpace(this.peek())) this.pos++;
      this.start = this.pos;
    } else if (isAlpha(c)) {
      while (isAlphaNumeric(this.peek())) this.pos++;
      this.emit('IDENTIFIER');
    } else if (c === ',') this.emit('COMMA');
    else if (c === '"' || c === "'") return this.string(c);
    else if (c === '`') return this.rawString();
    else if (c === '=') this.emit(this.accept('~') ? 'EQL_REGEX' : 'EQL');
    else if (c === '!') {
      const n = this.next();
      if (n === '~') this.emit('NEQ_REGEX');
      else if (n === '=') this.emit('OP');
      else return this.fail(`unexpected character after '!' inside braces: ${quote(n)}`);
    } else if (c === '{') return this.fail("unexpected left brace '{'");
    else if (c === '}') {
      this.emit('RIGHT_BRACE');
      this.braceOpen = false;
    } else return this.fail(`unexpected character inside braces: ${quote(c)}`);
    return false;
  }

  private comment(): boolean {
    while (this.pos < this.q.length && this.q[this.pos] !== '\n' && this.q[this.pos] !== '\r') this.pos++;
    this.start = this.pos;
    return false;
  }

  private string(open: string): boolean {
    for (;;) {
      const c = this.next();
      if (c === '\\') {
        const problem = this.escape(open);
        if (problem) return this.fail(problem);
      } else if (c === '' || c === '\n') {
        this.pos = Math.min(this.pos, this.q.length);
        return this.fail('unterminated quoted string');
      } else if (c === open) break;
    }
    this.emit('STRING');
    return false;
  }

  private rawString(): boolean {
    const end = this.q.indexOf('`', this.pos);
    if (end < 0) {
      this.pos = this.q.length;
      return this.fail('unterminated raw string');
    }
    this.pos = end + 1;
    this.emit('STRING');
    return false;
  }

  /** Go's escape rules; the problem, if any. */
  private escape(open: string): string | undefined {
    let c = this.next();
    let n: number;
    let base: number;
    let max: number;
    if ('abfnrtv\\'.includes(c) && c !== '') return undefined;
    if (c === open) return undefined;
    if (c >= '0' && c <= '7') [n, base, max] = [3, 8, 255];
    else if (c === 'x') [c, n, base, max] = [this.next(), 2, 16, 255];
    else if (c === 'u') [c, n, base, max] = [this.next(), 4, 16, 0x10ffff];
    else if (c === 'U') [c, n, base, max] = [this.next(), 8, 16, 0x10ffff];
    else if (c === '') return 'escape sequence not terminated';
    else return `unknown escape sequence ${unicodeName(c)}`;
    let x = 0;
    while (n > 0) {
      const d = digitVal(c);
      if (d >= base) {
        if (c === '') return 'escape sequence not terminated';
        return `illegal character ${unicodeName(c)} in escape sequence`;
      }
      x = x * base + d;
      n--;
      if (n > 0) c = this.next();
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) return 'escape sequence is an invalid Unicode code point';
    return undefined;
  }

  private scanNumber(): boolean {
    let digits = '0123456789';
    if (this.accept('0') && this.accept('xX')) digits = '0123456789abcdefABCDEF';
    this.acceptRun(digits);
    if (this.accept('.')) this.acceptRun(digits);
    if (this.accept('eE')) {
      this.accept('+-');
      this.acceptRun('0123456789');
    }
    return !isAlphaNumeric(this.peek());
  }

  private acceptRemainingDuration(): boolean {
    if (!this.accept('smhdwy')) return false;
    this.accept('s');
    while (this.accept('0123456789')) {
      this.acceptRun('0123456789');
      if (!this.accept('smhdw')) return false;
      this.accept('s');
    }
    return !isAlphaNumeric(this.peek());
  }

  private numberOrDuration(): boolean {
    if (this.scanNumber()) {
      this.emit('NUMBER');
      return false;
    }
    if (this.acceptRemainingDuration()) {
      this.emit('DURATION');
      return false;
    }
    if (this.pos < this.q.length && isAlphaNumeric(this.peek())) this.pos++;
    return this.fail(`bad number or duration syntax: ${JSON.stringify(this.q.slice(this.start, this.pos))}`);
  }

  private duration(): boolean {
    if (this.numbersAsDurations) return this.numberOrDuration();
    if (this.scanNumber()) return this.fail('missing unit character in duration');
    if (!this.acceptRemainingDuration()) {
      if (this.pos < this.q.length) this.pos++;
      return this.fail(`bad duration syntax: ${JSON.stringify(this.q.slice(this.start, this.pos))}`);
    }
    this.emit('DURATION');
    return false;
  }

  private keywordOrIdentifier(): boolean {
    while (isAlphaNumeric(this.peek()) || this.peek() === ':') this.pos++;
    const word = this.q.slice(this.start, this.pos);
    const lower = word.toLowerCase();
    if (lower === 'inf' || lower === 'nan') this.emit('NUMBER');
    else if (KEYWORDS.has(lower)) this.emit('KEYWORD');
    else this.emit(word.includes(':') ? 'METRIC_IDENTIFIER' : 'IDENTIFIER');
    return false;
  }
}

function digitVal(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'a' && c <= 'f') return c.charCodeAt(0) - 87;
  if (c >= 'A' && c <= 'F') return c.charCodeAt(0) - 55;
  return 16;
}

function unicodeName(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${c}'`;
}
