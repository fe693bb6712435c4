import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, hostname, platform, totalmem } from 'node:os';
import {
  type CorridorDefinition,
  ExitCode,
  MlperfError,
  type ProfileName,
  parseDuration,
  type RunStatus,
  type RunTarget,
  type RunTotals,
  ResultsWriter,
  resolveProfile,
  type StageWindow,
  type SuiteDefinition,
  stageName,
  type TestDefinition,
  type TimeseriesRecord,
  type TransferTemplate,
  timeStages,
  totalDurationMs,
  errorMessage,
} from '@mlperf/core';
import { EngineWorkers } from './engine/engine-workers.js';
import { k6Summary } from './engine/k6-summary.js';
import {
  type EngineCorridor,
  type EngineResult,
  LoadEngine,
  type LoadEngineOptions,
  type StopEvent,
} from './engine/load-engine.js';
import { parseThresholds, type ThresholdResult } from './engine/thresholds.js';
import { lookupSummary } from './engine/transfer-lookup.js';
import type { IdKind } from './fspiop/ids.js';
import { canonicalAmount } from './fspiop/messages.js';
import { type CallbackProbeResult, probeCallbacks } from './callback-probe.js';
import { HubAdmin } from './hub-admin.js';
import { checkTarget } from './target.js';

const ENGINE_VERSION = '0.1.0';

/** What the live view gets once per second. */
export interface LiveSecond {
  record: TimeseriesRecord;
  elapsedS: number;
  /** Planned length (Infinity for an open-ended stress test). */
  totalS: number;
  inFlight: number;
  totals: { offered: number; started: number; dropped: number; succeeded: number; failed: number };
}

export interface RunTestOptions {
  suite: SuiteDefinition;
  /** Test id in the suite. */
  test: string;
  /** Apply a profile (skip when the suite was already resolved). */
  profile?: ProfileName;
  /** ml-api-adapter URL (FSPIOP), and optionally the central-ledger admin URL. */
  target: {
    url: string;
    adminUrl?: string;
    kind?: RunTarget['kind'];
    hubProfile?: string;
    prometheusUrl?: string;
  };
  /** Base directory for results (`<out>/<test>-<timestamp>/`). */
  out: string;
  dirName?: string;
  /** Callback server bind address; `publicUrl` is what the hub is told (defaults to the bound address). */
  callback?: { host?: string; port?: number; publicUrl?: string };
  /** Register the DFSPs' transfer callback endpoints through the admin API (default: when adminUrl is set). */
  registerEndpoints?: boolean;
  /**
   * Before any load, prove with a probe transfer that the hub calls this process (the runner asks
   * for it against every real hub). `waitMs` bounds the wait for the hub's endpoint cache
   * (default 240 s); after it the run stops with exit 3. The probe is rejected by the payee, so
   * no position moves.
   */
  callbackProbe?: { waitMs?: number };
  /** Lines for the user about the run's preparation (the callback probe's waits). */
  onNote?: (line: string) => void;
  maxInFlight?: number;
  /**
   * Engine worker threads (default: half the cores, at least 1). More than one needs the DFSPs'
   * callback endpoints registered by the run (an admin URL, no public callback URL), as each payer
   * DFSP's callbacks go to the worker that starts its transfers; otherwise one. A fixed callback
   * port is the first worker's (it serves /metrics); the others listen on free ports.
   */
  engineWorkers?: number;
  /** Keep-alive sockets towards the hub (default 256). */
  maxSockets?: number;
  /** A transfer with no outcome this long after its expiration is a timeout (default 5000 ms). */
  timeoutGraceMs?: number;
  /**
   * A transfer with no callback at its timeout is looked up (GET /transfers/{id}) and waits this
   * long for the hub's answer before it is called a timeout (default 5000 ms; 0: no lookup).
   */
  lookupWaitMs?: number;
  /** End the run early when the target stops answering (default false: keep going, count errors). */
  abortOnTargetDown?: boolean;
  /** Bounded drain after an abort (ms, default 5000). */
  abortDrainMs?: number;
  signal?: AbortSignal;
  idKind?: IdKind;
  /** Derives every fulfilment (default: random per run). */
  secret?: string;
  onStart?: (info: { dir: string; callbackUrl: string; metricsUrl: string; totalS: number }) => void;
  onSecond?: (live: LiveSecond) => void;
  versions?: Record<string, string>;
  minFreeBytes?: number;
}

export interface RunTestResult {
  dir: string;
  status: Exclude<RunStatus, 'running'>;
  reason?: string;
  totals: RunTotals;
  /**
   * The test's own k6-style `thresholds`, evaluated as k6 does (whole run, warm-up included) and
   * marked in k6-summary.json: k6-compatible information, not the verdict. The verdict is the
   * criteria's, judged by `@mlperf/analysis` on the results directory (`analyzeRun(dir)`).
   */
  thresholds: ThresholdResult[];
  /**
   * 3 when the target died (with --abort-on-target-down), 1 when the run was interrupted (it did not
   * run its plan, so it cannot pass), else 0: the verdict is the analysis' (`analyzeRun(dir)`).
   */
  exitCode: ExitCode;
  stop?: StopEvent;
  stages: StageWindow[];
  summary: unknown;
  /** The engine's own cost over the run. */
  engine: EngineResult['engine'];
  durationS: number;
}

function pickTest(suite: SuiteDefinition, id: string): TestDefinition {
  const t = suite.tests.find((x) => x.id === id);
  if (!t) {
    throw new MlperfError('TEST_UNKNOWN', `test "${id}" is not in suite "${suite.name}"`, {
      hint: `use one of: ${suite.tests.map((x) => x.id).join(', ')}`,
    });
  }
  return t;
}

function resolveCorridors(
  suite: SuiteDefinition,
  test: TestDefinition,
  transfer: TransferTemplate,
): EngineCorridor[] {
  const defs: CorridorDefinition[] = test.corridors ?? suite.corridors;
  if (defs.length === 0) {
    throw new MlperfError('CORRIDORS_EMPTY', `test "${test.id}": no corridors`, {
      hint: 'define at least one corridor (payer, payee, weight)',
    });
  }
  const amount = canonicalAmount(transfer.amount);
  return defs.map((c, i) => {
    const payer = suite.dfsps.find((d) => d.id === c.payer);
    if (!payer || !suite.dfsps.some((d) => d.id === c.payee)) {
      throw new MlperfError(
        'CORRIDOR_UNKNOWN_DFSP',
        `corridors[${i}]: ${c.payer} -> ${c.payee} names a DFSP the suite does not define`,
        {
          hint: `DFSPs are: ${suite.dfsps.map((d) => d.id).join(', ')}`,
        },
      );
    }
    if (!(c.weight > 0)) {
      throw new MlperfError('CORRIDOR_WEIGHT', `corridors[${i}].weight: ${c.weight} must be > 0`, {
        hint: 'weights are shares, e.g. 0.4',
      });
    }
    return {
      ...c,
      name: c.name ?? `${c.payer}->${c.payee}`,
      amount,
      currency: transfer.currency ?? payer.currency,
    };
  });
}

/** Default in-flight cap: five seconds of the peak planned rate, within [1000, 20000]. */
function defaultMaxInFlight(test: TestDefinition, peakRate: number): number {
  return (
    test.maxInFlight ??
    Math.min(20_000, Math.max(1000, Math.ceil((Number.isFinite(peakRate) ? peakRate : 4000) * 5)))
  );
}

/** Engine workers for this run: as asked, else half the cores; one when callbacks cannot be split. */
function engineWorkerCount(options: RunTestOptions): number {
  const splittable =
    options.target.adminUrl !== undefined &&
    options.registerEndpoints !== false &&
    options.callback?.publicUrl === undefined;
  if (!splittable) {
    if ((options.engineWorkers ?? 1) > 1)
      throw new MlperfError(
        'ENGINE_WORKERS_CALLBACKS',
        `engine workers ${options.engineWorkers}: each payer DFSP's callbacks must reach its own worker, which needs the run to register the callback endpoints`,
        {
          hint: 'give the hub admin URL and no public callback URL, or run one engine worker',
          exitCode: ExitCode.badInput,
        },
      );
    return 1;
  }
  const asked = options.engineWorkers ?? Math.floor(availableParallelism() / 2);
  return Math.max(1, Math.floor(asked));
}

function openLog(path: string): { write: (line: string) => void; close: () => void } {
  const fd = openSync(path, 'a');
  return {
    write: (line) => {
      try {
        writeSync(fd, `${line}\n`);
      } catch {
        // A full disk must not stop the run; the timeseries keeps the evidence.
      }
    },
    close: () => closeSync(fd),
  };
}

/**
 * Runs one test of a suite against a hub (embedded or a real Mojaloop) and writes its results
 * directory: run.json, timeseries.ndjson (every second), k6-summary.json, logs/engine.log.
 * Bad input and an unreachable target fail before any load.
 */
export async function runTest(options: RunTestOptions): Promise<RunTestResult> {
  const suite =
    options.profile && !options.suite.profile
      ? resolveProfile(options.suite, { profile: options.profile })
      : options.suite;
  const test = pickTest(suite, options.test);
  const transfer: TransferTemplate = { ...suite.transfer, ...test.transfer };
  const corridors = resolveCorridors(suite, test, transfer);
  const stages = timeStages(test.stages, `tests.${test.id}.stages`);
  const expirationMs = parseDuration(transfer.expiration, 'transfer.expiration');
  const thresholds = parseThresholds(test.thresholds ?? {}, `tests.${test.id}.thresholds`);
  const plannedMs = totalDurationMs(stages);
  const peakRate = Math.max(...stages.map((s) => Math.max(s.fromRate, s.toRate)), test.recovery?.rate ?? 0);
  const maxInFlight = options.maxInFlight ?? defaultMaxInFlight(test, peakRate);
  const stopWindowMs = test.stopRule?.window
    ? parseDuration(test.stopRule.window, 'stopRule.window')
    : 10_000;
  const timeoutMs = expirationMs + (options.timeoutGraceMs ?? 5000);
  const recovery = test.recovery
    ? { rate: test.recovery.rate, durationMs: parseDuration(test.recovery.duration, 'recovery.duration') }
    : undefined;

  await checkTarget(options.target.url);
  const dfspIds = [...new Set(corridors.flatMap((c) => [c.payer, c.payee]))];
  const probe = await proveCallbacks(options, corridors, dfspIds);
  const secret = options.secret ?? randomBytes(32).toString('hex');
  let writer: ResultsWriter | undefined;
  let log: ReturnType<typeof openLog> | undefined;
  const workers = engineWorkerCount(options);
  const engineOptions: LoadEngineOptions = {
    hubUrl: options.target.url,
    corridors,
    stages,
    maxInFlight,
    expirationMs,
    timeoutMs,
    lookupWaitMs: options.lookupWaitMs ?? 5000,
    abortDrainMs: options.abortDrainMs ?? 5000,
    secret,
    idKind: options.idKind ?? 'uuid',
    payeeRejectRatio: transfer.payeeRejectRatio ?? 0,
    ...(test.stopRule ? { stopRule: test.stopRule, stopWindowMs } : {}),
    ...(recovery ? { recovery } : {}),
    abortOnTargetDown: options.abortOnTargetDown ?? false,
    callbackHost: options.callback?.host ?? '127.0.0.1',
    callbackPort: probe?.port ?? options.callback?.port ?? 0,
    maxSockets: options.maxSockets ?? 256,
    log: (line) => log?.write(line),
    onSecond: (record, e) => {
      // a timer tick of a starved engine can land after the run was finished: drop that second
      if (writer?.current.status !== 'running') return;
      writer.appendSecond(record);
      if (options.onSecond) {
        const t = liveTotals;
        t.offered += record.offered;
        t.started += record.started;
        t.dropped += record.dropped;
        t.succeeded += record.succeeded;
        for (const v of Object.values(record.failed)) t.failed += v;
        options.onSecond({
          record,
          elapsedS: e.elapsedS,
          totalS: plannedMs / 1000,
          inFlight: e.inFlight,
          totals: { ...t },
        });
      }
    },
  };
  const engine = workers > 1 ? new EngineWorkers(engineOptions, workers) : new LoadEngine(engineOptions);
  const liveTotals = { offered: 0, started: 0, dropped: 0, succeeded: 0, failed: 0 };
  try {
    const bound = await engine.listen();
    const callbackUrl = (options.callback?.publicUrl ?? bound).replace(/\/$/, '');
    const baseFor = (d: string) =>
      engine instanceof EngineWorkers ? engine.callbackBaseFor(d) : callbackUrl;
    // the probe registered this port already; workers each need their own DFSPs' endpoints
    const registered = probe !== undefined && !(engine instanceof EngineWorkers);
    if (!registered && options.target.adminUrl && options.registerEndpoints !== false) {
      await new HubAdmin(options.target.adminUrl).registerCallbacks(
        dfspIds,
        (d) => `${baseFor(d)}/${encodeURIComponent(d)}`,
      );
    }
    const dfsps = suite.dfsps.filter((d) => dfspIds.includes(d.id));
    const target: RunTarget = { kind: options.target.kind ?? 'url', url: options.target.url };
    if (options.target.adminUrl) target.adminUrl = options.target.adminUrl;
    if (options.target.hubProfile) target.hubProfile = options.target.hubProfile;
    if (options.target.prometheusUrl) target.prometheusUrl = options.target.prometheusUrl;
    writer = ResultsWriter.create(
      options.out,
      {
        runId: randomBytes(8).toString('hex'),
        testId: test.id,
        testName: test.name,
        suiteName: suite.name,
        ...(suite.profile ? { profile: suite.profile.name } : {}),
        definition: {
          test,
          dfsps,
          corridors: corridors.map(({ amount: _a, currency: _c, ...c }) => c),
          transfer,
          ...(suite.bands ? { bands: suite.bands } : {}),
        },
        target,
        attribution: 'intended-start',
        executor: {
          kind: 'local',
          version: ENGINE_VERSION,
          settings: {
            maxInFlight,
            idKind: options.idKind ?? 'uuid',
            timeoutMs,
            callbackUrl,
            metricsUrl: `${bound}/metrics`,
            engineWorkers: engine instanceof EngineWorkers ? engine.workers : 1,
          },
        },
        versions: { mlperf: ENGINE_VERSION, node: process.version, ...options.versions },
        host: { hostname: hostname(), platform: platform(), cpus: cpus().length, memoryBytes: totalmem() },
        stages: stages
          .filter((s) => Number.isFinite(s.startMs))
          .map((s) => ({
            index: s.index,
            name: stageName(s.stage, s.index),
            kind: s.stage.kind,
            startS: s.startMs / 1000,
            fromRate: s.fromRate,
            toRate: s.toRate,
          })),
      },
      {
        ...(options.dirName ? { dirName: options.dirName } : {}),
        ...(options.minFreeBytes !== undefined ? { minFreeBytes: options.minFreeBytes } : {}),
      },
    );
    log = openLog(writer.logPath('engine.log'));
    log.write(
      `${new Date().toISOString()} run ${test.id} against ${options.target.url}: callbacks at ${callbackUrl}, in-flight cap ${maxInFlight}`,
    );
    if (probe) {
      log.write(
        `callback probe: the hub called ${callbackUrl} after ${probe.waitedMs} ms (probe transfers ${probe.transferIds.join(', ')}, rejected by the payee: no position moved)`,
      );
    }
    options.onStart?.({
      dir: writer.dir,
      callbackUrl,
      metricsUrl: `${bound}/metrics`,
      totalS: plannedMs / 1000,
    });

    const r = await engine.run(options.signal);
    return finishRun(writer, r, corridors, thresholds, log);
  } catch (err) {
    if (writer && writer.current.status === 'running') {
      writer.finish('failed', { reason: errorMessage(err) });
    }
    throw err;
  } finally {
    log?.close();
    await engine.close();
  }
}

/**
 * Against a real hub: register the callback endpoints on the callback port and prove with a probe
 * transfer that the hub calls this process before any load. Returns the port to listen on.
 */
async function proveCallbacks(
  options: RunTestOptions,
  corridors: EngineCorridor[],
  dfspIds: string[],
): Promise<CallbackProbeResult | undefined> {
  if (!options.callbackProbe) return undefined;
  const host = options.callback?.host ?? '127.0.0.1';
  const first = corridors[0] as EngineCorridor;
  const { adminUrl } = options.target;
  return probeCallbacks({
    hubUrl: options.target.url,
    host,
    port: options.callback?.port ?? 0,
    register: async (port) => {
      const callbackUrl = (options.callback?.publicUrl ?? `http://${urlHost(host)}:${port}`).replace(
        /\/$/,
        '',
      );
      if (!adminUrl || options.registerEndpoints === false) return { callbackUrl, replaced: [] };
      const { replaced } = await new HubAdmin(adminUrl).registerCallbacks(
        dfspIds,
        (d) => `${callbackUrl}/${encodeURIComponent(d)}`,
      );
      return { callbackUrl, replaced };
    },
    payer: first.payer,
    payee: first.payee,
    amount: first.amount,
    currency: first.currency,
    ...(options.callbackProbe.waitMs !== undefined ? { waitMs: options.callbackProbe.waitMs } : {}),
    ...(options.onNote ? { note: options.onNote } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function finishRun(
  writer: ResultsWriter,
  r: EngineResult,
  corridors: EngineCorridor[],
  thresholds: ReturnType<typeof parseThresholds>,
  log: ReturnType<typeof openLog>,
): RunTestResult {
  const { summary, results } = k6Summary(
    r,
    corridors.map((c) => c.name),
    thresholds,
  );
  writer.writeK6Summary(summary);
  const reason =
    r.reason ??
    (r.stop
      ? `stop rule fired at ${r.stop.rate.toFixed(0)} TPS after ${r.stop.atS.toFixed(1)} s: ${r.stop.reason}`
      : undefined);
  writer.updateManifest({ stages: r.stages, ...(r.stop ? { stopped: r.stop } : {}) });
  const totals: RunTotals = { ...r.totals, lookups: { ...r.lookups } };
  writer.finish(r.status, { ...(reason ? { reason } : {}), totals });
  for (const t of results)
    log.write(
      `k6 threshold (whole run, information) ${t.metric} ${t.expression}: ${t.ok ? 'ok' : 'crossed'} (${t.actual ?? 'no data'})`,
    );
  const a = r.anomalies;
  log.write(
    `callbacks: ${a.badJson} bad JSON, ${a.unknownTransfer} unknown transfer, ${a.late} late, ${a.badFulfilment} bad fulfilment, ${a.unexpected} unexpected`,
  );
  log.write(`lookups: ${lookupSummary(r.lookups)}`);
  const exitCode = r.targetDown
    ? ExitCode.unavailable
    : r.status === 'aborted'
      ? ExitCode.criteriaFailed
      : ExitCode.ok;
  const out: RunTestResult = {
    dir: writer.dir,
    status: r.status,
    totals,
    thresholds: results,
    exitCode,
    stages: r.stages,
    summary,
    engine: r.engine,
    durationS: r.durationS,
  };
  if (reason) out.reason = reason;
  if (r.stop) out.stop = r.stop;
  return out;
}
