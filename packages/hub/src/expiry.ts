import type { Transfer } from './ledger.js';

/** Expirations bucketed by second and checked 4 times a second: one timer for any number of transfers. */
export class ExpiryWheel {
  private readonly buckets = new Map<number, Transfer[]>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly onExpired: (t: Transfer) => void) {
    this.timer = setInterval(() => this.tick(), 250);
    this.timer.unref();
  }

  add(t: Transfer): void {
    const sec = Math.ceil(t.expiresAt / 1000);
    const list = this.buckets.get(sec);
    if (list) list.push(t);
    else this.buckets.set(sec, [t]);
  }

  private tick(): void {
    const nowSec = Math.floor(Date.now() / 1000);
    for (const [sec, list] of this.buckets) {
      if (sec > nowSec) continue;
      this.buckets.delete(sec);
      for (const t of list) this.onExpired(t);
    }
  }

  clear(): void {
    this.buckets.clear();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
