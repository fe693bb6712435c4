/**
 * Reads RFC 3339 times as k6 writes them (`2026-11-27T08:00:01.839721275Z`, `...+01:00`) into
 * unix ms, honouring the offset. The date-time to the second is cached: consecutive points share it.
 */
export class TimeReader {
  private readonly key = Buffer.alloc(19);
  private hasKey = false;
  private keyMs = 0;

  /** Unix ms of the time starting at `buf[t]` (ending before `end`); NaN when it is not a time. */
  at(buf: Buffer, t: number, end: number): number {
    if (end - t < 20) return Number.NaN;
    let base: number;
    if (this.hasKey && this.sameKey(buf, t)) base = this.keyMs;
    else {
      base = Date.parse(`${buf.toString('latin1', t, t + 19)}Z`);
      if (Number.isNaN(base)) return Number.NaN;
      buf.copy(this.key, 0, t, t + 19);
      this.hasKey = true;
      this.keyMs = base;
    }
    let i = t + 19;
    let frac = 0;
    let scale = 1;
    if (buf[i] === 46) {
      i++;
      for (let c = buf[i] ?? 0; c >= 48 && c <= 57 && i < end; c = buf[++i] ?? 0) {
        if (scale < 1e9) {
          frac = frac * 10 + (c - 48);
          scale *= 10;
        }
      }
    }
    const z = buf[i];
    if (z === 90 || z === 122) return base + (frac * 1000) / scale;
    if ((z !== 43 && z !== 45) || i + 6 > end || buf[i + 3] !== 58) return Number.NaN;
    const d = (k: number) => (buf[i + k] ?? 0) - 48;
    const minutes = (d(1) * 10 + d(2)) * 60 + d(4) * 10 + d(5);
    if (!(minutes >= 0 && minutes < 24 * 60)) return Number.NaN;
    return base + (frac * 1000) / scale - (z === 43 ? 1 : -1) * minutes * 60_000;
  }

  private sameKey(buf: Buffer, t: number): boolean {
    // Seconds change fastest: compare from the end.
    for (let k = 18; k >= 0; k--) if (this.key[k] !== buf[t + k]) return false;
    return true;
  }

  /** The same for a string (the slow path). */
  parse(text: string): number {
    const b = Buffer.from(text, 'latin1');
    return this.at(b, 0, b.length);
  }
}
