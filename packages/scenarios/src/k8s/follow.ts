import { createWriteStream, readFileSync } from 'node:fs';
import type { V1Pod } from '@kubernetes/client-node';
import { ExitCode, MlperfError } from '@mlperf/core';
import { plannedStageWindows } from '../k6/run-manifest.js';
import type { Cluster } from './cluster.js';
import { DFSP_SIM_DEFAULTS } from './dfsp-sim-manifests.js';
import { hasEnded, hasLog, mainContainer, pendingReason, podName, podProblem, podRole } from './pods.js';
import { type K8sRun, type LogStream, sleep } from './run-state.js';

/**
 * Follows the TestRun's `status.stage` to finished (or abort): notes stage changes, marks the
 * start in run.json, fails on the first pod problem (the simulator's too), streams every runner's
 * log into logs/. Returns the runner pods seen. Throws on stage error, a vanished TestRun or runner,
 * and pods that never start.
 */
export async function followTestRun(run: K8sRun, signal: AbortSignal, since: number): Promise<Set<string>> {
  const { cluster, name, note, options, streams, writer } = run;
  let stage = '';
  const seenRunners = new Set<string>();
  const poll = options.pollIntervalMs ?? 2000;
  for (;;) {
    if (signal.aborted) return seenRunners;
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
      if (stage === 'started' && run.startedAtMs === undefined) {
        run.startedAtMs = Date.now();
        writer.updateManifest({
          startedAt: new Date(run.startedAtMs).toISOString(),
          stages: plannedStageWindows(run.ctx.test),
        });
      }
    }
    const pods = await cluster.listTestRunPods(name);
    checkPods(pods, stage, seenRunners);
    await checkSimulator(run);
    for (const pod of pods) {
      const pn = podName(pod);
      if (podRole(pod) !== 'starter' && hasLog(pod) && !streams.has(pn)) {
        streams.set(pn, startStream(cluster, pod, writer.logPath(`${pn}.log`), note));
      }
    }
    if (stage === 'finished') return seenRunners;
    if (stage === 'error') throw await stageError(cluster, pods, name, streams);
    if (run.startedAtMs === undefined && Date.now() - since > (options.startTimeoutMs ?? 600_000))
      throw startTimeout(name, pods, since);
    await sleep(poll, signal);
  }
}

/** The simulator's pods too: k6 would only see it never become ready. */
async function checkSimulator(run: K8sRun): Promise<void> {
  if (run.options.deployDfspSim === false) return;
  const simName = run.manifestOptions.dfspSim?.name ?? DFSP_SIM_DEFAULTS.name;
  for (const pod of await run.cluster.listPods(`app.kubernetes.io/name=${simName}`)) {
    const problem = podProblem(pod);
    if (problem) throw problem;
  }
}

function startTimeout(name: string, pods: V1Pod[], since: number): MlperfError {
  const why = pods.map(pendingReason).find((r) => r !== undefined);
  return new MlperfError(
    'K6_START_TIMEOUT',
    `TestRun ${name} did not start within ${Math.round((Date.now() - since) / 1000)}s${why ? `: ${why}` : ''}`,
    {
      hint: 'the runner pods could not be scheduled or started: check node capacity (`kubectl describe pod`) or lower --parallelism',
      exitCode: ExitCode.unavailable,
    },
  );
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

function startStream(cluster: Cluster, pod: V1Pod, path: string, note: (m: string) => void): LogStream {
  const out = createWriteStream(path);
  const entry: LogStream = {
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

async function stageError(cluster: Cluster, pods: V1Pod[], name: string, streams: Map<string, LogStream>) {
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
