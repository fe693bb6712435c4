/**
 * Reads a k6 `--out json` Point line by its bytes, without allocating:
 * `{"metric":"M","type":"Point","data":{"time":"T","value":V,"tags":{"k":"v",...}|null}}`.
 * It accepts only lines in exactly that layout which are valid JSON (strings with valid escapes,
 * JSON numbers); anything else is left to JSON.parse, so both read every line alike.
 */
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const HEAD = bytes('{"metric":"');
const MID = bytes('","type":"Point","data":{"time":"');
const VALUE = bytes('","value":');
const TAGS = bytes(',"tags":');
const NULL_END = bytes('null}}');
const CORRIDOR = bytes('corridor');
const STATUS = bytes('status');
const ERROR_TYPE = bytes('error_type');
/** 10^i, exact for i <= 22. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** 1 for bytes a JSON string holds as they are (UTF-8 is decoded later, as JSON.parse's input would be). */
const PLAIN = new Uint8Array(256).fill(1);
PLAIN.fill(0, 0, 32);
PLAIN[34] = 0;
PLAIN[92] = 0;
/** Bytes allowed after a backslash, besides `u`. */
const ESCAPES = new Uint8Array(256);
for (const c of '"\\/bfnrt') ESCAPES[c.charCodeAt(0)] = 1;

function at(b: Uint8Array, i: number, len: number, pat: Uint8Array): boolean {
  if (i + pat.length > len) return false;
  for (let k = 0; k < pat.length; k++) if (b[i + k] !== pat[k]) return false;
  return true;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Where one scanned line's fields are (byte offsets into the buffer); -1 when absent. */
export class PointScanner {
  nameS = 0;
  nameE = 0;
  timeS = 0;
  timeE = 0;
  value = 0;
  /** The tags object `{...}` (empty range for `null`). */
  tagsS = 0;
  tagsE = 0;
  corridorS = -1;
  corridorE = -1;
  statusS = -1;
  statusE = -1;
  errorS = -1;
  errorE = -1;
  /** Whether the last string read held a backslash escape. */
  private escaped = false;

  /** The end of the metric name of the line at `i` (its text from `nameS`); -1 when not k6's layout. */
  head(b: Buffer, i: number, len: number): number {
    if (!at(b, i, len, HEAD)) return -1;
    this.nameS = i + HEAD.length;
    this.nameE = this.string(b, this.nameS, len, false);
    return this.nameE;
  }

  /**
   * After `head`: reads the rest of the line. The index of the newline ending it (or `len`) when it
   * is a Point in k6's exact layout; -1 otherwise (JSON.parse decides). Never reads past a newline.
   */
  rest(b: Buffer, len: number): number {
    if (!at(b, this.nameE, len, MID)) return -1;
    this.timeS = this.nameE + MID.length;
    let i = this.string(b, this.timeS, len, false);
    if (i < 0 || !at(b, i, len, VALUE)) return -1;
    this.timeE = i;
    i = this.number(b, i + VALUE.length, len);
    if (i < 0 || !at(b, i, len, TAGS)) return -1;
    i += TAGS.length;
    this.corridorS = this.statusS = this.errorS = -1;
    if (at(b, i, len, NULL_END)) {
      this.tagsS = this.tagsE = i;
      i += NULL_END.length;
    } else {
      i = this.tags(b, i, len);
      if (i < 0 || b[i] !== 125 || b[i + 1] !== 125) return -1;
      i += 2;
    }
    if (b[i] === 13) i++;
    return i === len || b[i] === 10 ? i : -1;
  }

  /** End quote of the JSON string whose text starts at `i`; -1 when invalid (or escaped and `escapes` is false). */
  private string(b: Uint8Array, i: number, len: number, escapes: boolean): number {
    this.escaped = false;
    for (;;) {
      // Plain bytes: everything but a quote, a backslash, control bytes (a newline ends the scan;
      // past the buffer's end the table gives undefined, which ends it too).
      while (PLAIN[b[i] as number] === 1) i++;
      if (i >= len) return -1;
      const c = b[i] as number;
      if (c === 34) return i;
      if (c !== 92 || !escapes) return -1;
      this.escaped = true;
      const e = b[i + 1] ?? 0;
      if (e === 117) {
        if (!(isHex(b[i + 2] ?? 0) && isHex(b[i + 3] ?? 0) && isHex(b[i + 4] ?? 0) && isHex(b[i + 5] ?? 0)))
          return -1;
        i += 6;
      } else if (ESCAPES[e] === 1) i += 2;
      else return -1;
    }
  }

  /** Reads a JSON number into `value` (exactly as JSON.parse would); its end, or -1. */
  private number(b: Buffer, i: number, len: number): number {
    const s = i;
    const neg = b[i] === 45;
    if (neg) i++;
    let c = b[i] ?? 0;
    if (!isDigit(c)) return -1;
    let mant = 0;
    let sig = 0;
    let fd = 0;
    let exact = true;
    if (c === 48) {
      c = b[++i] ?? 0;
      if (isDigit(c)) return -1;
    } else {
      for (; i < len && isDigit(c); c = b[++i] ?? 0) {
        mant = mant * 10 + (c - 48);
        sig++;
      }
    }
    if (c === 46) {
      c = b[++i] ?? 0;
      if (!isDigit(c)) return -1;
      for (; i < len && isDigit(c); c = b[++i] ?? 0) {
        mant = mant * 10 + (c - 48);
        if (mant !== 0) sig++;
        fd++;
      }
    }
    if (c === 101 || c === 69) {
      exact = false;
      c = b[++i] ?? 0;
      if (c === 43 || c === 45) c = b[++i] ?? 0;
      if (!isDigit(c)) return -1;
      while (i < len && isDigit(c)) c = b[++i] ?? 0;
    }
    // Up to 15 digits and a power of ten below 10^23 are exact doubles: one division rounds correctly.
    if (exact && sig <= 15 && fd <= 22) {
      const v = fd === 0 ? mant : mant / (POW10[fd] as number);
      this.value = neg ? -v : v;
    } else this.value = Number(b.toString('latin1', s, i));
    return i;
  }

  /** Reads `{"k":"v",...}` noting the tags the importer reads; the index after its `}`, or -1. */
  private tags(b: Uint8Array, i: number, len: number): number {
    if (b[i] !== 123) return -1;
    this.tagsS = i;
    i++;
    if (b[i] === 125) {
      this.tagsE = i + 1;
      return i + 1;
    }
    for (;;) {
      if (b[i] !== 34) return -1;
      const ks = i + 1;
      const ke = this.string(b, ks, len, true);
      if (ke < 0 || this.escaped || b[ke + 1] !== 58 || b[ke + 2] !== 34) return -1;
      const vs = ke + 3;
      const ve = this.string(b, vs, len, true);
      if (ve < 0) return -1;
      this.note(b, ks, ke, vs, ve);
      i = ve + 1;
      if (b[i] === 125) {
        this.tagsE = i + 1;
        return i + 1;
      }
      if (b[i] !== 44) return -1;
      i++;
    }
  }

  private note(b: Uint8Array, ks: number, ke: number, vs: number, ve: number): void {
    const n = ke - ks;
    if (n === CORRIDOR.length && at(b, ks, ke, CORRIDOR)) {
      this.corridorS = vs;
      this.corridorE = ve;
    } else if (n === STATUS.length && at(b, ks, ke, STATUS)) {
      this.statusS = vs;
      this.statusE = ve;
    } else if (n === ERROR_TYPE.length && at(b, ks, ke, ERROR_TYPE)) {
      this.errorS = vs;
      this.errorE = ve;
    }
  }
}
