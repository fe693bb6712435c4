import type { SuiteDefinition } from '@mlperf/core';
import { ExitCode, MlperfError, isMlperfError } from '@mlperf/core';
import type { K6RunReporting } from '../k6/prometheus.js';
import { Cluster, type ClusterOptions } from './cluster.js';
import { collectResults } from './collect.js';
import { followTestRun } from './follow.js';
import type { K8sManifestOptions } from './manifests.js';
import { abortHandling, applyResources, cleanUp } from './resources.js';
import { openRun } from './run-state.js';

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

/**
 * Runs one test with k6-operator: applies the DFSP simulator, the script ConfigMap and a TestRun,
 * follows `status.stage` to finished or error, streams every runner's log into logs/, merges the
 * runners' summaries into k6-summary.json, exports metrics, and deletes what it created (also when
 * aborted). Infrastructure failures end the results directory `failed` and throw (exit 3).
 */
export async function runTestOnKubernetes(options: K8sRunOptions): Promise<K8sRunResult> {
  const cluster = await Cluster.connect(options);
  await cluster.preflight();
  const run = openRun(cluster, options);
  const { writer, note, name } = run;
  const abort = abortHandling(options);
  try {
    await applyResources(run);
    const since = Date.now();
    const runners = await followTestRun(run, abort.signal, since);
    if (abort.signal.aborted) {
      note('aborted: deleting the TestRun');
      writer.finish('aborted', { reason: 'aborted by the user (Ctrl-C)' });
      return {
        dir: writer.dir,
        status: 'aborted',
        thresholdsPassed: false,
        runners: runners.size,
        testRunName: name,
      };
    }
    const passed = await collectResults(run, runners, since);
    return {
      dir: writer.dir,
      status: 'completed',
      thresholdsPassed: passed,
      runners: runners.size,
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
    abort.release();
    await cleanUp(run);
  }
}
