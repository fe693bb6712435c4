import type { RunTotals, StageWindow } from '@mlperf/core';
import { stageName } from '@mlperf/core';
import type { Histogram } from 'hdr-histogram-js';
import { conditionOf, deriveFulfilment } from '../fspiop/crypto.js';
import { newTransferId } from '../fspiop/ids.js';
import { type IlpCorridorTemplate, ilpPrepare, ilpTemplate } from '../fspiop/ilp.js';
import {
  amountInMinorUnits,
  fspiopHeaders,
  type PrepareParts,
  prepareBody,
  prepareParts,
  transactionData,
} from '../fspiop/messages.js';
import { ArrivalSchedule, CorridorPicker } from './arrivals.js';
import { CallbackServer } from './callback-server.js';
import { HttpDate, RateLimitedLog } from './clock.js';
import { DfspRoles, type PayerSide } from './dfsp-roles.js';
import { HealthSampler } from './health.js';
import { HostCpuSampler } from './host-cpu.js';
import { newHistogram, percentileMs, recordMs } from './histograms.js';
import { type HubEvents, HubClient, type RequestHeaders } from './hub-client.js';
import { InFlightTable, Transfer } from './inflight.js';
import { PeriodStats } from './period.js';
import { EngineMetrics } from './prom.js';
import { StopRuleWindow } from './stop-rule.js';
import type { EngineCorridor, EngineResult, LoadEngineOptions, StopEvent } from './types.js';

export type { EngineCorridor, EngineResult, LoadEngineOptions, StopEvent } from './types.js';

interface CorridorState {
  parts: PrepareParts;
  ilp: IlpCorridorTemplate;
  headers: RequestHeaders;
}

const TARGET_DOWN_SECONDS = 3;
const TICK_BUDGET_MS = 4;
/** An arrival the engine reaches later than this is dropped (and logged), not sent. */
const MAX_LATE_MS = 1000;

/**
 * The open-model load engine: arrivals at exactly the planned times (never waiting for
 * responses), exact corridor mix, an in-flight cap whose overflow is counted as dropped, and one
 * outcome per started transfer. Latency is measured from the intended start (coordinated
 * omission corrected), beside the service time from the actual send.
 */
export class LoadEngine implements HubEvents, PayerSide {
  readonly metrics: EngineMetrics;
  private readonly o: LoadEngineOptions;
  private readonly log: RateLimitedLog;
  private readonly table = new InFlightTable();
  private readonly schedule: ArrivalSchedule;
  private readonly picker: CorridorPicker;
  private readonly client: HubClient;
  private readonly roles: DfspRoles;
  private readonly server: CallbackServer;
  private readonly date = new HttpDate();
  private readonly health = new HealthSampler();
  private readonly host = new HostCpuSampler();
  private readonly corridorState: CorridorState[];
  private readonly corridorNames: string[];
  private readonly stopWindow: StopRuleWindow | undefined;
  private cur: PeriodStats;
  private spare: PeriodStats;
  private readonly total: PeriodStats;
  private readonly steady: PeriodStats;
  private steadySeconds = 0;
  private readonly stageE2e = new Map<number, Histogram>();
  private t0 = 0;
  private wall0 = 0;
  private second = 0;
  private secEnd = 1000;
  private lastSweep = 0;
  private lastStage = 0;
  private arrivalsEndMs = Infinity;
  private plannedEndMs = Infinity;
  private recoveryStartMs = 0;
  private stop: StopEvent | undefined;
  private recoveryStage: number | undefined;
  private abortReason: string | undefined;
  private targetDown = false;
  private downSeconds = 0;
  private httpRequests = 0;
  private httpFailed = 0;
  private peakInFlight = 0;
  private peakRss = 0;
  private cpu0: NodeJS.CpuUsage = process.cpuUsage();
  private timer: NodeJS.Timeout | undefined;
  private finish: (() => void) | undefined;
  private phase: 'idle' | 'load' | 'drain' | 'done' = 'idle';
  private drainDeadline = Infinity;
  private callbackBase = '';

  constructor(options: LoadEngineOptions) {
    this.o = options;
    this.log = new RateLimitedLog(options.log);
    this.corridorNames = options.corridors.map((c) => c.name);
    this.schedule = new ArrivalSchedule(options.stages);
    this.picker = new CorridorPicker(options.corridors);
    this.client = new HubClient(options.hubUrl, this, options.maxSockets);
    this.roles = new DfspRoles(
      this,
      this.client,
      options.secret,
      options.payeeRejectRatio,
      this.date,
      this.log,
    );
    this.server = new CallbackServer(this.roles);
    this.metrics = new EngineMetrics(this.corridorNames, () => this.table.size);
    const n = options.corridors.length;
    this.cur = new PeriodStats(n);
    this.spare = new PeriodStats(n);
    this.total = new PeriodStats(n);
    this.steady = new PeriodStats(n);
    this.corridorState = options.corridors.map((c) => {
      const data = transactionData(c.payer, c.payee, c.amount, c.currency, newTransferId('uuid'));
      return {
        parts: prepareParts(c.payer, c.payee, c.amount, c.currency),
        ilp: ilpTemplate(`g.${c.payee}.msisdn.27710000002`, amountInMinorUnits(c.amount), data),
        headers: fspiopHeaders(c.payer, c.payee, this.date.now, true) as RequestHeaders,
      };
    });
    this.stopWindow = options.stopRule
      ? new StopRuleWindow(options.stopRule, options.stopWindowMs ?? 10_000)
      : undefined;
  }

  /** Starts the callback server; returns its base URL (`http://host:port`). */
  async listen(): Promise<string> {
    const a = await this.server.listen(this.o.callbackPort, this.o.callbackHost);
    const host = a.host.includes(':') ? `[${a.host}]` : a.host;
    this.callbackBase = `http://${host}:${a.port}`;
    return this.callbackBase;
  }

  get inFlight(): number {
    return this.table.size;
  }

  /** Seconds since the start. */
  get elapsedS(): number {
    return this.phase === 'idle' ? 0 : (performance.now() - this.t0) / 1000;
  }

  /** Runs the load until the stages end (or the stop rule, `signal`, or a dead target), then drains. */
  async run(signal?: AbortSignal): Promise<EngineResult> {
    this.t0 = performance.now();
    this.wall0 = Date.now();
    this.cpu0 = process.cpuUsage();
    this.phase = 'load';
    const done = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
    const onAbort = () => this.abort(signal?.reason instanceof Error ? signal.reason.message : 'interrupted');
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    this.tick();
    await done;
    signal?.removeEventListener('abort', onAbort);
    return this.result();
  }

  /** Stops arrivals now and drains for the bounded abort time. */
  abort(reason: string): void {
    if (this.phase === 'done' || this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.log.info(`abort: ${reason}`);
    const now = performance.now() - this.t0;
    this.schedule.stopAt(now);
    this.enterDrain(now, this.o.abortDrainMs);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.health.stop();
    await this.server.close();
    await this.client.close();
  }

  // --- the loop -------------------------------------------------------------------------------

  private readonly tick = (): void => {
    this.timer = undefined;
    let now = performance.now() - this.t0;
    const s = this.schedule;
    // A time budget per tick: an engine that falls behind still lets its callbacks in (the lag shows).
    const budgetEnd = now + TICK_BUDGET_MS;
    let behind = false;
    // Arrivals are counted in the second they were planned for, even when handled a little late.
    for (;;) {
      if (this.phase === 'load') {
        while (s.nextAtMs <= now && s.nextAtMs < this.secEnd) {
          this.arrive(s.nextAtMs, s.nextStage);
          s.advance();
          now = performance.now() - this.t0;
          if (now > budgetEnd) {
            behind = true;
            break;
          }
        }
      }
      if (behind || now < this.secEnd) break;
      this.flushSecond(false);
    }
    if (this.phase === 'load' && s.nextAtMs === Infinity) this.onArrivalsEnd(now);
    if (now - this.lastSweep >= 100) {
      this.lastSweep = now;
      this.sweep(now);
    }
    if (this.phase === 'drain' && (this.table.size === 0 || now >= this.drainDeadline)) {
      // a transfer whose time ran out with the drain is a timeout, not unfinished (sweeps are 100 ms apart)
      this.sweep(now);
      this.end();
      return;
    }
    if (this.phase === 'done') return;
    if (behind) {
      this.timer = setTimeout(this.tick, 0);
      return;
    }
    const next =
      this.phase === 'load' ? Math.min(this.schedule.nextAtMs, this.secEnd) : Math.min(this.secEnd, now + 50);
    this.timer = setTimeout(this.tick, Math.max(1, Math.min(100, Math.floor(next - now))));
  };

  private onArrivalsEnd(now: number): void {
    const r = this.o.recovery;
    this.plannedEndMs = Math.min(this.plannedEndMs, now);
    if (r && this.recoveryStage === undefined && this.abortReason === undefined) {
      this.recoveryStartMs = now;
      this.recoveryStage = this.schedule.hold(now, r.rate, r.durationMs);
      this.log.info(`recovery: holding ${r.rate} TPS for ${r.durationMs / 1000}s`);
      return;
    }
    this.arrivalsEndMs = Math.min(this.arrivalsEndMs, now);
    this.enterDrain(now, this.o.timeoutMs);
  }

  private enterDrain(now: number, forMs: number): void {
    if (this.phase === 'drain' || this.phase === 'done') {
      this.drainDeadline = Math.min(this.drainDeadline, now + forMs);
      return;
    }
    this.arrivalsEndMs = Math.min(this.arrivalsEndMs, now);
    this.plannedEndMs = Math.min(this.plannedEndMs, now);
    this.phase = 'drain';
    this.drainDeadline = now + forMs;
    if (!this.timer) this.timer = setTimeout(this.tick, 1);
  }

  private end(): void {
    this.phase = 'done';
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flushSecond(true);
    this.finish?.();
  }

  // --- one arrival (hot path) -----------------------------------------------------------------

  private arrive(intendedMs: number, stage: number): void {
    const c = this.picker.next();
    const sec = this.cur;
    sec.offered(c);
    this.lastStage = stage;
    if (this.table.size >= this.o.maxInFlight) {
      sec.dropped(c);
      return;
    }
    const now = performance.now();
    if (now - this.t0 - intendedMs > MAX_LATE_MS) {
      // The engine itself is behind (CPU starved): the arrival cannot start on time, as k6 drops it.
      sec.dropped(c);
      this.log.write('engine-behind', `arrival ${(now - this.t0 - intendedMs).toFixed(0)} ms late: dropped`);
      return;
    }
    const id = newTransferId(this.o.idKind);
    const fulfilment = deriveFulfilment(this.o.secret, id);
    const condition = conditionOf(fulfilment);
    const cs = this.corridorState[c] as CorridorState;
    const expiration = new Date(Date.now() + this.o.expirationMs).toISOString();
    const body = prepareBody(
      cs.parts,
      id,
      ilpPrepare(cs.ilp, expiration, condition),
      condition.toString('base64url'),
      expiration,
    );
    const intended = this.t0 + intendedMs;
    const t = new Transfer(id, c, intended, now, fulfilment.toString('base64url'));
    this.table.add(t);
    if (this.table.size > this.peakInFlight) this.peakInFlight = this.table.size;
    sec.started(c, now - intended);
    cs.headers.date = this.date.now;
    this.client.sendPrepare(t, cs.headers, body);
  }

  // --- outcomes (HubEvents, PayerSide) --------------------------------------------------------

  find(id: string): Transfer | undefined {
    return this.table.get(id);
  }

  payerOf(t: Transfer): string {
    return (this.o.corridors[t.corridor] as EngineCorridor).payer;
  }

  payeeOf(t: Transfer): string {
    return (this.o.corridors[t.corridor] as EngineCorridor).payee;
  }

  succeed(t: Transfer, now: number): void {
    if (t.done) return;
    t.done = true;
    this.table.delete(t);
    const e2e = now - t.intendedAt;
    const service = now - t.sentAt;
    this.cur.succeeded(t.corridor, e2e, service);
    (this.metrics.e2e[t.corridor] as { observe(v: number): void }).observe(e2e / 1000);
    (this.metrics.service[t.corridor] as { observe(v: number): void }).observe(service / 1000);
  }

  fail(t: Transfer, errorType: string, detail: string): void {
    if (t.done) return;
    t.done = true;
    this.table.delete(t);
    this.cur.failed(t.corridor, errorType);
    this.log.write(errorType, detail);
  }

  prepareSent(t: Transfer, now: number): void {
    t.sentAt = now;
    recordMs(this.cur.dispatch, now - t.intendedAt);
  }

  prepareAccepted(t: Transfer, now: number): void {
    if (t.ackAt !== 0) return;
    t.ackAt = now;
    recordMs(this.cur.ack, now - t.sentAt);
    this.metrics.ack.observe((now - t.sentAt) / 1000);
  }

  prepareFailed(t: Transfer, errorType: string, detail: string): void {
    this.fail(t, errorType, `POST /transfers ${t.id}: ${detail}`);
  }

  payeeCallbackFailed(transferId: string, errorType: string, detail: string): void {
    const t = this.table.get(transferId);
    if (t) this.fail(t, errorType, `payee PUT /transfers/${transferId}: ${detail}`);
    else this.log.write(`payee-callback-${errorType}`, `PUT /transfers/${transferId}: ${detail}`);
  }

  request(failed: boolean): void {
    this.httpRequests++;
    if (failed) this.httpFailed++;
  }

  metricsText(): Promise<{ contentType: string; text: string }> {
    return this.metrics.text().then((text) => ({ contentType: this.metrics.contentType, text }));
  }

  // --- periodic work ---------------------------------------------------------------------------

  private sweep(now: number): void {
    const limit = this.t0 + now - this.o.timeoutMs;
    this.table.sweep(limit, (t) => {
      this.fail(t, 'timeout', `${t.id}: no outcome ${this.o.timeoutMs} ms after it started`);
      t.req?.abort?.(new Error('transfer timed out'));
      t.req = undefined;
    });
  }

  /** Closes the current second: timeseries line, run totals, stop rule, dead-target check. */
  private flushSecond(final: boolean): void {
    const sec = this.cur;
    const s = this.second;
    // once arrivals have ended (drain), nothing is offered any more, whatever the cut plan says
    const mid = s * 1000 + 500;
    const planned = mid < this.arrivalsEndMs ? this.schedule.rateAt(mid) : undefined;
    const stage = planned?.stage ?? this.lastStage;
    const offeredRate = planned ? Math.round(planned.rate * 1000) / 1000 : 0;
    const lag = percentileMs(sec.sched, 99);
    const engine = this.health.sample(lag);
    if (engine.rssBytes > this.peakRss) this.peakRss = engine.rssBytes;
    const record = sec.toRecord(
      { t: this.wall0 + s * 1000, s, stage, offeredRate, inFlight: this.table.size, engine },
      this.corridorNames,
    );
    const host = this.host.sample();
    if (host) record.host = host;
    this.metrics.addSecond(sec.all, sec.corridors, this.corridorNames, offeredRate, lag);
    this.accumulate(sec, stage, s);
    this.o.onSecond(record, this);
    if (!final) this.checkRules(sec, s, offeredRate);
    this.cur = this.spare;
    this.spare = sec;
    sec.reset();
    this.second++;
    this.secEnd += 1000;
  }

  private accumulate(sec: PeriodStats, stage: number, s: number): void {
    this.total.add(sec);
    let h = this.stageE2e.get(stage);
    if (!h) {
      h = newHistogram();
      this.stageE2e.set(stage, h);
    }
    h.add(sec.e2e);
    const inSteady = s >= this.o.steady.fromMs / 1000 && s + 1 <= this.o.steady.toMs / 1000;
    if (inSteady && this.recoveryStage === undefined) {
      this.steadySeconds++;
      this.steady.add(sec);
    }
  }

  private checkRules(sec: PeriodStats, s: number, rate: number): void {
    if (this.o.abortOnTargetDown) {
      const conn = sec.all.failed.connection ?? 0;
      const outcomes = sec.all.succeeded + sec.all.failedTotal;
      this.downSeconds = conn > 0 && conn >= outcomes * 0.9 ? this.downSeconds + 1 : 0;
      if (this.downSeconds >= TARGET_DOWN_SECONDS && this.abortReason === undefined) {
        this.targetDown = true;
        this.abort(
          `target unreachable: only connection errors for ${TARGET_DOWN_SECONDS}s (--abort-on-target-down)`,
        );
      }
    }
    if (
      this.stopWindow &&
      this.stop === undefined &&
      this.recoveryStage === undefined &&
      this.phase === 'load'
    ) {
      const v = this.stopWindow.push(sec);
      if (v) {
        const now = performance.now() - this.t0;
        this.stop = { atS: Math.round(now) / 1000, rate, reason: v.reason };
        this.log.info(`stop rule fired at ${rate.toFixed(0)} TPS (${s}s): ${v.reason}`);
        this.schedule.stopAt(now);
      }
    }
  }

  private result(): EngineResult {
    const totals: RunTotals = {
      offered: this.total.all.offered,
      started: this.total.all.started,
      dropped: this.total.all.dropped,
      succeeded: this.total.all.succeeded,
      failed: { ...this.total.all.failed },
      unfinished: this.table.size,
    };
    const out: EngineResult = {
      status: this.abortReason !== undefined ? 'aborted' : 'completed',
      targetDown: this.targetDown,
      totals,
      stages: this.stageWindows(),
      total: this.total,
      steady: this.steady,
      steadySeconds: this.steadySeconds,
      stageE2e: this.stageE2e,
      http: { requests: this.httpRequests, failed: this.httpFailed },
      maxInFlight: this.o.maxInFlight,
      peakInFlight: this.peakInFlight,
      anomalies: { ...this.roles.anomalies },
      durationS: (performance.now() - this.t0) / 1000,
      arrivalsS: Math.min(this.arrivalsEndMs, performance.now() - this.t0) / 1000,
      startedAt: this.wall0,
      engine: {
        schedulingLagP99Ms: percentileMs(this.total.sched, 99),
        cpuSeconds: (() => {
          const c = process.cpuUsage(this.cpu0);
          return (c.user + c.system) / 1e6;
        })(),
        peakRssBytes: this.peakRss,
      },
    };
    if (this.abortReason !== undefined) out.reason = this.abortReason;
    if (this.stop) out.stop = this.stop;
    return out;
  }

  /** Stages as they actually ran: cut at a stop or abort, plus the recovery hold. */
  stageWindows(): StageWindow[] {
    const elapsed = performance.now() - this.t0;
    const end = Math.min(this.arrivalsEndMs, elapsed);
    const plannedEnd = Math.min(this.plannedEndMs, end);
    const out: StageWindow[] = [];
    for (const t of this.o.stages) {
      if (t.startMs >= plannedEnd) break;
      const stageEnd = Math.min(t.startMs + t.durationMs, plannedEnd);
      out.push({
        index: t.index,
        name: stageName(t.stage, t.index),
        kind: t.stage.kind,
        startS: t.startMs / 1000,
        endS: Math.round(stageEnd) / 1000,
        fromRate: t.fromRate,
        toRate:
          Math.round((this.schedule.rateAt(Math.max(t.startMs, stageEnd - 1))?.rate ?? t.toRate) * 1000) /
          1000,
      });
    }
    if (this.recoveryStage !== undefined && this.o.recovery) {
      out.push({
        index: this.recoveryStage,
        name: 'recovery',
        kind: 'constant',
        startS: Math.round(this.recoveryStartMs) / 1000,
        endS: Math.round(end) / 1000,
        fromRate: this.o.recovery.rate,
        toRate: this.o.recovery.rate,
      });
    }
    return out;
  }
}
