import type { LatencySnapshot, TimeseriesRecord, TimeWindow } from '@mlperf/core';
import { type MergedLatency, mergeLatency } from './stats/latency.js';

export function failedCount(f: Record<string, number>): number {
  let s = 0;
  for (const v of Object.values(f)) s += v;
  return s;
}

/** The records whose second starts inside `w` (end exclusive). */
export function inWindow(records: readonly TimeseriesRecord[], w: TimeWindow): TimeseriesRecord[] {
  return records.filter((r) => r.t >= w.start && r.t < w.end);
}

export interface WindowAggregate {
  seconds: number;
  offered: number;
  started: number;
  dropped: number;
  succeeded: number;
  failed: number;
  errorsByType: Record<string, number>;
  /** Successful transfers per second. */
  achievedTps: number;
  /** Mean prescribed rate. */
  offeredTps: number;
  /** Succeeded against offered arrivals (a dropped arrival is not a success). */
  successRate?: number;
  /** Failed among finished transfers (the target's errors). */
  errorRate?: number;
  /** The input says how many transfers ran but not how they ended (a k6 summary without http_req_failed). */
  outcomesUnknown?: boolean;
  latency?: MergedLatency;
}

export function aggregate(
  records: readonly TimeseriesRecord[],
  pick: (r: TimeseriesRecord) => LatencySnapshot | undefined = (r) => r.latency.e2e,
): WindowAggregate {
  const errorsByType: Record<string, number> = {};
  let offered = 0;
  let started = 0;
  let dropped = 0;
  let succeeded = 0;
  let failed = 0;
  let rate = 0;
  for (const r of records) {
    offered += r.offered;
    started += r.started;
    dropped += r.dropped;
    succeeded += r.succeeded;
    rate += r.offeredRate;
    for (const [k, v] of Object.entries(r.failed)) {
      errorsByType[k] = (errorsByType[k] ?? 0) + v;
      failed += v;
    }
  }
  const seconds = records.length;
  const finished = succeeded + failed;
  const out: WindowAggregate = {
    seconds,
    offered,
    started,
    dropped,
    succeeded,
    failed,
    errorsByType,
    achievedTps: seconds ? succeeded / seconds : 0,
    offeredTps: seconds ? rate / seconds : 0,
  };
  const arrivals = offeredOf(out);
  if (arrivals > 0) out.successRate = succeeded / arrivals;
  if (finished > 0) out.errorRate = failed / finished;
  const lat = mergeLatency(records.map(pick));
  if (lat) out.latency = lat;
  return out;
}

/** Arrivals offered: started plus dropped (never fewer than the outcomes seen). */
export function offeredOf(
  a: Pick<WindowAggregate, 'offered' | 'started' | 'dropped' | 'succeeded' | 'failed'>,
): number {
  return Math.max(a.offered, a.started + a.dropped, a.succeeded + a.failed + a.dropped);
}

/** Groups consecutive records into bins of `binS` seconds (by their `s`). */
export function bins(records: readonly TimeseriesRecord[], binS: number): TimeseriesRecord[][] {
  const out: TimeseriesRecord[][] = [];
  let cur: TimeseriesRecord[] = [];
  let key: number | undefined;
  for (const r of records) {
    const k = Math.floor(r.s / binS);
    if (key !== undefined && k !== key) {
      out.push(cur);
      cur = [];
    }
    key = k;
    cur.push(r);
  }
  if (cur.length) out.push(cur);
  return out;
}

export function windowOf(records: readonly TimeseriesRecord[]): TimeWindow | undefined {
  const first = records[0];
  const last = records[records.length - 1];
  return first && last ? { start: first.t, end: last.t + 1000 } : undefined;
}
