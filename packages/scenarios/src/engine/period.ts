import type { CorridorSecond, TimeseriesRecord, TransferOutcome } from '@mlperf/core';
import type { Histogram } from 'hdr-histogram-js';
import { newHistogram, recordMs, snapshot } from './histograms.js';

/** The counters of a Counts without its methods: what crosses threads. */
export type CountFields = Pick<
  Counts,
  'offered' | 'started' | 'dropped' | 'succeeded' | 'failedTotal' | 'failed'
>;

/** Counters of one corridor (or of all of them) over a period. */
export class Counts {
  offered = 0;
  started = 0;
  dropped = 0;
  succeeded = 0;
  failedTotal = 0;
  failed: Record<string, number> = {};

  fail(errorType: string): void {
    this.failedTotal++;
    this.failed[errorType] = (this.failed[errorType] ?? 0) + 1;
  }

  reset(): void {
    this.offered = this.started = this.dropped = this.succeeded = this.failedTotal = 0;
    this.failed = {};
  }

  /** Adds another period's counts (a Counts, or its plain copy from a worker). */
  add(o: CountFields): void {
    this.offered += o.offered;
    this.started += o.started;
    this.dropped += o.dropped;
    this.succeeded += o.succeeded;
    this.failedTotal += o.failedTotal;
    for (const k in o.failed) this.failed[k] = (this.failed[k] ?? 0) + (o.failed[k] as number);
  }
}

/** Maps an error type (`fspiop:4001`, `http:503`, `timeout`, `connection`) to its outcome class. */
export function outcomeOf(errorType: string): TransferOutcome {
  if (errorType.startsWith('fspiop:')) return 'fspiop-error';
  if (errorType.startsWith('http:')) return 'http-error';
  if (errorType === 'timeout') return 'timeout';
  return 'connection-error';
}

/**
 * Everything that happened in one period (a second of the timeseries, or the whole run):
 * counts and HDR histograms, overall and per corridor. Reused with `reset()`.
 */
export class PeriodStats {
  readonly all = new Counts();
  readonly corridors: Counts[];
  readonly e2e: Histogram = newHistogram();
  readonly service: Histogram = newHistogram();
  readonly ack: Histogram = newHistogram();
  readonly dispatch: Histogram = newHistogram();
  /** Intended start -> the engine handling the arrival (timer lag only, not socket waits). */
  readonly sched: Histogram = newHistogram();
  readonly corridorE2e: Histogram[];
  /** Service time per corridor (for /metrics; not written to the timeseries). */
  readonly corridorService: Histogram[];

  constructor(corridorCount: number) {
    this.corridors = Array.from({ length: corridorCount }, () => new Counts());
    this.corridorE2e = Array.from({ length: corridorCount }, () => newHistogram());
    this.corridorService = Array.from({ length: corridorCount }, () => newHistogram());
  }

  offered(c: number): void {
    this.all.offered++;
    (this.corridors[c] as Counts).offered++;
  }

  dropped(c: number): void {
    this.all.dropped++;
    (this.corridors[c] as Counts).dropped++;
  }

  started(c: number, schedMs: number): void {
    recordMs(this.sched, schedMs);
    this.all.started++;
    (this.corridors[c] as Counts).started++;
  }

  succeeded(c: number, e2eMs: number, serviceMs: number): void {
    this.all.succeeded++;
    (this.corridors[c] as Counts).succeeded++;
    recordMs(this.corridorE2e[c] as Histogram, e2eMs);
    recordMs(this.corridorService[c] as Histogram, serviceMs);
  }

  /**
   * Fills the all-corridor e2e and service histograms from the corridors' (each success is
   * recorded once per figure, in its corridor). Call once when the period is complete.
   */
  seal(): void {
    this.e2e.reset();
    this.service.reset();
    for (const h of this.corridorE2e) this.e2e.add(h);
    for (const h of this.corridorService) this.service.add(h);
  }

  failed(c: number, errorType: string): void {
    this.all.fail(errorType);
    (this.corridors[c] as Counts).fail(errorType);
  }

  /** Merges another period into this one (counts and histograms, exactly). */
  add(o: PeriodStats): void {
    this.all.add(o.all);
    o.corridors.forEach((c, i) => {
      this.corridors[i]?.add(c);
      this.corridorE2e[i]?.add(o.corridorE2e[i] as Histogram);
      this.corridorService[i]?.add(o.corridorService[i] as Histogram);
    });
    this.e2e.add(o.e2e);
    this.service.add(o.service);
    this.ack.add(o.ack);
    this.dispatch.add(o.dispatch);
    this.sched.add(o.sched);
  }

  reset(): void {
    this.all.reset();
    for (const c of this.corridors) c.reset();
    this.e2e.reset();
    this.service.reset();
    this.ack.reset();
    this.dispatch.reset();
    this.sched.reset();
    for (const h of this.corridorE2e) h.reset();
    for (const h of this.corridorService) h.reset();
  }

  /** One timeseries line. Histograms carry their `hdr` so periods can be merged exactly. */
  toRecord(
    base: Pick<TimeseriesRecord, 't' | 's' | 'stage' | 'offeredRate' | 'inFlight' | 'engine' | 'host'>,
    corridorNames: readonly string[],
  ): TimeseriesRecord {
    const corridors: Record<string, CorridorSecond> = {};
    corridorNames.forEach((name, i) => {
      const c = this.corridors[i] as Counts;
      const cs: CorridorSecond = {
        offered: c.offered,
        started: c.started,
        dropped: c.dropped,
        succeeded: c.succeeded,
        failed: { ...c.failed },
      };
      const e2e = snapshot(this.corridorE2e[i] as Histogram, true);
      if (e2e) cs.e2e = e2e;
      corridors[name] = cs;
    });
    const latency: TimeseriesRecord['latency'] = {};
    const e2e = snapshot(this.e2e, true);
    if (e2e) latency.e2e = e2e;
    const service = snapshot(this.service, true);
    if (service) latency.service = service;
    const ack = snapshot(this.ack, true);
    if (ack) latency.ack = ack;
    const dispatch = snapshot(this.dispatch, true);
    if (dispatch) latency.dispatch = dispatch;
    const record: TimeseriesRecord = {
      t: base.t,
      s: base.s,
      stage: base.stage,
      offeredRate: base.offeredRate,
      offered: this.all.offered,
      started: this.all.started,
      dropped: this.all.dropped,
      succeeded: this.all.succeeded,
      failed: { ...this.all.failed },
      inFlight: base.inFlight,
      latency,
      corridors,
    };
    if (base.engine) record.engine = base.engine;
    if (base.host) record.host = base.host;
    return record;
  }
}
