import type { SuiteDefinition } from '@mlperf/core';
import { isMlperfError } from '@mlperf/core';
import type { ClusterNeed } from '../check/cluster.js';
import { type K8sRunOptions, runTestOnKubernetes } from '../k8s/executor.js';
import type { RunTestArgs, RunTestOutcome } from '../suite-run/types.js';
import { type K6LocalRunOptions, runTestWithK6 } from './local.js';
import { k6ScaleAdvice } from './scale.js';

const MIB = 2 ** 20;

/**
 * What the k6 runners of a suite ask the cluster for at most (its tests run one after the other):
 * the `clusterNeed` of `mlperf check` for `--executor k8s`.
 */
export function k6ClusterNeed(suite: SuiteDefinition, options: { parallelism?: number } = {}): ClusterNeed {
  let need: ClusterNeed = { cpuCores: 0, memoryBytes: 0, source: 'no tests' };
  for (const t of suite.tests) {
    const a = k6ScaleAdvice(t);
    const n = options.parallelism ?? a.parallelism;
    const cpu = (Number.parseInt(a.resources.requests.cpu, 10) / 1000) * n;
    const mem = Number.parseInt(a.resources.requests.memory, 10) * MIB * n;
    if (cpu > need.cpuCores) {
      need = {
        cpuCores: cpu,
        memoryBytes: mem,
        source: `${t.id}: ${n} k6 runner${n === 1 ? '' : 's'} x ${a.resources.requests.cpu} CPU / ${a.resources.requests.memory}`,
      };
    }
  }
  return need;
}

type Shared<T> = Omit<T, 'suite' | 'testId' | 'outDir' | 'signal' | 'onStart' | 'suiteRunId'>;

/**
 * The `runTest` of `runSuite` (the suite orchestration) with k6 or k6-operator: each test writes
 * its results directory into the suite directory, like the local engine does.
 */
export function k6SuiteRunTest(
  executor:
    | { kind: 'k6'; options: Shared<K6LocalRunOptions> }
    | { kind: 'k8s'; options: Shared<K8sRunOptions> },
): (args: RunTestArgs) => Promise<RunTestOutcome> {
  return async (args) => {
    let runDir = '';
    const common = {
      suite: args.suite,
      testId: args.test.id,
      outDir: args.suiteDir,
      signal: args.signal,
      suiteRunId: args.suiteRunId,
      onStart: (dir: string) => {
        runDir = dir;
        args.onStart(dir);
      },
    };
    try {
      const r =
        executor.kind === 'k8s'
          ? await runTestOnKubernetes({ ...executor.options, ...common })
          : await runTestWithK6({ ...executor.options, ...common });
      return { runDir: r.dir, status: r.status };
    } catch (err) {
      if (!runDir) throw err;
      return {
        runDir,
        status: 'failed',
        reason: isMlperfError(err) ? `${err.code}: ${err.message}` : String(err),
      };
    }
  };
}
