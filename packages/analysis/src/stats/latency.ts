import type { LatencySnapshot } from '@mlperf/core';
import * as hdr from 'hdr-histogram-js';
import { decodeSparse, type SparseHistogram, SparseMerger } from './hdr-fast.js';

export interface MergedLatency {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  /** `hdr`: exact merge of the histograms; `approx`: mixture of the per-period quantile summaries. */
  method: 'hdr' | 'approx';
}

/** The summary points of a snapshot's piecewise-linear CDF. */
const KNOTS: [number, keyof LatencySnapshot][] = [
  [0, 'min'],
  [0.5, 'p50'],
  [0.9, 'p90'],
  [0.95, 'p95'],
  [0.99, 'p99'],
  [1, 'max'],
];

const BINS = 1024;

/** Spreads each snapshot's piecewise-linear CDF over shared log-spaced bins, then reads quantiles off the sum. */
function approxQuantiles(
  snaps: readonly LatencySnapshot[],
  qs: readonly number[],
  lo: number,
  hi: number,
): number[] {
  const base = Math.max(lo, 1e-3);
  const span = Math.log(Math.max(hi, base * 1.000001) / base);
  const pos = (v: number) => (Math.log(Math.max(v, base) / base) / span) * BINS;
  const mass = new Float64Array(BINS + 1);
  for (const s of snaps) {
    let prevQ = 0;
    let prevV = s.min;
    for (const [q, k] of KNOTS) {
      const v = Math.max(prevV, s[k] as number);
      const m = s.count * (q - prevQ);
      if (m > 0) {
        const a = pos(prevV);
        const b = pos(v);
        const ia = Math.floor(a);
        const ib = Math.min(BINS, Math.floor(b));
        if (ib <= ia || b - a < 1e-9) mass[Math.min(BINS, ia)] = (mass[Math.min(BINS, ia)] as number) + m;
        else {
          const per = m / (b - a);
          mass[ia] = (mass[ia] as number) + per * (ia + 1 - a);
          for (let i = ia + 1; i < ib; i++) mass[i] = (mass[i] as number) + per;
          mass[ib] = (mass[ib] as number) + per * (b - ib);
        }
      }
      prevQ = q;
      prevV = v;
    }
  }
  const total = mass.reduce((x, y) => x + y, 0);
  const out: number[] = [];
  let acc = 0;
  let j = 0;
  for (let i = 0; i <= BINS && j < qs.length; i++) {
    const before = acc;
    acc += mass[i] as number;
    while (j < qs.length && acc >= (qs[j] as number) * total) {
      const frac = (mass[i] as number) > 0 ? ((qs[j] as number) * total - before) / (mass[i] as number) : 0;
      out.push(base * Math.exp(((i + frac) / BINS) * span));
      j++;
    }
  }
  while (out.length < qs.length) out.push(hi);
  return out;
}

/**
 * Latency over a window of periods: exact when every period carries its HDR histogram, otherwise
 * approximated from the per-period summaries (weighted by count). Milliseconds.
 */
export function mergeLatency(
  input: readonly (LatencySnapshot | undefined)[],
  opts: { exact?: boolean } = {},
): MergedLatency | undefined {
  const snaps = input.filter((s): s is LatencySnapshot => s !== undefined && s.count > 0);
  if (snaps.length === 0) return undefined;
  if (opts.exact !== false && snaps.every((s) => typeof s.hdr === 'string')) {
    const merged = mergeSparse(snaps) ?? mergeHdr(snaps);
    if (merged) return merged;
  }
  const total = snaps.reduce((s, x) => s + x.count, 0);
  const lo = Math.min(...snaps.map((s) => s.min));
  const hi = Math.max(...snaps.map((s) => s.max));
  const [p50, p90, p95, p99] = approxQuantiles(snaps, [0.5, 0.9, 0.95, 0.99], lo, hi) as [
    number,
    number,
    number,
    number,
  ];
  return { count: total, p50, p90, p95, p99, max: hi, method: 'approx' };
}

const decoded = new WeakMap<LatencySnapshot, SparseHistogram | null>();

function sparseOf(s: LatencySnapshot): SparseHistogram | undefined {
  let h = decoded.get(s);
  if (h === undefined) {
    try {
      h = decodeSparse(s.hdr as string) ?? null;
    } catch {
      h = null;
    }
    decoded.set(s, h);
  }
  return h ?? undefined;
}

/** Fast path: every histogram decoded sparsely and of one bucket layout. */
function mergeSparse(snaps: readonly LatencySnapshot[]): MergedLatency | undefined {
  const hs: SparseHistogram[] = [];
  for (const s of snaps) {
    const h = sparseOf(s);
    if (!h || (hs[0] && hs[0].key !== h.key)) return undefined;
    hs.push(h);
  }
  const first = hs[0];
  if (!first) return undefined;
  const m = new SparseMerger(first);
  for (const h of hs) m.add(h);
  if (m.total === 0) return undefined;
  const [p50, p90, p95, p99] = m.percentiles([50, 90, 95, 99]).map((v) => v / 1000) as [
    number,
    number,
    number,
    number,
  ];
  return { count: m.total, p50, p90, p95, p99, max: m.maxValue() / 1000, method: 'hdr' };
}

function mergeHdr(snaps: readonly LatencySnapshot[]): MergedLatency | undefined {
  const acc = hdr.build({ bitBucketSize: 'packed' });
  try {
    for (const s of snaps) acc.add(hdr.decodeFromCompressedBase64(s.hdr as string));
    if (acc.totalCount === 0) return undefined;
    const ms = (p: number) => acc.getValueAtPercentile(p) / 1000;
    return {
      count: acc.totalCount,
      p50: ms(50),
      p90: ms(90),
      p95: ms(95),
      p99: ms(99),
      max: acc.maxValue / 1000,
      method: 'hdr',
    };
  } catch {
    return undefined;
  } finally {
    acc.destroy();
  }
}
