import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import type { SuiteDefinition, TestDefinition, TimeseriesRecord } from '@mlperf/core';
import { safeUrl } from '@mlperf/core/promql';
import { ExitCode, MlperfError, ResultsWriter, isMlperfError, runDirName } from '@mlperf/core';
import { testContext } from '../k6/context.js';
import { type K6RunReporting, prometheusExporter } from '../k6/prometheus.js';
import { extractSummaries, toSummaryExport, type K6HandleSummary } from '../k6/summary.js';
import { mergeSummaries } from '../k6/summary-merge.js';
import { k8sTotals } from '../k6/totals.js';
import { Cluster, type ClusterOptions } from './cluster.js';
import type { SimSecond } from '../dfsp-sim/seconds.js';
import { DFSP_SIM_DEFAULTS, renderDfspSimManifests } from './dfsp-sim-manifests.js';
import { simSecondsToTimeseries } from './timeseries.js';
import { type K8sManifestOptions, k8sName, renderTestRun } from './manifests.js';
import { hasEnded, hasLog, mainContainer, pendingReason, podName, podProblem, podRole } from './pods.js';
import { baseManifest, plannedStageWindows, thresholdsPassed } from '../k6/run-manifest.js';

export interface K8sRunOptions extends ClusterOptions, K6RunReporting {
  /** The suite as it runs (profile applied). */
  suite: SuiteDefinition;
  testId: string;
  /** Results base directory; the run writes `<outDir>/<test>-<timestamp>/`. */
  outDir: string;
  manifests: Omit<K8sManifestOptions, 'namespace' | 'runId' | 'name'>;
  /** Create the DFSP simulator Deployment/Service when absent (default true); removed afterwards if created. */
  deployDfspSim?: boolean;
  /** Leave the TestRun, ConfigMap (and simulator) in the cluster afterwards. */
  keepResources?: boolean;
  /** Abort the run (Ctrl-C): resources are deleted, the results directory ends `aborted`. */
  signal?: AbortSignal;
  /** Also abort on SIGINT/SIGTERM of this process. */
  handleSignals?: boolean;
  pollIntervalMs?: number;
  /** How long pods may stay pending before the run fails (default 10 min). */
  startTimeoutMs?: number;
}

export interface K8sRunResult {
  dir: string;
  status: 'completed' | 'aborted';
  /** Whether every k6 threshold held on every runner. */
  thresholdsPassed: boolean;
  runners: number;
  testRunName: string;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

const DELETE_ORDER = ['TestRun', 'ConfigMap', 'Service', 'Deployment'] as const;

/**
 * Runs one test with k6-operator: applies the DFSP simulator, the script ConfigMap and a TestRun,
 * follows `status.stage` to finished or error, streams every runner's log into logs/, merges the
 * runners' summaries into k6-summary.json, exports metrics, and deletes what it created (also when
 * aborted). Infrastructure failures end the results directory `failed` and throw (exit 3).
 */
export async function runTestOnKubernetes(options: K8sRunOptions): Promise<K8sRunResult> {
  const cluster = await Cluster.connect(options);
  await cluster.preflight();
  const ctx = testContext(options.suite, options.testId);
  const runId = runDirName(options.testId);
  const name = k8sName(`k6-${options.testId}`.slice(0, 56) + `-${randomBytes(3).toString('hex')}`);
  const mOptions: K8sManifestOptions = { ...options.manifests, namespace: cluster.namespace, runId, name };
  const rendered = renderTestRun(ctx, mOptions);
  const log = (m: string) => options.onEvent?.(m);

  const writer = ResultsWriter.create(
    options.outDir,
    baseManifest(ctx, {
      runId,
      suite: options.suite,
      target: {
        kind: 'url',
        url: options.manifests.hubUrl,
        ...(options.prometheus ? { prometheusUrl: safeUrl(options.prometheus.url) } : {}),
      },
      executor: {
        kind: 'k8s',
        version: rendered.testRun.spec.runner.image,
        settings: {
          namespace: cluster.namespace,
          testRun: name,
          parallelism: rendered.testRun.spec.parallelism,
          runnerImage: rendered.testRun.spec.runner.image,
          resources: rendered.advice.resources,
        },
      },
      ...(options.suiteRunId ? { suiteRunId: options.suiteRunId } : {}),
      ...(options.versions ? { versions: options.versions } : {}),
    }),
    { dirName: runId },
  );
  options.onStart?.(writer.dir);
  writeFileSync(
    writer.logPath('testrun.yaml.json'),
    JSON.stringify([rendered.configMap, rendered.testRun], null, 2),
  );
  const events = createWriteStream(writer.logPath('k8s-events.log'), { flags: 'a' });
  const note = (m: string) => {
    events.write(`${new Date().toISOString()} ${m}\n`);
    log(m);
  };

  const abort = new AbortController();
  const onSignal = () => abort.abort();
  options.signal?.addEventListener('abort', onSignal, { once: true });
  if (options.signal?.aborted) abort.abort();
  if (options.handleSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const created: { kind: 'TestRun' | 'ConfigMap' | 'Deployment' | 'Service'; name: string }[] = [];
  const streams = new Map<string, { done: Promise<void>; controller?: AbortController; path: string }>();
  let startedAtMs: number | undefined;

  try {
    if (options.deployDfspSim !== false) {
      const [dep, svc] = renderDfspSimManifests(options.suite.dfsps, mOptions);
      if (await cluster.ensureDfspSim(dep, svc)) {
        created.push(
          { kind: 'Service', name: svc.metadata?.name ?? '' },
          { kind: 'Deployment', name: dep.metadata?.name ?? '' },
        );
        note(`created DFSP simulator ${dep.metadata?.name}`);
      } else note(`DFSP simulator ${dep.metadata?.name} already deployed: using it`);
    }
    await cluster.applyConfigMap(rendered.configMap);
    created.push({ kind: 'ConfigMap', name: rendered.configMap.metadata?.name ?? '' });
    await cluster.createTestRun(rendered.testRun);
    created.push({ kind: 'TestRun', name });
    note(
      `created TestRun ${name} (parallelism ${rendered.testRun.spec.parallelism}) in namespace ${cluster.namespace}`,
    );

    let stage = '';
    const seenRunners = new Set<string>();
    const since = Date.now();
    const poll = options.pollIntervalMs ?? 2000;
    for (;;) {
      if (abort.signal.aborted) break;
      const tr = await cluster.getTestRun(name);
      if (!tr)
        throw new MlperfError('K6_TESTRUN_GONE', `TestRun ${name} was deleted while running`, {
          hint: 'someone or something deleted it; run the test again',
          exitCode: ExitCode.unavailable,
        });
      const now = tr.status?.stage ?? '';
      if (now !== stage) {
        note(`TestRun ${name}: stage ${now || '(none yet)'}`);
        stage = now;
        if (stage === 'started' && startedAtMs === undefined) {
          startedAtMs = Date.now();
          writer.updateManifest({
            startedAt: new Date(startedAtMs).toISOString(),
            stages: plannedStageWindows(ctx.test),
          });
        }
      }
      const pods = await cluster.listTestRunPods(name);
      checkPods(pods, stage, seenRunners);
      // The simulator's pods too: k6 would only see it never become ready.
      if (options.deployDfspSim !== false) {
        const simName = mOptions.dfspSim?.name ?? DFSP_SIM_DEFAULTS.name;
        for (const pod of await cluster.listPods(`app.kubernetes.io/name=${simName}`)) {
          const problem = podProblem(pod);
          if (problem) throw problem;
        }
      }
      for (const pod of pods) {
        const pn = podName(pod);
        if (podRole(pod) !== 'starter' && hasLog(pod) && !streams.has(pn)) {
          streams.set(pn, startStream(cluster, pod, writer.logPath(`${pn}.log`), note));
        }
      }
      if (stage === 'finished') break;
      if (stage === 'error') throw await stageError(cluster, pods, name, streams);
      if (startedAtMs === undefined && Date.now() - since > (options.startTimeoutMs ?? 600_000)) {
        const why = pods.map(pendingReason).find((r) => r !== undefined);
        throw new MlperfError(
          'K6_START_TIMEOUT',
          `TestRun ${name} did not start within ${Math.round((Date.now() - since) / 1000)}s${why ? `: ${why}` : ''}`,
          {
            hint: 'the runner pods could not be scheduled or started: check node capacity (`kubectl describe pod`) or lower --parallelism',
            exitCode: ExitCode.unavailable,
          },
        );
      }
      await sleep(poll, abort.signal);
    }

    if (abort.signal.aborted) {
      note('aborted: deleting the TestRun');
      writer.finish('aborted', { reason: 'aborted by the user (Ctrl-C)' });
      return {
        dir: writer.dir,
        status: 'aborted',
        thresholdsPassed: false,
        runners: seenRunners.size,
        testRunName: name,
      };
    }
    const endMs = Date.now();
    const t0 = Date.now();
    await Promise.race([Promise.all([...streams.values()].map((s) => s.done)), sleep(30_000)]);
    note(`log streams closed after ${Date.now() - t0} ms`);
    const summaries = await collectSummaries(cluster, seenRunners, streams, writer, note);
    const merged = mergeSummaries(summaries);
    writer.writeK6Summary(toSummaryExport(merged));
    const exportMetrics =
      options.exportMetrics ?? (options.prometheus && prometheusExporter(options.prometheus));
    if (exportMetrics) {
      const metrics = await exportMetrics({
        start: new Date(startedAtMs ?? since),
        end: new Date(endMs),
        dir: writer.dir,
        runId,
      });
      if (metrics) writer.updateManifest({ metrics });
    }
    const records = await importSimSeconds(
      cluster,
      writer,
      mOptions,
      ctx.test,
      startedAtMs ?? since,
      endMs,
      note,
    );
    const passed = thresholdsPassed(merged);
    writer.finish('completed', {
      totals: k8sTotals(records, merged),
      ...(summaries.length < seenRunners.size
        ? { reason: `${seenRunners.size - summaries.length} runner(s) printed no summary` }
        : {}),
    });
    note(
      `finished: ${summaries.length} runner summaries merged; thresholds ${passed ? 'passed' : 'crossed'}`,
    );
    return {
      dir: writer.dir,
      status: 'completed',
      thresholdsPassed: passed,
      runners: seenRunners.size,
      testRunName: name,
    };
  } catch (err) {
    const e = isMlperfError(err)
      ? err
      : new MlperfError('K8S_RUN_FAILED', (err as Error).message, {
          exitCode: ExitCode.unavailable,
          cause: err,
        });
    note(`failed: ${e.code}: ${e.message}`);
    if (writer.current.status === 'running') writer.finish('failed', { reason: `${e.code}: ${e.message}` });
    throw e;
  } finally {
    options.signal?.removeEventListener('abort', onSignal);
    if (options.handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    for (const s of streams.values()) s.controller?.abort();
    if (!options.keepResources) {
      created.sort((a, b) => DELETE_ORDER.indexOf(a.kind) - DELETE_ORDER.indexOf(b.kind));
      const failures = await cluster.deleteAll(created);
      for (const f of failures) note(`cleanup failed: ${f}`);
      if (created.length) note(`deleted ${created.map((c) => `${c.kind} ${c.name}`).join(', ')}`);
    }
    await new Promise<void>((r) => events.end(r));
  }
}

/**
 * Per-second outcomes and latency from the DFSP simulator (through the API server's service
 * proxy) into timeseries.ndjson: k6's own points stay in the runner pods. Never fatal.
 */
async function importSimSeconds(
  cluster: Cluster,
  writer: ResultsWriter,
  o: K8sManifestOptions,
  test: TestDefinition,
  startMs: number,
  endMs: number,
  note: (m: string) => void,
): Promise<TimeseriesRecord[]> {
  const name = o.dfspSim?.name ?? DFSP_SIM_DEFAULTS.name;
  let records: TimeseriesRecord[] = [];
  const port = o.dfspSim?.port ?? DFSP_SIM_DEFAULTS.port;
  let source: string;
  try {
    const seconds = await cluster.proxyGetJson(
      name,
      port,
      `seconds-${Math.floor(startMs / 1000) * 1000}-${Math.ceil(endMs) + 1000}`,
    );
    records = simSecondsToTimeseries(seconds as SimSecond[], startMs, endMs, test);
    for (const r of records) writer.appendSecond(r);
    source = `dfsp-sim (${records.length} s)`;
  } catch (err) {
    source = `unavailable: ${(err as Error).message}`;
  }
  note(`timeseries: ${source}`);
  const executor = writer.current.executor;
  writer.updateManifest({
    executor: { ...executor, settings: { ...executor.settings, timeseries: source } },
  });
  return records;
}

/** Fails on the first pod problem; a runner that vanished mid-test is one too. */
function checkPods(pods: V1Pod[], stage: string, seenRunners: Set<string>): void {
  for (const pod of pods) {
    const problem = podProblem(pod);
    if (problem) throw problem;
  }
  const runners = pods.filter((p) => podRole(p) === 'runner').map(podName);
  if (stage === 'started') {
    for (const r of seenRunners) {
      if (!runners.includes(r)) {
        throw new MlperfError('K6_RUNNER_FAILED', `runner pod ${r} disappeared mid-test`, {
          hint: 'it was evicted or its node was lost: `kubectl get events` says why; run the test again',
          exitCode: ExitCode.unavailable,
        });
      }
    }
  }
  for (const r of runners) seenRunners.add(r);
}

function startStream(cluster: Cluster, pod: V1Pod, path: string, note: (m: string) => void) {
  const out = createWriteStream(path);
  const entry: { done: Promise<void>; controller?: AbortController; path: string } = {
    path,
    done: new Promise<void>((resolve) => {
      out.on('finish', resolve);
      out.on('error', () => resolve());
    }),
  };
  cluster
    .streamLog(podName(pod), mainContainer(pod), out)
    .then((c) => {
      entry.controller = c;
      if (hasEnded(pod)) note(`log of ${podName(pod)} read`);
    })
    .catch((err: Error) => {
      note(`log of ${podName(pod)} unavailable: ${err.message}`);
      out.end();
    });
  return entry;
}

async function stageError(
  cluster: Cluster,
  pods: V1Pod[],
  name: string,
  streams: Map<string, { path: string; done: Promise<void> }>,
) {
  const init = pods.find((p) => podRole(p) === 'initializer');
  let tail = '';
  if (init) {
    const s = streams.get(podName(init));
    if (s) await Promise.race([s.done, sleep(5000)]);
    tail = s
      ? readFileSync(s.path, 'utf8')
      : await cluster.readLog(podName(init), mainContainer(init)).catch(() => '');
  }
  const last = tail.trim().split('\n').slice(-5).join(' | ');
  return new MlperfError(
    'K6_TESTRUN_ERROR',
    `TestRun ${name} reached stage error${last ? `: ${last}` : ''}`,
    {
      hint:
        'k6-operator could not start the test (often the initializer rejected the script); see logs/ and `kubectl describe testrun ' +
        name +
        '`',
      exitCode: ExitCode.unavailable,
    },
  );
}

async function collectSummaries(
  cluster: Cluster,
  runners: Set<string>,
  streams: Map<string, { path: string }>,
  writer: ResultsWriter,
  note: (m: string) => void,
): Promise<K6HandleSummary[]> {
  const all: K6HandleSummary[] = [];
  for (const r of [...runners].sort()) {
    const path = streams.get(r)?.path ?? writer.logPath(`${r}.log`);
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // never streamed
    }
    let found = extractSummaries(text, `logs/${r}.log`);
    if (found.length === 0) {
      text = await cluster.readLog(r, 'k6').catch(() => text);
      writeFileSync(path, text);
      found = extractSummaries(text, `logs/${r}.log`);
    }
    if (found.length === 0) note(`runner ${r} printed no summary`);
    for (const s of found) {
      writeFileSync(writer.logPath(`k6-summary-${r}.json`), `${JSON.stringify(s)}\n`);
      all.push(s);
    }
  }
  if (all.length === 0) {
    throw new MlperfError('K6_NO_SUMMARY', `none of the ${runners.size} runner pods printed a k6 summary`, {
      hint: 'the runners were killed before the end of the test; see their logs in logs/',
      exitCode: ExitCode.unavailable,
    });
  }
  return all;
}
