/** Byte patterns of k6's `--out json` layout and allocation-free helpers to read them. */
export const PREFIX = Buffer.from('{"metric":"');
export const POINT = Buffer.from('","type":"Point","data":{"time":"');
export const VALUE = Buffer.from('"value":');
export const STATUS = Buffer.from('"status":"');
export const CORRIDOR = Buffer.from('"corridor":"');
export const ERROR_TYPE = Buffer.from('"error_type":"');

/** Decodes short strings (metric names, tag values) once; later hits compare bytes without allocating. */
export class NameCache {
  private readonly map = new Map<number, { bytes: Buffer; value: string }[]>();
  constructor(private readonly decode: (raw: string) => string = (raw) => raw) {}

  get(buf: Buffer, s: number, e: number): string {
    const len = e - s;
    const key =
      len * 16_777_216 + (buf[s] ?? 0) * 65_536 + (buf[s + (len >> 1)] ?? 0) * 256 + (buf[e - 1] ?? 0);
    let list = this.map.get(key);
    if (list) for (const n of list) if (buf.compare(n.bytes, 0, len, s, e) === 0) return n.value;
    const value = this.decode(buf.toString('utf8', s, e));
    if (!list) {
      list = [];
      this.map.set(key, list);
    }
    if (list.length < 8) list.push({ bytes: Buffer.from(buf.subarray(s, e)), value });
    return value;
  }
}

/** JSON string escapes (`\u003e` for `>`) decoded. */
export function unescapeJson(raw: string): string {
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** The bytes of a tag value (`"status":"202"` -> 202), searched in [from, end). */
export function tagAt(buf: Buffer, key: Buffer, from: number, end: number): [number, number] | undefined {
  const i = buf.indexOf(key, from);
  if (i < 0 || i >= end) return undefined;
  const s = i + key.length;
  const q = buf.indexOf(34, s);
  return q < 0 || q > end ? undefined : [s, q];
}

/** A JSON number from bytes without allocating; undefined for anything unusual (then JSON.parse decides). */
export function numberAt(buf: Buffer, i: number, end: number): number | undefined {
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  let int = 0;
  let digits = 0;
  let c = buf[i] ?? 0;
  while (i < end && c >= 48 && c <= 57) {
    int = int * 10 + (c - 48);
    digits++;
    c = buf[++i] ?? 0;
  }
  let frac = 0;
  let scale = 1;
  if (c === 46) {
    c = buf[++i] ?? 0;
    while (i < end && c >= 48 && c <= 57) {
      frac = frac * 10 + (c - 48);
      scale *= 10;
      digits++;
      c = buf[++i] ?? 0;
    }
  }
  if (digits === 0 || digits > 15 || (c !== 44 && c !== 125)) return undefined;
  const v = int + frac / scale;
  return neg ? -v : v;
}
