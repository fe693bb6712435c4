import type { Reply } from '../engine/callback-server.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SecondsLog } from './seconds.js';

/** The simulator's /metrics names (its own, beside the engine's `mlperf_` ones). */
export const DFSP_SIM_METRICS = {
  /** Histogram {corridor}, seconds: k6's POST /transfers sent (`sentAt`) -> the payer's callback. */
  transferDuration: 'mlperf_dfsp_sim_transfer_duration_seconds',
  /** Counter {outcome, error_type, corridor}: outcomes the payer role received. */
  transfers: 'mlperf_dfsp_sim_transfers_total',
  /** Counter {payee}: prepares the payee role answered. */
  prepares: 'mlperf_dfsp_sim_prepares_total',
  /** Gauge: k6 requests waiting for an outcome. */
  waiting: 'mlperf_dfsp_sim_waiting_requests',
  /** Counter {kind}: callbacks the roles could not use, payee answers the hub refused. */
  anomalies: 'mlperf_dfsp_sim_anomalies_total',
} as const;

const BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30,
];

/** A transfer's end as the payer saw it. `errorType` as mlperf's results name it (`fspiop:4001`). */
export interface Outcome {
  state: 'COMMITTED' | 'ABORTED';
  errorType?: string;
  /** Unix ms the callback arrived. */
  at: number;
}

interface Entry {
  outcome?: Outcome;
  /** Unix ms k6 sent the prepare, once it asked. */
  sentAt?: number;
  corridor: string;
  observed: boolean;
  waiters: { res: Reply; timer: NodeJS.Timeout }[];
  touched: number;
}

/**
 * Outcomes by transfer id, and the k6 requests waiting for them (long-poll). A request that
 * arrives after the callback is answered at once; entries are forgotten after `retentionMs`.
 * Each transfer's end-to-end time is observed once, when both its send time and outcome are known.
 */
export class OutcomeBook {
  readonly registry = new Registry();
  /** Per-second outcomes and latency, for timeseries of runs whose k6 output stays in pods. */
  readonly seconds = new SecondsLog();
  private readonly entries = new Map<string, Entry>();
  private readonly duration: Histogram<'corridor'>;
  private readonly transfers: Counter<'outcome' | 'error_type' | 'corridor'>;
  readonly prepares: Counter<'payee'>;
  readonly anomalies: Counter<'kind'>;
  private waiting = 0;
  /** Outcomes received since the start. */
  resolved = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly retentionMs = 120_000) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.duration = new Histogram({
      name: DFSP_SIM_METRICS.transferDuration,
      help: 'k6 POST /transfers sent to the payer callback (end to end)',
      labelNames: ['corridor'],
      buckets: BUCKETS,
      registers,
    });
    this.transfers = new Counter({
      name: DFSP_SIM_METRICS.transfers,
      help: 'Transfer outcomes received by the payer role',
      labelNames: ['outcome', 'error_type', 'corridor'],
      registers,
    });
    this.prepares = new Counter({
      name: DFSP_SIM_METRICS.prepares,
      help: 'Prepares answered',
      labelNames: ['payee'],
      registers,
    });
    this.anomalies = new Counter({
      name: DFSP_SIM_METRICS.anomalies,
      help: 'Unusable callbacks',
      labelNames: ['kind'],
      registers,
    });
    const book = this;
    new Gauge({
      name: DFSP_SIM_METRICS.waiting,
      help: 'k6 requests waiting for an outcome',
      registers,
      collect() {
        this.set(book.waiting);
      },
    });
    this.sweeper = setInterval(() => this.sweep(), Math.min(5_000, retentionMs)).unref();
  }

  private entry(id: string, corridor = 'unknown'): Entry {
    let e = this.entries.get(id);
    if (!e) {
      e = { corridor, observed: false, waiters: [], touched: Date.now() };
      this.entries.set(id, e);
    } else if (e.corridor === 'unknown') e.corridor = corridor;
    return e;
  }

  /** The payer's callback arrived: counted in the second the transfer started (from its id). */
  resolve(id: string, corridor: string, state: Outcome['state'], errorType?: string): void {
    const e = this.entry(id, corridor);
    if (e.outcome) return;
    e.outcome = { state, at: Date.now(), ...(errorType ? { errorType } : {}) };
    e.touched = e.outcome.at;
    e.sentAt ??= startOfTransferId(id, e.outcome.at);
    this.resolved++;
    this.transfers.inc({
      outcome: state === 'COMMITTED' ? 'success' : 'fspiop-error',
      error_type: errorType ?? '',
      corridor: e.corridor,
    });
    this.seconds.outcome(
      e.sentAt ?? e.outcome.at,
      e.corridor,
      state === 'COMMITTED' ? undefined : (errorType ?? 'aborted'),
    );
    this.observe(e);
    for (const w of e.waiters.splice(0)) this.answer(id, e, w);
  }

  /** k6 asks for the outcome; answered now if known, else when it arrives or after `waitMs` (PENDING). */
  await(id: string, res: Reply, waitMs: number, sentAt: number | undefined): void {
    const e = this.entry(id);
    e.touched = Date.now();
    if (sentAt !== undefined && e.sentAt === undefined) e.sentAt = sentAt;
    this.observe(e);
    if (e.outcome) {
      this.respond(res, id, e);
      return;
    }
    const w = {
      res,
      timer: setTimeout(() => {
        e.waiters = e.waiters.filter((x) => x !== w);
        this.waiting--;
        this.respond(res, id, e);
      }, waitMs),
    };
    e.waiters.push(w);
    this.waiting++;
    res.onAbort(() => {
      if (!e.waiters.includes(w)) return;
      clearTimeout(w.timer);
      e.waiters = e.waiters.filter((x) => x !== w);
      this.waiting--;
    });
  }

  private answer(id: string, e: Entry, w: Entry['waiters'][number]): void {
    clearTimeout(w.timer);
    this.waiting--;
    this.respond(w.res, id, e);
  }

  private respond(res: Reply, id: string, e: Entry): void {
    if (res.closed) return;
    const o = e.outcome;
    const body: Record<string, unknown> = { transferId: id, state: o?.state ?? 'PENDING' };
    if (o?.errorType) body.errorType = o.errorType;
    if (o && e.sentAt !== undefined) body.e2eMs = o.at - e.sentAt;
    res.send(200, JSON.stringify(body), 'application/json');
  }

  private observe(e: Entry): void {
    if (e.observed || !e.outcome || e.sentAt === undefined) return;
    e.observed = true;
    const ms = Math.max(0, e.outcome.at - e.sentAt);
    this.duration.observe({ corridor: e.corridor }, ms / 1000);
    this.seconds.latency(e.sentAt, e.corridor, ms);
  }

  /** Forgets entries untouched for `retentionMs` (their waiters, if any, were answered PENDING). */
  sweep(now = Date.now()): void {
    this.seconds.tick(now);
    for (const [id, e] of this.entries) {
      if (e.waiters.length === 0 && now - e.touched > this.retentionMs) this.entries.delete(id);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const [id, e] of this.entries) for (const w of e.waiters.splice(0)) this.answer(id, e, w);
  }
}

/**
 * The start (unix ms) a rendered k6 script wrote into the first 48 bits of a transfer id, when it
 * is plausible (within a day before `now`); undefined for other ids.
 */
export function startOfTransferId(id: string, now = Date.now()): number | undefined {
  if (id.length !== 36 || id[8] !== '-') return undefined;
  const ms = Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
  return Number.isFinite(ms) && ms <= now + 1000 && ms > now - 86_400_000 ? ms : undefined;
}
