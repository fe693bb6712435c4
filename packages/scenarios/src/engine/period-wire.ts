import type { Histogram } from 'hdr-histogram-js';
import type { CountFields, Counts, PeriodStats } from './period.js';

/**
 * A histogram as it crosses threads: its non-empty buckets (counts-array index and count) and
 * its exact min and max. Both ends build histograms with `newHistogram()`, where an index means
 * the same value range (auto-resize only adds buckets at the top), so merging adds the counts
 * index by index as HDR's own `add` does, without the compressed encode/decode of a new
 * histogram per period.
 */
export interface HdrWire {
  index: number[];
  count: number[];
  min: number;
  max: number;
}

/** hdr-histogram-js 3.x JsHistogram internals used by its own `add`. */
interface Internals {
  countsArrayLength: number;
  totalCount: number;
  maxValue: number;
  minNonZeroValue: number;
  getCountAtIndex(i: number): number;
  addToCountAtIndex(i: number, n: number): void;
  setTotalCount(n: number): void;
  updatedMaxValue(v: number): void;
  updateMinNonZeroValue(v: number): void;
  valueFromIndex(i: number): number;
  highestEquivalentValue(v: number): number;
  resize(highest: number): void;
}

export function hdrToWire(h: Histogram): HdrWire | undefined {
  const b = h as unknown as Internals;
  const total = b.totalCount;
  if (total === 0) return undefined;
  const w: HdrWire = { index: [], count: [], min: b.minNonZeroValue, max: b.maxValue };
  let seen = 0;
  for (let i = 0; i < b.countsArrayLength && seen < total; i++) {
    const c = b.getCountAtIndex(i);
    if (c === 0) continue;
    w.index.push(i);
    w.count.push(c);
    seen += c;
  }
  return w;
}

/** Adds a histogram from the wire into `into`, exactly as `into.add(original)` would. */
export function addHdrWire(into: Histogram, w: HdrWire): void {
  const b = into as unknown as Internals;
  if (b.highestEquivalentValue(b.valueFromIndex(b.countsArrayLength - 1)) < w.max) b.resize(w.max);
  let total = 0;
  for (let k = 0; k < w.index.length; k++) {
    const n = w.count[k] as number;
    b.addToCountAtIndex(w.index[k] as number, n);
    total += n;
  }
  b.setTotalCount(b.totalCount + total);
  b.updatedMaxValue(Math.max(b.maxValue, w.max));
  b.updateMinNonZeroValue(Math.min(b.minNonZeroValue, w.min));
}

/** A period as it crosses threads: plain counts and each non-empty HDR histogram, encoded. */
export interface PeriodWire {
  all: CountFields;
  corridors: CountFields[];
  ack?: HdrWire;
  dispatch?: HdrWire;
  sched?: HdrWire;
  corridorE2e: (HdrWire | undefined)[];
  corridorService: (HdrWire | undefined)[];
}

const encode = hdrToWire;

const counts = (c: Counts): CountFields => ({
  offered: c.offered,
  started: c.started,
  dropped: c.dropped,
  succeeded: c.succeeded,
  failedTotal: c.failedTotal,
  failed: { ...c.failed },
});

/** Encodes `p` (its all-corridor e2e/service are derived from the corridors', so not sent). */
export function periodToWire(p: PeriodStats): PeriodWire {
  const w: PeriodWire = {
    all: counts(p.all),
    corridors: p.corridors.map(counts),
    corridorE2e: p.corridorE2e.map(encode),
    corridorService: p.corridorService.map(encode),
  };
  const ack = encode(p.ack);
  if (ack) w.ack = ack;
  const dispatch = encode(p.dispatch);
  if (dispatch) w.dispatch = dispatch;
  const sched = encode(p.sched);
  if (sched) w.sched = sched;
  return w;
}

function addHdr(into: Histogram | undefined, w: HdrWire | undefined): void {
  if (into && w) addHdrWire(into, w);
}

/** Merges an encoded period into `p`, exactly (counts added, histograms HDR-merged). */
export function addWire(p: PeriodStats, w: PeriodWire): void {
  p.all.add(w.all);
  w.corridors.forEach((c, i) => {
    const into = p.corridors[i];
    if (into) into.add(c);
    addHdr(p.corridorE2e[i], w.corridorE2e[i]);
    addHdr(p.corridorService[i], w.corridorService[i]);
  });
  addHdr(p.ack, w.ack);
  addHdr(p.dispatch, w.dispatch);
  addHdr(p.sched, w.sched);
}
