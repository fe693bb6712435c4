import { ilpTime } from '../fspiop/ilp.js';

/** The HTTP `Date` header value, recomputed at most once per second. */
export class HttpDate {
  private value = '';
  private validUntil = 0;

  get now(): string {
    const ms = Date.now();
    if (ms >= this.validUntil) {
      this.value = new Date(ms).toUTCString();
      this.validUntil = ms - (ms % 1000) + 1000;
    }
    return this.value;
  }
}

/**
 * A time `offsetMs` from now as ISO 8601 UTC and as the ILP timestamp, recomputed at most once
 * per millisecond (the prepare's expiration and its ILP packet; the payee's completedTimestamp).
 */
export class CachedTimestamp {
  private atMs = -1;
  iso = '';
  ilp = '';
  constructor(private readonly offsetMs = 0) {}

  /** Brings `iso`/`ilp` up to date; returns this. */
  now(): this {
    const ms = Date.now() + this.offsetMs;
    if (ms !== this.atMs) {
      this.atMs = ms;
      this.iso = new Date(ms).toISOString();
      this.ilp = ilpTime(this.iso);
    }
    return this;
  }
}

/**
 * A log that cannot flood: each `key` is written the first `burst` times, then once every
 * `every` occurrences with its running count.
 */
export class RateLimitedLog {
  private readonly counts = new Map<string, number>();
  constructor(
    private readonly sink: (line: string) => void,
    private readonly burst = 20,
    private readonly every = 1000,
  ) {}

  write(key: string, message: string): void {
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    if (n <= this.burst || n % this.every === 0) {
      this.sink(`${new Date().toISOString()} ${key}${n > this.burst ? ` (x${n})` : ''}: ${message}`);
    }
  }

  /** Always written. */
  info(message: string): void {
    this.sink(`${new Date().toISOString()} ${message}`);
  }

  totals(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}
