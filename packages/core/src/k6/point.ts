/** Allocation-free helpers to read k6's `--out json` lines. */

/** Decodes short strings (metric names, tag values) once; later hits compare bytes without allocating. */
export class NameCache {
  private readonly map = new Map<number, { bytes: Buffer; value: string }[]>();
  constructor(private readonly decode: (raw: string) => string = (raw) => raw) {}

  get(buf: Buffer, s: number, e: number): string {
    const len = e - s;
    const key =
      len * 16_777_216 + (buf[s] ?? 0) * 65_536 + (buf[s + (len >> 1)] ?? 0) * 256 + (buf[e - 1] ?? 0);
    let list = this.map.get(key);
    if (list) for (const n of list) if (same(n.bytes, buf, s, len)) return n.value;
    const value = this.decode(buf.toString('utf8', s, e));
    if (!list) {
      list = [];
      this.map.set(key, list);
    }
    if (list.length < 8) list.push({ bytes: Buffer.from(buf.subarray(s, e)), value });
    return value;
  }
}

function same(a: Uint8Array, b: Uint8Array, s: number, len: number): boolean {
  if (a.length !== len) return false;
  for (let k = 0; k < len; k++) if (a[k] !== b[s + k]) return false;
  return true;
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
