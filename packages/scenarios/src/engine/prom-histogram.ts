import type { Histogram } from 'hdr-histogram-js';
import { forEachBucket } from './histograms.js';

/** Seconds; includes the Phase-07 plan's 300 ms and 500 ms thresholds as bucket bounds. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30,
] as const;

const BOUNDS_US = DURATION_BUCKETS.map((s) => s * 1e6);

/**
 * A Prometheus histogram series fed from HDR periods instead of one `observe` per value: each
 * settled second's histogram is folded in (bucket by its median equivalent value, within the HDR
 * precision of 0.1%).
 */
export class PromSeries {
  /** Non-cumulative counts per bound; the last slot is +Inf. */
  private readonly counts = new Float64Array(BOUNDS_US.length + 1);
  private sumS = 0;
  private count = 0;

  constructor(readonly labels: string) {}

  add(h: Histogram): void {
    if (h.totalCount === 0) return;
    let b = 0;
    forEachBucket(h, (us, n) => {
      while (b < BOUNDS_US.length && us > (BOUNDS_US[b] as number)) b++;
      this.counts[b] = (this.counts[b] as number) + n;
      this.sumS += (us / 1e6) * n;
      this.count += n;
    });
  }

  /** Prometheus text lines of this series under `name`. */
  lines(name: string): string {
    const sep = this.labels ? ',' : '';
    let out = '';
    let cum = 0;
    for (let i = 0; i < BOUNDS_US.length; i++) {
      cum += this.counts[i] as number;
      out += `${name}_bucket{${this.labels}${sep}le="${DURATION_BUCKETS[i]}"} ${cum}\n`;
    }
    out += `${name}_bucket{${this.labels}${sep}le="+Inf"} ${this.count}\n`;
    const braces = this.labels ? `{${this.labels}}` : '';
    out += `${name}_sum${braces} ${this.sumS}\n${name}_count${braces} ${this.count}\n`;
    return out;
  }
}

/** A histogram metric: HELP, TYPE and its series. */
export class PromHistogram {
  constructor(
    readonly name: string,
    private readonly help: string,
    readonly series: PromSeries[],
  ) {}

  text(): string {
    let out = `# HELP ${this.name} ${this.help}\n# TYPE ${this.name} histogram\n`;
    for (const s of this.series) out += s.lines(this.name);
    return out;
  }
}
