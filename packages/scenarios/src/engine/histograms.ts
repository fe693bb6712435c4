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

/** Summary in milliseconds, with the histogram itself (compressed base64, µs) when `withHdr`. */
export function snapshot(h: Histogram, withHdr: boolean): LatencySnapshot | undefined {
  const count = h.totalCount;
  if (count === 0) return undefined;
  const s: LatencySnapshot = {
    count,
    min: round3(h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue / 1000),
    mean: round3(h.mean / 1000),
    p50: round3(h.getValueAtPercentile(50) / 1000),
    p90: round3(h.getValueAtPercentile(90) / 1000),
    p95: round3(h.getValueAtPercentile(95) / 1000),
    p99: round3(h.getValueAtPercentile(99) / 1000),
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
