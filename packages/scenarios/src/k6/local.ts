import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunTotals, SuiteDefinition } from '@mlperf/core';
import { ExitCode, MlperfError, ResultsWriter, isMlperfError, runDirName } from '@mlperf/core';
import { startDfspSim } from '../dfsp-sim/server.js';
import { HubAdmin } from '../hub-admin.js';
import { requireK6, k6Version } from './binary.js';
import { testContext } from './context.js';
import { type K6RunReporting, prometheusExporter } from './prometheus.js';
import { K6HostWatch } from './host-seconds.js';
import { k6Seconds } from './run-seconds.js';
import { simResolved } from './sim-client.js';
import { totalsOf } from './timeline.js';
import { baseManifest, hubTarget, plannedStageWindows, thresholdsPassed } from './run-manifest.js';
import { renderK6Script } from './script.js';
import { type K6HandleSummary, toSummaryExport } from './summary.js';

/** A DFSP simulator the local k6 run can use: its URL for k6 and how to stop it. */
export interface DfspSimHandle {
  url: string;
  close(): Promise<void>;
}

export interface K6LocalRunOptions extends K6RunReporting {
  suite: SuiteDefinition;
  testId: string;
  outDir: string;
  /** ml-api-adapter (FSPIOP) base URL. */
  hubUrl: string;
  /** central-ledger admin URL: the in-process simulator registers the DFSPs' callbacks there. */
  adminUrl?: string;
  /** The DFSP simulator, started for the run and closed after it; default one in this process. */
  startDfspSim?: () => Promise<DfspSimHandle>;
  /** Port of the in-process simulator (a real hub: the stable callback port its endpoint cache knows). */
  dfspSimPort?: number;
  /** k6 binary; default $MLPERF_K6 or `k6` on PATH. */
  k6Path?: string;
  /** Extra environment for k6 (e.g. K6_PROMETHEUS_RW_SERVER_URL); never written to results. */
  env?: Record<string, string>;
  /** Extra `k6 run` arguments (e.g. `-o experimental-prometheus-rw`). */
  k6Args?: string[];
  expectedLatencyMs?: number;
  signal?: AbortSignal;
  handleSignals?: boolean;
}

export interface K6LocalRunResult {
  dir: string;
  status: 'completed' | 'aborted';
  thresholdsPassed: boolean;
  k6ExitCode: number;
}

/** A DFSP simulator in this process, with every DFSP's callbacks registered at `adminUrl` when given. */
export async function inProcessDfspSim(o: {
  hubUrl: string;
  adminUrl?: string;
  suite: SuiteDefinition;
  env?: Record<string, string>;
  dfspSimPort?: number;
}): Promise<DfspSimHandle> {
  const secret = o.env?.MLPERF_FULFILMENT_SECRET;
  const sim = await startDfspSim({
    hubUrl: o.hubUrl,
    ...(secret ? { secret } : {}),
    ...(o.dfspSimPort !== undefined ? { port: o.dfspSimPort } : {}),
  });
  try {
    if (o.adminUrl) {
      const dfsps = o.suite.dfsps.map((d) => d.id);
      await new HubAdmin(o.adminUrl).registerCallbacks(dfsps, (d) => `${sim.url}/${encodeURIComponent(d)}`);
    }
  } catch (err) {
    await sim.close();
    throw err;
  }
  return sim;
}

/** k6 exit codes that still mean a finished test: 0, and 99 (thresholds crossed). */
const FINISHED = new Set([0, 99]);

/**
 * Runs a test with a local k6 binary beside a DFSP simulator and imports what k6 wrote into the
 * results directory: its log, the handleSummary (k6-summary.json, --summary-export format), and
 * its `--out json` points turned into per-second timeseries.ndjson.
 */
export async function runTestWithK6(options: K6LocalRunOptions): Promise<K6LocalRunResult> {
  const k6 = requireK6(options.k6Path);
  const version = await k6Version(k6);
  const ctx = testContext(options.suite, options.testId);
  const runId = runDirName(options.testId);
  const note = (m: string) => options.onEvent?.(m);
  const sim = await (options.startDfspSim ?? (() => inProcessDfspSim(options)))();
  const work = mkdtempSync(join(tmpdir(), 'mlperf-k6-'));
  let writer: ResultsWriter | undefined;
  try {
    writer = ResultsWriter.create(
      options.outDir,
      baseManifest(ctx, {
        runId,
        suite: options.suite,
        target: hubTarget(options.hubUrl, options.prometheus),
        executor: { kind: 'k6', version, settings: { binary: k6, dfspSim: sim.url } },
        ...(options.suiteRunId ? { suiteRunId: options.suiteRunId } : {}),
        versions: { k6: version, ...options.versions },
      }),
      { dirName: runId },
    );
    options.onStart?.(writer.dir);
    const script = renderK6Script(ctx, {
      hubUrl: options.hubUrl,
      dfspSimUrl: sim.url,
      generator: 'mlperf (local k6)',
      ...(options.expectedLatencyMs === undefined ? {} : { expectedLatencyMs: options.expectedLatencyMs }),
    });
    const scriptPath = writer.logPath('k6-script.js');
    writeFileSync(scriptPath, script);
    const summaryPath = join(work, 'summary.json');
    const pointsPath = join(work, 'points.ndjson');
    const args = [
      'run',
      '--no-color',
      '--tag',
      `testid=${runId}`,
      // Fewer system tags: less for k6 to write per point (the importer reads status and corridor).
      '--system-tags',
      'status,name,scenario,expected_response,error_code',
      '--out',
      `json=${pointsPath}`,
      ...(options.k6Args ?? []),
      scriptPath,
    ];
    note(`k6 ${args.join(' ')}`);
    const resolvedBefore = await simResolved(sim.url);
    let totals: RunTotals | undefined;
    const startedAt = new Date();
    writer.updateManifest({ startedAt: startedAt.toISOString(), stages: plannedStageWindows(ctx.test) });
    let k6Pid: number | undefined;
    const watch = new K6HostWatch(() => k6Pid);
    watch.start();
    const code = await runK6(k6, args, {
      env: { ...process.env, ...options.env, MLPERF_SUMMARY_FILE: summaryPath },
      logPath: writer.logPath('k6.log'),
      ...(options.signal ? { signal: options.signal } : {}),
      handleSignals: options.handleSignals === true,
      onSpawn: (pid) => {
        k6Pid = pid;
      },
    }).finally(() => watch.stop());
    const endedAt = new Date();
    const aborted = options.signal?.aborted === true || code.signalled;
    if (existsSync(pointsPath)) {
      const seconds = await k6Seconds(pointsPath, ctx, sim.url, resolvedBefore, options.signal);
      const records = watch.attach(seconds.records);
      for (const r of records) writer.appendSecond(r);
      totals = totalsOf(records);
      if (seconds.startMs) writer.updateManifest({ startedAt: new Date(seconds.startMs).toISOString() });
      for (const d of seconds.notes) note(d);
    }
    let summary: K6HandleSummary | undefined;
    if (existsSync(summaryPath)) {
      summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as K6HandleSummary;
      writer.writeK6Summary(toSummaryExport(summary));
    }
    if (!aborted && !FINISHED.has(code.exitCode)) {
      const tail = readFileSync(writer.logPath('k6.log'), 'utf8').trim().split('\n').slice(-5).join(' | ');
      throw new MlperfError('K6_FAILED', `k6 exited with code ${code.exitCode}: ${tail}`, {
        hint: 'see logs/k6.log in the results directory (k6 exit codes: 104 invalid config, 107 script error, 108 aborted)',
        exitCode: ExitCode.unavailable,
      });
    }
    if (!summary && !aborted) {
      throw new MlperfError('K6_NO_SUMMARY', 'k6 finished without writing its summary', {
        hint: 'see logs/k6.log; the script must keep its handleSummary()',
        exitCode: ExitCode.unavailable,
      });
    }
    const exportMetrics =
      options.exportMetrics ?? (options.prometheus && prometheusExporter(options.prometheus));
    if (exportMetrics) {
      const metrics = await exportMetrics({ start: startedAt, end: endedAt, dir: writer.dir, runId });
      if (metrics) writer.updateManifest({ metrics });
    }
    const finish = totals ? { totals } : {};
    if (aborted) {
      writer.finish('aborted', { ...finish, reason: 'aborted by the user (Ctrl-C)' });
      return { dir: writer.dir, status: 'aborted', thresholdsPassed: false, k6ExitCode: code.exitCode };
    }
    writer.finish('completed', finish);
    const passed = summary ? thresholdsPassed(summary) : false;
    return { dir: writer.dir, status: 'completed', thresholdsPassed: passed, k6ExitCode: code.exitCode };
  } catch (err) {
    if (writer && writer.current.status === 'running') {
      const e = isMlperfError(err) ? `${err.code}: ${err.message}` : String(err);
      writer.finish('failed', { reason: e });
    }
    throw err;
  } finally {
    await sim.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Spawns k6 with its output into `logPath`; Ctrl-C asks k6 to stop (SIGINT), which still writes its summary. */
function runK6(
  binary: string,
  args: string[],
  o: {
    env: NodeJS.ProcessEnv;
    logPath: string;
    signal?: AbortSignal;
    handleSignals: boolean;
    onSpawn?: (pid: number) => void;
  },
): Promise<{ exitCode: number; signalled: boolean }> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(o.logPath);
    const child = spawn(binary, args, { env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) o.onSpawn?.(child.pid);
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    let signalled = false;
    let kill: NodeJS.Timeout | undefined;
    const stop = () => {
      signalled = true;
      child.kill('SIGINT');
      kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
    };
    o.signal?.addEventListener('abort', stop, { once: true });
    if (o.handleSignals) process.once('SIGINT', stop);
    child.on('error', (err) => {
      log.end();
      reject(
        new MlperfError('K6_NOT_STARTED', `cannot start ${binary}: ${err.message}`, {
          hint: 'check that the k6 binary runs on this machine (`k6 version`)',
          exitCode: ExitCode.unavailable,
          cause: err,
        }),
      );
    });
    child.on('close', (code, sig) => {
      if (kill) clearTimeout(kill);
      o.signal?.removeEventListener('abort', stop);
      if (o.handleSignals) process.off('SIGINT', stop);
      log.end(() => resolve({ exitCode: code ?? (sig ? 128 : 1), signalled }));
    });
  });
}
