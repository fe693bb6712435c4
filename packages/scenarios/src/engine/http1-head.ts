/** The field names whose values frame a request (read by the parser). */
export const REQUEST_FRAMING = [
  'host',
  'expect',
  'connection',
  'content-length',
  'transfer-encoding',
] as const;

/**
 * The request line and header fields of one HTTP/1.x request, as the callback server needs them.
 * Every field line is checked when the head is parsed; the dictionary of all fields is only built
 * if `headers` is read (the engine's own handlers never do).
 */
export class RequestHead {
  /** The body decoded as UTF-8 ('' when there is none); filled in by the parser. */
  body = '';
  /** The connection stays open after the answer; decided by the parser. */
  keepAlive = false;
  private dict: Record<string, string> | undefined = undefined;

  constructor(
    readonly method: string,
    /** The request-target as sent (origin-form `/path?query`, or absolute-form). */
    readonly target: string,
    /** HTTP/1.1 (else 1.0). */
    readonly http11: boolean,
    /** Values of the REQUEST_FRAMING fields, in that order (repeated values joined with ", "). */
    readonly framing: readonly (string | undefined)[],
    private readonly head: string,
    private readonly fieldsAt: number,
  ) {}

  /** Lower-case names; a repeated field's values joined with ", ". No prototype. */
  get headers(): Record<string, string> {
    if (!this.dict) {
      const d: Record<string, string> = Object.create(null);
      parseFields(this.head, this.fieldsAt, d);
      this.dict = d;
    }
    return this.dict;
  }
}

/** Why a head was refused: the status to answer (the connection closes after it). */
export interface HeadError {
  status: 400 | 505;
  reason: string;
}

// RFC 9110 tchar
const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  TOKEN[c.charCodeAt(0)] = 1;

function isToken(s: string, from: number, to: number): boolean {
  if (to <= from) return false;
  for (let i = from; i < to; i++) if (TOKEN[s.charCodeAt(i)] !== 1) return false;
  return true;
}

/** Field value and request-target bytes: visible ASCII, obs-text, and (values only) SP / HTAB. */
function isClean(s: string, from: number, to: number, spaces: boolean): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x20 && c !== 0x7f) continue;
    if (spaces && (c === 0x20 || c === 0x09)) continue;
    return false;
  }
  return true;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * Parses a head (latin1, without the final CRLFCRLF): `METHOD SP target SP HTTP/1.x` and
 * `name: value` lines, all ended by CRLF. Strict: no bare CR or LF, no obsolete line folding,
 * no space before the colon (RFC 9112 section 5).
 */
export function parseHead(head: string): RequestHead | HeadError {
  let eol = head.indexOf('\r\n');
  if (eol < 0) eol = head.length;
  const sp1 = head.indexOf(' ');
  const sp2 = head.lastIndexOf(' ', eol - 1);
  if (sp1 <= 0 || sp2 <= sp1 + 1 || sp2 > eol) return bad('malformed request line');
  if (!isToken(head, 0, sp1)) return bad('malformed method');
  if (!isClean(head, sp1 + 1, sp2, false)) return bad('malformed request target');
  const version = head.slice(sp2 + 1, eol);
  if (version !== 'HTTP/1.1' && version !== 'HTTP/1.0') {
    return /^HTTP\/\d\.\d$/.test(version)
      ? { status: 505, reason: `${version} is not supported` }
      : bad('malformed HTTP version');
  }
  const framing: (string | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
  const err = scanFields(head, eol + 2, REQUEST_FRAMING, framing);
  if (err) return err;
  return new RequestHead(
    head.slice(0, sp1),
    head.slice(sp1 + 1, sp2),
    version === 'HTTP/1.1',
    framing,
    head,
    eol + 2,
  );
}

/** Reads the `name: value` lines of a head from `at` into `headers` (requests and responses). */
export function parseFields(
  head: string,
  at: number,
  headers: Record<string, string>,
): HeadError | undefined {
  return eachField(head, at, (from, colon, vs, ve) => {
    const name = head.slice(from, colon).toLowerCase();
    const value = head.slice(vs, ve);
    const prev = headers[name];
    headers[name] = prev === undefined ? value : `${prev}, ${value}`;
  });
}

/**
 * Checks every field line from `at` and takes the values of the `names` fields (lower-case) into
 * `values` (same order; repeated values joined with ", "), allocating nothing for other fields.
 */
export function scanFields(
  head: string,
  at: number,
  names: readonly string[],
  values: (string | undefined)[],
): HeadError | undefined {
  return eachField(head, at, (from, colon, vs, ve) => {
    for (let i = 0; i < names.length; i++) {
      if (!sameName(head, from, colon, names[i] as string)) continue;
      const value = head.slice(vs, ve);
      const prev = values[i];
      values[i] = prev === undefined ? value : `${prev}, ${value}`;
      return;
    }
  });
}

/** Field `head[from, colon)` is `lower` (ASCII case-insensitive). */
function sameName(head: string, from: number, colon: number, lower: string): boolean {
  if (colon - from !== lower.length) return false;
  // names are tokens: | 0x20 lower-cases A-Z and maps no other token character onto one of `lower`'s
  for (let i = 0; i < lower.length; i++)
    if ((head.charCodeAt(from + i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

type FieldVisit = (from: number, colon: number, valueStart: number, valueEnd: number) => void;

function eachField(head: string, at: number, visit: FieldVisit): HeadError | undefined {
  while (at < head.length) {
    let end = head.indexOf('\r\n', at);
    if (end < 0) end = head.length;
    const err = field(head, at, end, visit);
    if (err) return err;
    at = end + 2;
  }
  return undefined;
}

function field(head: string, from: number, to: number, visit: FieldVisit): HeadError | undefined {
  const colon = head.indexOf(':', from);
  if (colon < 0 || colon >= to) return bad('header line without a colon');
  if (!isToken(head, from, colon)) return bad('malformed header name');
  let vs = colon + 1;
  let ve = to;
  while (vs < ve && isWs(head.charCodeAt(vs))) vs++;
  while (ve > vs && isWs(head.charCodeAt(ve - 1))) ve--;
  if (!isClean(head, vs, ve, true)) return bad('control character in a header value');
  visit(from, colon, vs, ve);
  return undefined;
}

function bad(reason: string): HeadError {
  return { status: 400, reason };
}

/** A comma-separated list holds the token (case-insensitive). */
export function hasToken(list: string, token: string): boolean {
  const l = list.toLowerCase();
  if (l === token) return true;
  for (const t of l.split(',')) if (t.trim() === token) return true;
  return false;
}

/** 1 to 15 decimal digits, else -1. */
export function decimal(s: string): number {
  if (s.length === 0 || s.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
