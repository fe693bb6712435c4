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
