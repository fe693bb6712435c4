import type { LatencySnapshot } from '@mlperf/core';
import { addToSnapshot } from '@mlperf/core/k6';

/** The outcomes of the transfers that started in one second (k6's start, read from the transfer id). */
export interface SimSecond {
  /** Unix ms at the start of the second. */
  t: number;
  succeeded: number;
  failed: Record<string, number>;
  /** k6 send -> payer callback, for transfers whose send time k6 told (ms). */
  e2e?: LatencySnapshot;
  corridors: Record<string, { succeeded: number; failed: Record<string, number>; e2e?: LatencySnapshot }>;
}

interface Open {
  succeeded: number;
  failed: Record<string, number>;
  e2e: number[];
  corridors: Map<string, { succeeded: number; failed: Record<string, number>; e2e: number[] }>;
}

const empty = (): Open => ({ succeeded: 0, failed: {}, e2e: [], corridors: new Map() });

/**
 * Per-second outcome counts and latency, kept for `retentionS` (default 4 h). A second stays open
 * (raw latencies) until `lagS` after it ended, so late end-to-end observations land in it; then it
 * is reduced to percentiles and its raw values are dropped: memory stays bounded at any rate.
 */
export class SecondsLog {
  private readonly open = new Map<number, Open>();
  private readonly closed = new Map<number, SimSecond>();

  constructor(
    private readonly retentionS = 4 * 3600,
    private readonly lagS = 60,
  ) {}

  private at(ms: number): Open {
    const t = Math.floor(ms / 1000) * 1000;
    let o = this.open.get(t);
    if (!o) {
      o = empty();
      this.open.set(t, o);
    }
    return o;
  }

  private corridor(o: Open, name: string) {
    let c = o.corridors.get(name);
    if (!c) {
      c = { succeeded: 0, failed: {}, e2e: [] };
      o.corridors.set(name, c);
    }
    return c;
  }

  outcome(startMs: number, corridor: string, errorType: string | undefined): void {
    const o = this.at(startMs);
    const c = this.corridor(o, corridor);
    if (errorType === undefined) {
      o.succeeded++;
      c.succeeded++;
    } else {
      o.failed[errorType] = (o.failed[errorType] ?? 0) + 1;
      c.failed[errorType] = (c.failed[errorType] ?? 0) + 1;
    }
  }

  /** An end-to-end time, counted in the second its transfer started. */
  latency(startMs: number, corridor: string, ms: number): void {
    const o = this.at(startMs);
    o.e2e.push(ms);
    this.corridor(o, corridor).e2e.push(ms);
  }

  /** The second's record; `before` is what was already closed for it (a very late outcome). */
  private reduce(t: number, o: Open, before?: SimSecond): SimSecond {
    const s: SimSecond = {
      t,
      succeeded: o.succeeded + (before?.succeeded ?? 0),
      failed: addCounts(before?.failed, o.failed),
      corridors: {},
    };
    const e2e = addToSnapshot(before?.e2e, o.e2e);
    if (e2e) s.e2e = e2e;
    const names = new Set([...o.corridors.keys(), ...Object.keys(before?.corridors ?? {})]);
    for (const name of names) {
      const c = o.corridors.get(name);
      const b = before?.corridors[name];
      const snap = addToSnapshot(b?.e2e, c?.e2e ?? []);
      s.corridors[name] = {
        succeeded: (c?.succeeded ?? 0) + (b?.succeeded ?? 0),
        failed: addCounts(b?.failed, c?.failed ?? {}),
        ...(snap ? { e2e: snap } : {}),
      };
    }
    return s;
  }

  /** Closes seconds older than the lag and forgets those past the retention. */
  tick(now = Date.now()): void {
    for (const [t, o] of this.open) {
      if (t < now - this.lagS * 1000) {
        this.closed.set(t, this.reduce(t, o, this.closed.get(t)));
        this.open.delete(t);
      }
    }
    for (const t of this.closed.keys()) {
      if (t >= now - this.retentionS * 1000) break;
      this.closed.delete(t);
    }
  }

  /** The seconds in [fromMs, toMs), oldest first; open ones reduced on the fly. */
  range(fromMs: number, toMs: number): SimSecond[] {
    const out: SimSecond[] = [];
    for (const [t, s] of this.closed) if (t >= fromMs && t < toMs && !this.open.has(t)) out.push(s);
    for (const [t, o] of this.open)
      if (t >= fromMs && t < toMs) out.push(this.reduce(t, o, this.closed.get(t)));
    return out.sort((a, b) => a.t - b.t);
  }
}

function addCounts(a: Record<string, number> | undefined, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}
