import * as hdr from 'hdr-histogram-js';
import type { LatencySnapshot } from '../results/types.js';

let scratch: hdr.Histogram | undefined;

function histogram(): hdr.Histogram {
  scratch ??= hdr.build({ bitBucketSize: 32, highestTrackableValue: 3_600_000_000 });
  scratch.reset();
  return scratch;
}

function record(h: hdr.Histogram, valuesMs: readonly number[]): void {
  for (const v of valuesMs) h.recordValue(Math.min(3_600_000_000, Math.max(1, Math.round(v * 1000))));
}

function summarise(
  h: hdr.Histogram,
  count: number,
  min: number,
  max: number,
  sumMs: number,
): LatencySnapshot {
  const ms = (p: number) => h.getValueAtPercentile(p) / 1000;
  return {
    count,
    min,
    mean: sumMs / count,
    p50: ms(50),
    p90: ms(90),
    p95: ms(95),
    p99: ms(99),
    max,
    hdr: hdr.encodeIntoCompressedBase64(h),
  };
}

/** A snapshot (with its HDR histogram, microsecond units) of raw latencies in ms. */
export function latencySnapshot(valuesMs: readonly number[]): LatencySnapshot | undefined {
  if (valuesMs.length === 0) return undefined;
  const h = histogram();
  record(h, valuesMs);
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const v of valuesMs) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return summarise(h, valuesMs.length, min, max, sum);
}

/** `snap` with more latencies added (late points of a second already written); exact through its histogram. */
export function addToSnapshot(
  snap: LatencySnapshot | undefined,
  valuesMs: readonly number[],
): LatencySnapshot | undefined {
  if (!snap?.hdr) return latencySnapshot(valuesMs);
  if (valuesMs.length === 0) return snap;
  const h = histogram();
  h.add(hdr.decodeFromCompressedBase64(snap.hdr, 32));
  record(h, valuesMs);
  let sum = snap.mean * snap.count;
  let min = snap.min;
  let max = snap.max;
  for (const v of valuesMs) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return summarise(h, snap.count + valuesMs.length, min, max, sum);
}
