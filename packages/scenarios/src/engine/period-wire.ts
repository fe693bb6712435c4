import { decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { Counts, PeriodStats } from './period.js';

type CountsWire = Pick<Counts, 'offered' | 'started' | 'dropped' | 'succeeded' | 'failedTotal' | 'failed'>;

/** A period as it crosses threads: plain counts and each non-empty HDR histogram, encoded. */
export interface PeriodWire {
  all: CountsWire;
  corridors: CountsWire[];
  ack?: string;
  dispatch?: string;
  sched?: string;
  corridorE2e: (string | undefined)[];
  corridorService: (string | undefined)[];
}

const encode = (h: Histogram): string | undefined =>
  h.totalCount === 0 ? undefined : encodeIntoCompressedBase64(h, 1);

const counts = (c: Counts): CountsWire => ({
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

function addCounts(into: Counts, w: CountsWire): void {
  into.offered += w.offered;
  into.started += w.started;
  into.dropped += w.dropped;
  into.succeeded += w.succeeded;
  into.failedTotal += w.failedTotal;
  for (const k in w.failed) into.failed[k] = (into.failed[k] ?? 0) + (w.failed[k] as number);
}

function addHdr(into: Histogram | undefined, hdr: string | undefined): void {
  if (into && hdr) into.add(decodeFromCompressedBase64(hdr));
}

/** Merges an encoded period into `p`, exactly (counts added, histograms HDR-merged). */
export function addWire(p: PeriodStats, w: PeriodWire): void {
  addCounts(p.all, w.all);
  w.corridors.forEach((c, i) => {
    const into = p.corridors[i];
    if (into) addCounts(into, c);
    addHdr(p.corridorE2e[i], w.corridorE2e[i]);
    addHdr(p.corridorService[i], w.corridorService[i]);
  });
  addHdr(p.ack, w.ack);
  addHdr(p.dispatch, w.dispatch);
  addHdr(p.sched, w.sched);
}
