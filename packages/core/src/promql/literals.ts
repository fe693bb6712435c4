// PromQL literals the way Prometheus reads them: Go's number syntax (strconv.ParseInt base 0,
// then ParseFloat), Prometheus durations (model.ParseDuration) and Go string unquoting.

const GO_INT = /^(0[xX][0-9a-fA-F]+|0[oO]?[0-7]*|0[bB][01]+|[1-9][0-9]*)$/;
const GO_FLOAT = /^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;
const MAX_INT64 = 9223372036854775807n;

/** The value of a number token, or undefined where Prometheus reports "error parsing number". */
export function parseNumber(text: string): number | undefined {
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  if (GO_INT.test(text)) {
    const big = /^0[0-7]+$/.test(text)
      ? BigInt(`0o${text.slice(1)}`)
      : BigInt(text.replace(/^0([oObB])/, '0$1'));
    if (big <= MAX_INT64) return Number(big);
    if (/^0[xXoObB]/.test(text)) return undefined; // ParseFloat needs a 'p' exponent for hex
  }
  return GO_FLOAT.test(text) ? Number(text) : undefined;
}

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [31_536_000_000, 604_800_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
const MAX_MS = 9223372036854; // time.Duration's range, in ms

/** Milliseconds of a duration token, or Prometheus' error message. Zero is an error. */
export function parseDurationMs(text: string): number | string {
  if (text === '0') return 'duration must be greater than 0';
  const m = DURATION.exec(text);
  if (!m || text === '') return `not a valid duration string: ${JSON.stringify(text)}`;
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i++) {
    const n = m[i + 1];
    if (n === undefined) continue;
    if (Number(n) > MAX_MS / (UNIT_MS[i] as number)) return 'duration out of range';
    ms += Number(n) * (UNIT_MS[i] as number);
    if (ms > MAX_MS) return 'duration out of range';
  }
  return ms === 0 ? 'duration must be greater than 0' : ms;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Decodes a string token the lexer accepted ("...", '...' or `...`). */
export function unquoteString(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  return literal
    .slice(1, -1)
    .replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_, esc: string) => {
      const c = esc[0] as string;
      if (c === 'x' || c === 'u' || c === 'U') return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
      if (c >= '0' && c <= '7') return String.fromCharCode(Number.parseInt(esc, 8));
      return SIMPLE_ESCAPES[c] ?? c;
    });
}
