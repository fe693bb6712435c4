import type { LatencySnapshot } from '@mlperf/core';
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type Histogram,
} from 'hdr-histogram-js';

/** Latency histograms record microseconds (integers), 3 significant digits, growing past 60 s as needed. */
export function newHistogram(): Histogram {
  return build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** Records a latency given in (fractional) milliseconds. */
export function recordMs(h: Histogram, ms: number): void {
  h.recordValue(ms <= 0 ? 0 : Math.round(ms * 1000));
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** The JS histogram's bucket access (hdr-histogram-js 3.x JsHistogram), for a one-pass summary. */
interface Buckets {
  countsArrayLength: number;
  totalCount: number;
  getCountAtIndex(i: number): number;
  valueFromIndex(i: number): number;
  highestEquivalentValue(v: number): number;
  medianEquivalentValue(v: number): number;
}

const PERCENTILES = [50, 90, 95, 99] as const;

/**
 * Calls `fn` for every bucket holding values, in value order, with its median equivalent value
 * (µs) and count: one pass over the counts, no allocation.
 */
export function forEachBucket(h: Histogram, fn: (valueUs: number, count: number) => void): void {
  const b = h as unknown as Buckets;
  const total = b.totalCount;
  let seen = 0;
  for (let i = 0; i < b.countsArrayLength && seen < total; i++) {
    const c = b.getCountAtIndex(i);
    if (c === 0) continue;
    seen += c;
    fn(b.medianEquivalentValue(b.valueFromIndex(i)), c);
  }
}

/**
 * p50/p90/p95/p99 and the mean in one pass over the buckets (the library's getters walk the
 * counts once per figure, and its mean allocates per value): this runs for ~10 histograms a second.
 * Same rule as getValueAtPercentile: the highest equivalent value of the first bucket that reaches
 * ceil(p% of the count).
 */
function summarise(h: Histogram): { mean: number; p: number[] } {
  const b = h as unknown as Buckets;
  const total = b.totalCount;
  const targets = PERCENTILES.map((p) => Math.max(1, Math.ceil((p / 100) * total - 1e-9)));
  const out = [0, 0, 0, 0];
  let next = 0;
  let seen = 0;
  let sum = 0;
  for (let i = 0; i < b.countsArrayLength && seen < total; i++) {
    const c = b.getCountAtIndex(i);
    if (c === 0) continue;
    seen += c;
    const v = b.valueFromIndex(i);
    sum += b.medianEquivalentValue(v) * c;
    while (next < targets.length && seen >= (targets[next] as number))
      out[next++] = b.highestEquivalentValue(v);
  }
  return { mean: total > 0 ? sum / total : 0, p: out };
}

/** Summary in milliseconds, with the histogram itself (compressed base64, µs) when `withHdr`. */
export function snapshot(h: Histogram, withHdr: boolean): LatencySnapshot | undefined {
  const count = h.totalCount;
  if (count === 0) return undefined;
  const { mean, p } = summarise(h);
  const s: LatencySnapshot = {
    count,
    min: round3(h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue / 1000),
    mean: round3(mean / 1000),
    p50: round3((p[0] as number) / 1000),
    p90: round3((p[1] as number) / 1000),
    p95: round3((p[2] as number) / 1000),
    p99: round3((p[3] as number) / 1000),
    max: round3(h.maxValue / 1000),
  };
  if (withHdr) s.hdr = encodeIntoCompressedBase64(h);
  return s;
}

/** Value at a percentile, in ms. */
export function percentileMs(h: Histogram, p: number): number {
  return h.totalCount === 0 ? 0 : h.getValueAtPercentile(p) / 1000;
}

/** Decodes a snapshot's `hdr` (for readers merging periods). */
export function decodeSnapshot(hdr: string): Histogram {
  return decodeFromCompressedBase64(hdr);
}
