import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RateLimitedLog } from './clock.js';
import type { CallbackAnomalies } from './dfsp-roles.js';
import { PhaseMachine, type RunPhase } from './phase.js';
import { EngineMetrics } from './prom.js';
import { engineResult, type RunEnd } from './result.js';
import { RunRules, type SecondSignal } from './rules.js';
import { LiveMerger, SecondMerger } from './second-merger.js';
import { SettledSeconds } from './settled-seconds.js';
import type { EngineResult, LoadEngineOptions, StopEvent } from './types.js';
import { addLookupCounts, emptyLookupCounts } from './transfer-lookup.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-messages.js';
import { planShares, type WorkerShare, workerForDfsp } from './worker-plan.js';

/**
 * The worker entry beside this module: the bundle when built; when running from the TypeScript
 * sources (tests, benchmarks), a small loader that registers tsx in the thread first.
 */
function workerEntry(): { url: URL; execArgv: string[] } {
  if (!import.meta.url.endsWith('.ts'))
    return { url: new URL('./engine-worker.js', import.meta.url), execArgv: [] };
  const tsx = createRequire(import.meta.url)
    .resolve('tsx/esm/api')
    .replace(/\.cjs$/, '.mjs');
  const entry = new URL('./engine-worker.ts', import.meta.url).href;
  const code = `const { register } = await import(${JSON.stringify(pathToFileURL(tsx).href)});
register();
await import(${JSON.stringify(entry)});`;
  return {
    url: new URL(`data:text/javascript,${encodeURIComponent(code)}`),
    execArgv: ['--conditions=source'],
  };
}

interface Slot {
  worker: Worker;
  share: WorkerShare;
  url: string;
  end: RunEnd | undefined;
}

/**
 * The engine as N worker threads, each a LoadEngine over its share of the corridors (by payer
 * DFSP: see planShares), all on one arrival schedule from one common start. This coordinator owns
 * what there is one of: the merged seconds (timeseries, /metrics, totals, stop rule, dead target),
 * the log, the live line and the result. Same surface as LoadEngine.
 */
export class EngineWorkers {
  readonly metrics: EngineMetrics;
  private readonly o: LoadEngineOptions;
  private readonly slots: Slot[];
  private readonly settled: SettledSeconds;
  private readonly merger: SecondMerger;
  private readonly liveMerger: LiveMerger;
  private readonly rules: RunRules;
  private readonly phases = new PhaseMachine();
  private readonly log: RateLimitedLog;
  private inFlightNow = 0;
  private t0Abs = 0;
  private abortReason: string | undefined;
  private targetDown = false;
  private stop: StopEvent | undefined;
  private ended: (() => void) | undefined;
  private failure: Error | undefined;

  constructor(options: LoadEngineOptions, workers: number) {
    this.o = options;
    this.log = new RateLimitedLog(options.log);
    const names = options.corridors.map((c) => c.name);
    this.metrics = new EngineMetrics(names, () => this.inFlightNow);
    this.settled = new SettledSeconds(names.length, options, names, this.metrics, this);
    const shares = planShares(options.corridors, workers);
    this.merger = new SecondMerger(shares.length, names.length, (slot, sample) => {
      this.inFlightNow = sample.inFlight;
      this.settled.take(slot, sample);
    });
    this.rules = new RunRules(options);
    this.liveMerger = new LiveMerger(shares.length, names.length, (live, s, rate, active) =>
      this.react(this.rules.check(live, s, rate, active && this.stop === undefined)),
    );
    const entry = workerEntry();
    this.slots = shares.map((share, index) => {
      const { log: _l, onSecond: _s, ...rest } = options;
      const init: WorkerInit = {
        index,
        options: {
          ...rest,
          share: share.corridors,
          // a fixed port is the first worker's (it serves /metrics); the others take free ones
          callbackPort: index === 0 ? options.callbackPort : 0,
          maxInFlight: Math.max(1, Math.ceil(options.maxInFlight * share.weight)),
          maxSockets: Math.max(1, Math.ceil(options.maxSockets * share.weight)),
        },
      };
      const worker = new Worker(entry.url, { workerData: init, execArgv: entry.execArgv });
      const slot: Slot = { worker, share, url: '', end: undefined };
      worker.on('message', (m: FromWorker) => this.onMessage(index, slot, m));
      worker.on('error', (err) => this.fail(err));
      return slot;
    });
  }

  get workers(): number {
    return this.slots.length;
  }

  /** Waits for every worker's callback server; returns the first one's base URL. */
  async listen(): Promise<string> {
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve, reject) => {
            const check = () =>
              s.url ? resolve() : this.failure ? reject(this.failure) : setTimeout(check, 5);
            check();
          }),
      ),
    );
    return (this.slots[0] as Slot).url;
  }

  /** The callback base URL the hub must use for `dfsp` (its payer completions reach the worker holding them). */
  callbackBaseFor(dfsp: string): string {
    return (
      this.slots[
        workerForDfsp(
          this.slots.map((s) => s.share),
          dfsp,
        )
      ] as Slot
    ).url;
  }

  get inFlight(): number {
    return this.inFlightNow;
  }

  get elapsedS(): number {
    return this.t0Abs === 0 ? 0 : (performance.timeOrigin + performance.now() - this.t0Abs) / 1000;
  }

  get phase(): RunPhase {
    return this.phases.phase;
  }

  async run(signal?: AbortSignal): Promise<EngineResult> {
    const cpu0 = process.cpuUsage();
    const done = new Promise<void>((resolve) => {
      this.ended = resolve;
    });
    // a common start a little ahead, so every worker places its first arrival on the same clock
    this.t0Abs = performance.timeOrigin + performance.now() + 50;
    const wallMs = Date.now() + 50;
    this.phases.on({ kind: 'start' }, 0);
    this.broadcast({ type: 'start', atMs: this.t0Abs, wallMs });
    const onAbort = () => this.abort(signal?.reason instanceof Error ? signal.reason.message : 'interrupted');
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    await done;
    signal?.removeEventListener('abort', onAbort);
    if (this.failure) throw this.failure;
    this.merger.flush(true);
    this.phases.on({ kind: 'arrivals-ended', recovery: false, drainMs: 0 }, 0);
    this.phases.on({ kind: 'settled' }, 0);
    const cpu = process.cpuUsage(cpu0);
    return engineResult(this.settled, this.mergedEnd((cpu.user + cpu.system) / 1e6));
  }

  abort(reason: string): void {
    if (this.abortReason !== undefined || this.phases.phase === 'done') return;
    this.abortReason = reason;
    this.phases.on({ kind: 'abort', drainMs: this.o.abortDrainMs }, this.elapsedS * 1000);
    this.broadcast({ type: 'abort', reason });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.slots.map(async (s) => {
        const exited = new Promise<void>((resolve) => s.worker.once('exit', () => resolve()));
        s.worker.postMessage({ type: 'close' } satisfies ToWorker);
        const timer = setTimeout(() => void s.worker.terminate(), 5000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private broadcast(m: ToWorker): void {
    for (const s of this.slots) s.worker.postMessage(m);
  }

  private onMessage(index: number, slot: Slot, m: FromWorker): void {
    if (m.type === 'second') {
      this.merger.add(index, m.period, m.sample);
    } else if (m.type === 'live') {
      this.liveMerger.add(index, m.s, m.rate, m.period, m.stopRuleActive);
    } else if (m.type === 'log') this.o.log(m.line);
    else if (m.type === 'listening') slot.url = m.url;
    else if (m.type === 'recovery') this.settled.recoveryStage = m.stage;
    else if (m.type === 'metrics?') {
      void this.metrics.text().then((text) =>
        slot.worker.postMessage({
          type: 'metrics',
          id: m.id,
          contentType: this.metrics.contentType,
          text,
        } satisfies ToWorker),
      );
    } else if (m.type === 'end') {
      slot.end = m.end;
      this.merger.end(index);
      this.liveMerger.end(index);
      if (this.slots.every((s) => s.end)) this.ended?.();
    } else if (m.type === 'failed') this.fail(new Error(`engine worker ${index}: ${m.message}`));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.ended?.();
  }

  /** The coordinator's reading of a merged second: the dead target aborts all, the stop rule stops all. */
  private react(signal: SecondSignal): void {
    if (!signal) return;
    const atMs = this.elapsedS * 1000;
    if (signal.kind === 'target-down') {
      if (this.abortReason !== undefined) return;
      this.targetDown = true;
      this.abort(signal.reason);
      return;
    }
    if (this.stop !== undefined || this.settled.recoveryStage !== undefined) return;
    this.stop = { atS: Math.round(atMs) / 1000, rate: signal.rate, reason: signal.verdict.reason };
    this.log.info(
      `stop rule fired at ${signal.rate.toFixed(0)} TPS (${signal.s}s): ${signal.verdict.reason}`,
    );
    this.broadcast({ type: 'signal', signal, atMs });
  }

  private mergedEnd(cpuSeconds: number): RunEnd {
    const ends = this.slots.map((s) => s.end as RunEnd);
    const first = ends[0] as RunEnd;
    const anomalies: CallbackAnomalies = {
      badJson: 0,
      unknownTransfer: 0,
      late: 0,
      badFulfilment: 0,
      unexpected: 0,
    };
    for (const e of ends)
      for (const k of Object.keys(anomalies) as (keyof CallbackAnomalies)[]) anomalies[k] += e.anomalies[k];
    const lookups = emptyLookupCounts();
    for (const e of ends) addLookupCounts(lookups, e.lookups);
    const latest = ends.reduce((a, b) => (b.window.elapsedMs > a.window.elapsedMs ? b : a));
    return {
      abortReason: this.abortReason ?? ends.find((e) => e.abortReason !== undefined)?.abortReason,
      targetDown: this.targetDown,
      stop: this.stop,
      unfinished: ends.reduce((a, e) => a + e.unfinished, 0),
      stages: first.stages,
      window: latest.window,
      startedAt: first.startedAt,
      http: {
        requests: ends.reduce((a, e) => a + e.http.requests, 0),
        failed: ends.reduce((a, e) => a + e.http.failed, 0),
      },
      maxInFlight: this.o.maxInFlight,
      peakInFlight: ends.reduce((a, e) => a + e.peakInFlight, 0),
      anomalies,
      lookups,
      cpuSeconds,
      peakRssBytes: Math.max(...ends.map((e) => e.peakRssBytes)),
    };
  }
}
