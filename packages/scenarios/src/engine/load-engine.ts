import { ArrivalSchedule, CorridorPicker } from './arrivals.js';
import { CallbackServer } from './callback-server.js';
import { HttpDate, RateLimitedLog } from './clock.js';
import { DfspRoles } from './dfsp-roles.js';
import { HubClient } from './hub-client.js';
import { InFlightTable } from './inflight.js';
import { OutcomeRecorder } from './outcomes.js';
import { PhaseMachine, type RunPhase } from './phase.js';
import { EngineMetrics } from './prom.js';
import { engineResult, type RunEnd, stageWindows } from './result.js';
import { SecondLedger, type SecondSlot } from './second-ledger.js';
import { SecondSampler } from './second-sampler.js';
import { RunRules, type SecondSignal } from './rules.js';
import { type SecondSink, SettledSeconds } from './settled-seconds.js';
import type { PeriodStats } from './period.js';
import { TransferStarter } from './starter.js';
import { emptyLookupCounts, TransferLookup } from './transfer-lookup.js';
import type { EngineResult, LoadEngineOptions, StopEvent } from './types.js';

export type { EngineCorridor, EngineResult, LoadEngineOptions, StopEvent } from './types.js';

/** What an engine worker plugs into its engine. */
export interface WorkerHooks {
  sink: SecondSink;
  metricsText: () => Promise<{ contentType: string; text: string }>;
  /** A wall-clock second's live view (outcomes as they arrived), for the coordinator's rules. */
  live: (live: PeriodStats, s: number, rate: number) => void;
}

const TICK_BUDGET_MS = 4;
/** An arrival the engine reaches later than this is dropped (and logged), not sent. */
const MAX_LATE_MS = 1000;
const SWEEP_EVERY_MS = 100;

/**
 * The open-model load engine: arrivals at exactly the planned times (never waiting for
 * responses), exact corridor mix, an in-flight cap whose overflow is counted as dropped, and one
 * outcome per started transfer. Each transfer is counted in the second of its intended start;
 * latency is measured from the intended start (coordinated omission corrected), beside the
 * service time from the actual send. This class runs the loop; phases live in `PhaseMachine`.
 */
export class LoadEngine {
  readonly metrics: EngineMetrics;
  private readonly o: LoadEngineOptions;
  private readonly log: RateLimitedLog;
  private readonly table = new InFlightTable();
  private readonly schedule: ArrivalSchedule;
  private readonly picker: CorridorPicker;
  private readonly client: HubClient;
  private readonly roles: DfspRoles;
  private readonly server: CallbackServer;
  private readonly outcomes: OutcomeRecorder;
  private readonly starter: TransferStarter;
  private readonly ledger: SecondLedger;
  private readonly sampler: SecondSampler;
  private readonly sink: SecondSink;
  /** This process's accounts of the settled seconds (absent in an engine worker: the coordinator keeps them). */
  private readonly settled: SettledSeconds | undefined;
  private readonly owned: readonly boolean[] | undefined;
  private readonly rules: RunRules;
  private readonly worker: WorkerHooks | undefined;
  private readonly phases = new PhaseMachine();
  private t0 = 0;
  private wall0 = 0;
  /** The wall-clock second the loop is in, and when it ends (ms from the start). */
  private second = 0;
  private secEnd = 1000;
  private slot: SecondSlot;
  private lastSweep = 0;
  private plannedEndMs = Infinity;
  private recoveryStartMs = 0;
  private stop: StopEvent | undefined;
  private abortReason: string | undefined;
  private targetDown = false;
  private peakInFlight = 0;
  private cpu0: NodeJS.CpuUsage = process.cpuUsage();
  private timer: NodeJS.Timeout | undefined;
  private settleQueued = false;
  private finish: (() => void) | undefined;

  /**
   * In an engine worker, `worker.sink` takes the settled seconds instead of this engine's own
   * accounts, and `worker.metricsText` serves /metrics (the coordinator's).
   */
  constructor(options: LoadEngineOptions, worker?: WorkerHooks) {
    const sink = worker?.sink;
    this.worker = worker;
    this.rules = new RunRules(options);
    this.o = options;
    this.owned = options.share;
    this.log = new RateLimitedLog(options.log);
    const names = options.corridors.map((c) => c.name);
    const date = new HttpDate();
    this.schedule = new ArrivalSchedule(options.stages);
    this.picker = new CorridorPicker(options.corridors);
    this.metrics = new EngineMetrics(names, () => this.table.size);
    this.outcomes = new OutcomeRecorder(
      this.table,
      options.corridors,
      this.log,
      worker?.metricsText ??
        (() => this.metrics.text().then((text) => ({ contentType: this.metrics.contentType, text }))),
      options.share,
    );
    this.client = new HubClient(options.hubUrl, this.outcomes, options.maxSockets);
    this.roles = new DfspRoles(
      this.outcomes,
      this.client,
      options.secret,
      options.payeeRejectRatio,
      date,
      this.log,
    );
    this.server = new CallbackServer(this.roles);
    const wait = options.lookupWaitMs ?? 0;
    if (wait > 0)
      this.outcomes.lookup = new TransferLookup(options.hubUrl, this.outcomes, wait, date, this.log);
    this.outcomes.liveLatency = this.rules.needsLatency;
    this.starter = new TransferStarter(options.corridors, options, this.client, date, this.outcomes);
    this.ledger = new SecondLedger(names.length);
    this.slot = this.ledger.at(0);
    this.sampler = new SecondSampler(this.schedule, () => this.wall0);
    this.settled = sink ? undefined : new SettledSeconds(names.length, options, names, this.metrics, this);
    this.sink = sink ?? (this.settled as SettledSeconds);
  }

  /** Starts the callback server and opens connections to the hub; returns its base URL (`http://host:port`). */
  async listen(): Promise<string> {
    const a = await this.server.listen(this.o.callbackPort, this.o.callbackHost);
    await this.client.warm(Math.min(8, this.o.maxSockets));
    const host = a.host.includes(':') ? `[${a.host}]` : a.host;
    return `http://${host}:${a.port}`;
  }

  get inFlight(): number {
    return this.table.size;
  }

  /** Seconds since the start. */
  get elapsedS(): number {
    return this.phases.phase === 'idle' ? 0 : this.nowMs() / 1000;
  }

  /** Which phase the run is in. */
  get phase(): RunPhase {
    return this.phases.phase;
  }

  /** Runs the load until the stages end (or the stop rule, `signal`, or a dead target), then drains. */
  async run(signal?: AbortSignal): Promise<EngineResult> {
    const end = await this.runShare(signal);
    return engineResult(this.settled as SettledSeconds, end);
  }

  /**
   * As `run`, returning how the run ended. `start` puts the start on a shared clock
   * (`performance.timeOrigin + performance.now()` and `Date.now()` at that instant), so that
   * engine workers place their arrivals on one schedule.
   */
  async runShare(signal?: AbortSignal, start?: { atMs: number; wallMs: number }): Promise<RunEnd> {
    if (start) {
      const wait = start.atMs - (performance.timeOrigin + performance.now());
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    this.t0 = start ? start.atMs - performance.timeOrigin : performance.now();
    this.wall0 = start ? start.wallMs : Date.now();
    this.cpu0 = process.cpuUsage();
    this.phases.on({ kind: 'start' }, 0);
    const done = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
    const onAbort = () => this.abort(signal?.reason instanceof Error ? signal.reason.message : 'interrupted');
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    this.tick();
    await done;
    signal?.removeEventListener('abort', onAbort);
    return this.runEnd();
  }

  /** Stops arrivals now and drains for the bounded abort time. */
  abort(reason: string): void {
    if (this.phases.phase === 'done' || this.abortReason !== undefined) return;
    this.abortReason = reason;
    this.log.info(`abort: ${reason}`);
    const now = this.nowMs();
    this.schedule.stopAt(now);
    this.move(this.phases.on({ kind: 'abort', drainMs: this.o.abortDrainMs }, now), now);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.sampler.stop();
    await this.server.close();
    await this.client.close();
    await this.outcomes.lookup?.close();
  }

  private nowMs(): number {
    return performance.now() - this.t0;
  }

  // --- the loop -------------------------------------------------------------------------------

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.phases.phase === 'done') return;
    let now = this.nowMs();
    const s = this.schedule;
    // A time budget per tick: an engine that falls behind still lets its callbacks in (the lag shows).
    const budgetEnd = now + TICK_BUDGET_MS;
    let behind = false;
    // Arrivals are counted in the second they were planned for, even when handled a little late.
    for (;;) {
      while (this.phases.loading && s.nextAtMs <= now && s.nextAtMs < this.secEnd) {
        this.arrive(s.nextAtMs, s.nextStage);
        s.advance();
        now = this.nowMs();
        if (now > budgetEnd) {
          behind = true;
          break;
        }
      }
      if (behind || now < this.secEnd) break;
      this.closeSecond();
    }
    if (this.phases.loading && s.nextAtMs === Infinity) this.arrivalsEnded(now);
    if (now - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now;
      this.outcomes.expire(this.t0 + now - this.o.timeoutMs, this.o.timeoutMs);
      this.settle();
    }
    const phase = this.phases.phase;
    if (phase === 'drain' && (this.table.size === 0 || now >= this.phases.drainDeadlineMs)) {
      // a transfer whose time ran out with the drain is a timeout, not unfinished (sweeps are 100 ms apart)
      this.outcomes.expire(this.t0 + now - this.o.timeoutMs, this.o.timeoutMs, true);
      this.move(this.phases.on({ kind: 'settled' }, now), now);
      return;
    }
    const next = this.phases.loading ? Math.min(s.nextAtMs, this.secEnd) : Math.min(this.secEnd, now + 50);
    const wait = behind ? 0 : Math.max(1, Math.min(SWEEP_EVERY_MS, Math.floor(next - now)));
    // one timer chain only (entering the drain inside this tick may have armed one)
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(this.tick, wait);
  };

  /** The schedule has no arrival left: a recovery hold follows, or the drain. */
  private arrivalsEnded(now: number): void {
    const recovery =
      this.o.recovery !== undefined && this.phases.phase === 'load' && this.abortReason === undefined;
    this.plannedEndMs = Math.min(this.plannedEndMs, now);
    const drainMs = this.o.timeoutMs + (this.o.lookupWaitMs ?? 0);
    this.move(this.phases.on({ kind: 'arrivals-ended', recovery, drainMs }, now), now);
  }

  /** What entering a phase does. */
  private move(entered: RunPhase | undefined, now: number): void {
    if (entered === 'recovery' && this.o.recovery) {
      const r = this.o.recovery;
      this.recoveryStartMs = now;
      this.sink.recoveryStage = this.schedule.hold(now, r.rate, r.durationMs);
      this.log.info(`recovery: holding ${r.rate} TPS for ${r.durationMs / 1000}s`);
    } else if (entered === 'drain') {
      this.sampler.arrivalsEndMs = Math.min(this.sampler.arrivalsEndMs, now);
      this.plannedEndMs = Math.min(this.plannedEndMs, now);
      if (!this.timer) this.timer = setTimeout(this.tick, 1);
    } else if (entered === 'done') {
      this.end();
    }
  }

  private end(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.closeSecond();
    this.outcomes.closed = true;
    this.ledger.settle((slot, sample) => this.sink.take(slot, sample), true);
    this.finish?.();
  }

  // --- one arrival (hot path) -----------------------------------------------------------------

  private arrive(intendedMs: number, stage: number): void {
    const c = this.picker.next();
    // an engine worker walks the whole schedule and corridor sequence, and starts its own share
    if (this.owned !== undefined && this.owned[c] !== true) return;
    const slot = this.slot;
    slot.stats.offered(c);
    this.sampler.lastStage = stage;
    if (this.table.size >= this.o.maxInFlight) {
      slot.stats.dropped(c);
      return;
    }
    const now = performance.now();
    const intended = this.t0 + intendedMs;
    if (now - intended > MAX_LATE_MS) {
      // The engine itself is behind (CPU starved): the arrival cannot start on time, as k6 drops it.
      slot.stats.dropped(c);
      this.log.write('engine-behind', `arrival ${(now - intended).toFixed(0)} ms late: dropped`);
      return;
    }
    slot.stats.started(c, now - intended);
    this.starter.start(c, intended, now, slot);
    if (this.table.size > this.peakInFlight) this.peakInFlight = this.table.size;
  }

  // --- seconds --------------------------------------------------------------------------------

  /** The wall-clock second is over: sample it, judge it, move on, and write whatever has settled. */
  private closeSecond(): void {
    const sample = this.sampler.take(this.slot, this.table.size);
    this.ledger.sampled(this.second, sample);
    this.judge(sample.s, sample.offeredRate);
    this.second++;
    this.secEnd += 1000;
    this.slot = this.ledger.at(this.second);
    this.settle();
  }

  /**
   * Writes whatever has settled, one second per turn of the event loop and outside the arrival
   * loop: after a hub stall many seconds settle at once, and their records, histograms and
   * /metrics must not hold up the arrivals due meanwhile.
   */
  private settle(): void {
    if (this.settleQueued) return;
    this.settleQueued = true;
    setImmediate(this.settleOne);
  }

  private readonly settleOne = (): void => {
    this.settleQueued = false;
    // the end of the run hands over every second itself
    if (this.phases.phase === 'done') return;
    if (this.ledger.settle((slot, sample) => this.sink.take(slot, sample), false, 1)) this.settle();
  };

  /** The rules read the second's live view (outcomes as they arrived): here, or in the coordinator. */
  private judge(s: number, rate: number): void {
    const live = this.outcomes.live;
    live.all.offered = this.slot.stats.all.offered;
    if (this.phases.phase !== 'done') {
      if (this.worker) this.worker.live(live, s, rate);
      else {
        live.seal();
        this.apply(this.rules.check(live, s, rate, this.stopRuleActive));
      }
    }
    live.reset();
  }

  /** The stop rule judges the planned stages only, until it fires. */
  get stopRuleActive(): boolean {
    return this.phases.phase === 'load' && this.stop === undefined;
  }

  /** Acts on what a settled second says (here, or from the coordinator of the workers). */
  apply(signal: SecondSignal, atMs = this.nowMs()): void {
    if (!signal) return;
    if (signal.kind === 'target-down') {
      if (this.abortReason !== undefined) return;
      this.targetDown = true;
      this.abort(signal.reason);
      return;
    }
    if (this.stop !== undefined || this.phases.phase !== 'load') return;
    const now = atMs;
    this.stop = { atS: Math.round(now) / 1000, rate: signal.rate, reason: signal.verdict.reason };
    this.log.info(
      `stop rule fired at ${signal.rate.toFixed(0)} TPS (${signal.s}s): ${signal.verdict.reason}`,
    );
    this.schedule.stopAt(now);
  }

  private runEnd(): RunEnd {
    const elapsedMs = this.nowMs();
    const window = {
      elapsedMs,
      arrivalsEndMs: this.sampler.arrivalsEndMs,
      plannedEndMs: this.plannedEndMs,
      recoveryStage: this.sink.recoveryStage,
      recoveryStartMs: this.recoveryStartMs,
    };
    const cpu = process.cpuUsage(this.cpu0);
    return {
      abortReason: this.abortReason,
      targetDown: this.targetDown,
      stop: this.stop,
      unfinished: this.table.size,
      stages: stageWindows(this.o, this.schedule, window),
      window,
      startedAt: this.wall0,
      http: { requests: this.outcomes.httpRequests, failed: this.outcomes.httpFailed },
      maxInFlight: this.o.maxInFlight,
      peakInFlight: this.peakInFlight,
      anomalies: this.roles.anomalies,
      lookups: this.outcomes.lookup?.counts ?? emptyLookupCounts(),
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssBytes: this.sampler.peakRssBytes,
    };
  }
}
