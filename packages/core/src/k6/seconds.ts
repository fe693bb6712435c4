import type { CorridorSecond, LatencySnapshot, TimeseriesRecord } from '../results/types.js';
import { addToSnapshot, latencySnapshot } from './snapshot.js';

/** What a point means to the timeseries. */
export const Role = {
  Iteration: 0,
  Dropped: 1,
  Vus: 2,
  VusMax: 3,
  Outcome: 4,
  HttpFailed: 5,
  HttpDuration: 6,
  E2e: 7,
  Ack: 8,
} as const;
export type Role = (typeof Role)[keyof typeof Role];

interface CorridorBucket {
  ok: number;
  fail: number;
  httpOk: number;
  httpFail: number;
  httpFailed: Record<string, number>;
  failed: Record<string, number>;
  e2e: number[];
  http: number[];
}

interface Bucket {
  iterations: number;
  dropped: number;
  vus: number;
  vusMax: number;
  ok: number;
  fail: number;
  failed: Record<string, number>;
  httpOk: number;
  httpFail: number;
  httpFailed: Record<string, number>;
  e2e: number[];
  http: number[];
  ack: number[];
  corridors: Map<string, CorridorBucket>;
}

const newBucket = (): Bucket => ({
  iterations: 0,
  dropped: 0,
  vus: -1,
  vusMax: -1,
  ok: 0,
  fail: 0,
  failed: {},
  httpOk: 0,
  httpFail: 0,
  httpFailed: {},
  e2e: [],
  http: [],
  ack: [],
  corridors: new Map(),
});

const inc = (o: Record<string, number>, k: string, n = 1) => {
  o[k] = (o[k] ?? 0) + n;
};

/** Which metrics the records were made from; decided by the reader as it meets them. */
export interface SourceFlags {
  /** A transfer success Rate metric was seen (else outcomes come from http_req_failed). */
  outcomeMetric: boolean;
  httpFailed: boolean;
  e2eMetric: boolean;
  k6Gauges: boolean;
}

/**
 * Per-second buckets keyed by the unix second of each transfer's start (point time minus its
 * duration). A second is reduced to a record once every reader is `lagS` past it; points that come
 * later still (concatenated per-runner files) are kept aside and merged into their record exactly.
 */
export class SecondsAccumulator {
  private readonly open = new Map<number, Bucket>();
  private readonly late = new Map<number, Bucket>();
  private lateValues = 0;
  private readonly done = new Map<number, TimeseriesRecord>();
  private flushedBelow = Number.NEGATIVE_INFINITY;
  /** Unix ms of the first transfer start and the last point seen. */
  firstStartMs = Number.POSITIVE_INFINITY;
  lastEndMs = Number.NEGATIVE_INFINITY;
  latePoints = 0;

  constructor(readonly flags: SourceFlags) {}

  add(
    role: Role,
    startMs: number,
    endMs: number,
    value: number,
    corridor?: string,
    errorType?: string,
  ): void {
    const sec = Math.floor(startMs / 1000);
    const isLate = sec < this.flushedBelow;
    if (isLate) this.latePoints++;
    const map = isLate ? this.late : this.open;
    let b = map.get(sec);
    if (!b) {
      b = newBucket();
      map.set(sec, b);
    }
    if (role <= Role.VusMax) {
      if (role === Role.Iteration) {
        b.iterations += value;
        this.span(startMs, endMs);
      } else if (role === Role.Dropped) b.dropped += value;
      else if (role === Role.Vus) b.vus = Math.max(b.vus, value);
      else b.vusMax = Math.max(b.vusMax, value);
      return;
    }
    const c = corridor === undefined ? undefined : corridorOf(b, corridor);
    switch (role) {
      case Role.Outcome:
        this.span(startMs, endMs);
        if (value !== 0) {
          b.ok++;
          if (c) c.ok++;
        } else {
          const type = errorType ?? 'unclassified';
          b.fail++;
          inc(b.failed, type);
          if (c) {
            c.fail++;
            inc(c.failed, type);
          }
        }
        return;
      case Role.HttpFailed: {
        this.span(startMs, endMs);
        if (value === 0) {
          b.httpOk++;
          if (c) c.httpOk++;
        } else {
          const type = errorType ?? 'unclassified';
          b.httpFail++;
          inc(b.httpFailed, type);
          if (c) {
            c.httpFail++;
            inc(c.httpFailed, type);
          }
        }
        return;
      }
      case Role.HttpDuration:
        b.http.push(value);
        c?.http.push(value);
        break;
      case Role.E2e:
        b.e2e.push(value);
        c?.e2e.push(value);
        break;
      case Role.Ack:
        b.ack.push(value);
        break;
    }
    if (sec < this.flushedBelow && ++this.lateValues > 200_000) this.mergeLate();
  }

  private span(startMs: number, endMs: number): void {
    if (startMs < this.firstStartMs) this.firstStartMs = startMs;
    if (endMs > this.lastEndMs) this.lastEndMs = endMs;
  }

  /** Reduces every open second below `sec` to a record. */
  flushBelow(sec: number): void {
    if (sec <= this.flushedBelow) return;
    for (const [s, b] of this.open) {
      if (s < sec) {
        this.done.set(s, this.toRecord(s, b));
        this.open.delete(s);
      }
    }
    this.flushedBelow = sec;
  }

  private mergeLate(): void {
    for (const [s, b] of this.late) {
      const r = this.done.get(s);
      if (r) mergeRecord(r, this.toRecord(s, b), b, this.flags);
      else this.done.set(s, this.toRecord(s, b));
    }
    this.late.clear();
    this.lateValues = 0;
  }

  /** All records, oldest first, one per second from the first transfer start (gaps filled). */
  finish(): TimeseriesRecord[] {
    this.flushBelow(Number.POSITIVE_INFINITY);
    this.mergeLate();
    if (!Number.isFinite(this.firstStartMs)) return [];
    const first = Math.floor(this.firstStartMs / 1000);
    const last = Math.max(first, ...[...this.done.keys()].filter((s) => s >= first));
    const out: TimeseriesRecord[] = [];
    let vus = 0;
    let vusMax = 0;
    // The gauges k6 sampled before the first iteration (start-up, setup()) fill the first seconds.
    for (const sec of [...this.done.keys()].filter((x) => x < first).sort((a, b) => a - b)) {
      const k = this.done.get(sec)?.k6;
      if (k && k.vus >= 0) vus = k.vus;
      if (k && k.vusMax >= 0) vusMax = k.vusMax;
    }
    for (let sec = first; sec <= last; sec++) {
      const r = this.done.get(sec) ?? this.toRecord(sec, newBucket());
      r.s = sec - first;
      // k6 samples its VU gauges about once a second: a second without a sample keeps the last value.
      if (r.k6 && r.k6.vus < 0) r.k6.vus = vus;
      if (r.k6 && r.k6.vusMax < 0) r.k6.vusMax = vusMax;
      if (r.k6) {
        vus = r.k6.vus;
        vusMax = r.k6.vusMax;
      }
      r.inFlight = r.k6?.vus ?? vus;
      out.push(r);
    }
    return out;
  }

  private toRecord(sec: number, b: Bucket): TimeseriesRecord {
    const f = this.flags;
    const ok = f.outcomeMetric ? b.ok : b.httpOk;
    const failed = f.outcomeMetric ? b.failed : b.httpFailed;
    const fail = f.outcomeMetric ? b.fail : b.httpFail;
    const known = f.outcomeMetric || f.httpFailed;
    const started = b.iterations || ok + fail;
    const latency: TimeseriesRecord['latency'] = {};
    const e2e = latencySnapshot(f.e2eMetric ? b.e2e : b.http);
    if (e2e) latency.e2e = e2e;
    const ack = latencySnapshot(b.ack);
    if (ack) latency.ack = ack;
    const corridors: Record<string, CorridorSecond> = {};
    for (const [name, c] of b.corridors) {
      const n = f.outcomeMetric ? c.ok + c.fail : c.httpOk + c.httpFail;
      const cs: CorridorSecond = {
        offered: n,
        started: n,
        dropped: 0,
        succeeded: f.outcomeMetric ? c.ok : c.httpOk,
        failed: f.outcomeMetric ? c.failed : c.httpFailed,
      };
      const snap = latencySnapshot(f.e2eMetric ? c.e2e : c.http);
      if (snap) cs.e2e = snap;
      if (cs.started > 0 || snap) corridors[name] = cs;
    }
    const r: TimeseriesRecord = {
      t: sec * 1000,
      s: 0,
      stage: 0,
      offeredRate: started + b.dropped,
      offered: started + b.dropped,
      started,
      dropped: b.dropped,
      succeeded: known ? ok : 0,
      failed: known ? { ...failed } : {},
      inFlight: 0,
      latency,
      corridors,
    };
    if (f.k6Gauges || b.dropped > 0) r.k6 = { droppedIterations: b.dropped, vus: b.vus, vusMax: b.vusMax };
    return r;
  }
}

function corridorOf(b: Bucket, name: string): CorridorBucket {
  let c = b.corridors.get(name);
  if (!c) {
    c = { ok: 0, fail: 0, httpOk: 0, httpFail: 0, httpFailed: {}, failed: {}, e2e: [], http: [] };
    b.corridors.set(name, c);
  }
  return c;
}

/** Adds `late` (a record of late points of the same second, with their raw latencies) into `r`. */
function mergeRecord(r: TimeseriesRecord, late: TimeseriesRecord, b: Bucket, f: SourceFlags): void {
  r.started += late.started;
  r.offered += late.offered;
  r.offeredRate += late.offeredRate;
  r.dropped += late.dropped;
  r.succeeded += late.succeeded;
  for (const [k, v] of Object.entries(late.failed)) inc(r.failed, k, v);
  const grow = (s: LatencySnapshot | undefined, values: number[]) => addToSnapshot(s, values);
  const e2e = grow(r.latency.e2e, f.e2eMetric ? b.e2e : b.http);
  if (e2e) r.latency.e2e = e2e;
  const ack = grow(r.latency.ack, b.ack);
  if (ack) r.latency.ack = ack;
  if (late.k6) {
    const k = r.k6 ?? { droppedIterations: 0, vus: -1, vusMax: 0 };
    r.k6 = {
      droppedIterations: k.droppedIterations + late.k6.droppedIterations,
      vus: Math.max(k.vus, late.k6.vus),
      vusMax: Math.max(k.vusMax, late.k6.vusMax),
    };
  }
  for (const [name, lc] of Object.entries(late.corridors)) {
    const c = r.corridors[name];
    const raw = b.corridors.get(name);
    if (!c) {
      r.corridors[name] = lc;
      continue;
    }
    c.offered += lc.offered;
    c.started += lc.started;
    c.succeeded += lc.succeeded;
    for (const [k, v] of Object.entries(lc.failed)) inc(c.failed, k, v);
    const snap = grow(c.e2e, raw ? (f.e2eMetric ? raw.e2e : raw.http) : []);
    if (snap) c.e2e = snap;
  }
}
