import { ExitCode, MlperfError, type SuiteDefinition } from '@mlperf/core';
import {
  type RunTestArgs,
  type RunTestOutcome,
  abortOnSignals,
  k6SuiteRunTest,
  runTestOnKubernetes,
  runTestWithK6,
} from '@mlperf/scenarios';
import type { ArgsDef } from 'citty';
import { numberFlag } from './_suite-source.js';
import { judgeRun } from './_verdict.js';

/** `--executor` and the flags of the k6 and Kubernetes executors (shared by `run` and `suite run`). */
export const executorArgs = {
  executor: {
    type: 'enum',
    options: ['local', 'k6', 'k8s'],
    description: 'local: the built-in engine; k6: a local k6 binary; k8s: k6-operator on Kubernetes',
  },
  k6: {
    type: 'string',
    description: 'k6 binary for --executor k6 (default: $MLPERF_K6 or k6 on PATH)',
    valueHint: 'path',
  },
  kubeconfig: {
    type: 'string',
    description: 'kubeconfig for --executor k8s (default: $KUBECONFIG, ~/.kube/config, in-cluster)',
    valueHint: 'file',
  },
  context: { type: 'string', description: 'kubeconfig context for --executor k8s' },
  namespace: { type: 'string', description: "Namespace for --executor k8s (default: the context's)" },
  'runner-image': { type: 'string', description: 'k6 runner image for --executor k8s', valueHint: 'image' },
  parallelism: {
    type: 'string',
    description: 'k6 runner pods for --executor k8s (default: the scale advice)',
    valueHint: 'n',
  },
  'prometheus-url': {
    type: 'string',
    description: 'Prometheus to export the named queries from after a k6/k8s run',
    valueHint: 'url',
  },
  'prometheus-rw': {
    type: 'string',
    description: 'Prometheus remote-write URL the k6 runners push to (native histograms)',
    valueHint: 'url',
  },
} satisfies ArgsDef;

export interface ExecutorFlags {
  executor?: string;
  k6?: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  'runner-image'?: string;
  parallelism?: string;
  'prometheus-url'?: string;
  'prometheus-rw'?: string;
}

/**
 * Runs one test with k6 (`--executor k6`) or k6-operator (`--executor k8s`) into the same results
 * directory as a local run, then judges it as `mlperf analyze` does (k6's own thresholds are
 * information: they do not change the verdict).
 */
export async function runWithK6Executor(
  flags: ExecutorFlags,
  o: {
    suite: SuiteDefinition;
    testId: string;
    out: string;
    hubUrl: string;
    adminUrl?: string;
    embedded: boolean;
    /** Port of the DFSP simulator (against a real hub: the stable callback port). */
    callbackPort?: number;
  },
): Promise<number> {
  const prometheus = flags['prometheus-url']
    ? {
        url: flags['prometheus-url'],
        ...(o.suite.queries
          ? { queries: Object.entries(o.suite.queries).map(([name, promql]) => ({ name, promql })) }
          : {}),
      }
    : undefined;
  const signals = abortOnSignals((sig) => console.error(`\n${sig}: stopping the test and cleaning up`));
  const onEvent = (m: string) => console.error(m);
  try {
    if (flags.executor === 'k8s') {
      if (o.embedded) {
        throw new MlperfError(
          'USAGE',
          '--executor k8s needs --target <ml-api-adapter URL as the runner pods reach it>',
          {
            hint: 'the embedded hub runs on this machine, out of the cluster: pass --target http://<ml-api-adapter service>',
            exitCode: ExitCode.badInput,
          },
        );
      }
      const r = await runTestOnKubernetes({
        suite: o.suite,
        testId: o.testId,
        outDir: o.out,
        ...k8sClusterOptions(flags, o.hubUrl, o.adminUrl),
        ...(prometheus ? { prometheus } : {}),
        signal: signals.signal,
        onEvent,
      });
      console.log(
        `${o.testId}: ${r.status} on ${r.runners} runner pod(s); k6 thresholds ${r.thresholdsPassed ? 'held' : 'crossed'} (judged by k6 over the whole run, criteria of the verdict); results in ${r.dir}`,
      );
      return judgeRun(r.dir);
    }
    const r = await runTestWithK6({
      suite: o.suite,
      testId: o.testId,
      outDir: o.out,
      hubUrl: o.hubUrl,
      ...(o.adminUrl ? { adminUrl: o.adminUrl } : {}),
      ...(o.callbackPort !== undefined ? { dfspSimPort: o.callbackPort } : {}),
      ...(flags.k6 ? { k6Path: flags.k6 } : {}),
      ...(flags['prometheus-rw']
        ? {
            env: {
              K6_PROMETHEUS_RW_SERVER_URL: flags['prometheus-rw'],
              K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
            },
            k6Args: ['-o', 'experimental-prometheus-rw'],
          }
        : {}),
      ...(prometheus ? { prometheus } : {}),
      signal: signals.signal,
      onEvent,
    });
    console.log(
      `${o.testId}: ${r.status} (k6 exit ${r.k6ExitCode}) with k6 thresholds ${r.thresholdsPassed ? 'held' : 'crossed'} (judged by k6 over the whole run, criteria of the verdict); results in ${r.dir}`,
    );
    return judgeRun(r.dir);
  } finally {
    signals.dispose();
  }
}

/** The suite orchestration's `runTest` for `mlperf suite run --executor k6|k8s`. */
export function suiteRunTestFor(
  flags: ExecutorFlags,
  target: { kind: 'embedded' | 'url'; url: string; adminUrl?: string; check: { prometheusUrl?: string } },
): (args: RunTestArgs) => Promise<RunTestOutcome> {
  const prometheus = target.check.prometheusUrl ? { url: target.check.prometheusUrl } : undefined;
  const onEvent = (m: string) => console.error(m);
  if (flags.executor === 'k8s') {
    if (target.kind === 'embedded') {
      throw new MlperfError(
        'USAGE',
        '--executor k8s needs --target <ml-api-adapter URL as the runner pods reach it>',
        {
          hint: 'the embedded hub runs on this machine, out of the cluster: pass --target http://<ml-api-adapter service>',
          exitCode: ExitCode.badInput,
        },
      );
    }
    return k6SuiteRunTest({
      kind: 'k8s',
      options: {
        ...k8sClusterOptions(flags, target.url, target.adminUrl),
        ...(prometheus ? { prometheus } : {}),
        onEvent,
      },
    });
  }
  return k6SuiteRunTest({
    kind: 'k6',
    options: {
      hubUrl: target.url,
      ...(target.adminUrl ? { adminUrl: target.adminUrl } : {}),
      ...(flags.k6 ? { k6Path: flags.k6 } : {}),
      ...(prometheus ? { prometheus } : {}),
      onEvent,
    },
  });
}

/** The Kubernetes executor's options from the `--executor k8s` flags (shared by `run` and `suite run`). */
function k8sClusterOptions(flags: ExecutorFlags, hubUrl: string, adminUrl: string | undefined) {
  const parallelism = numberFlag('--parallelism', flags.parallelism, { integer: true, min: 1 });
  return {
    manifests: {
      hubUrl,
      ...(flags['runner-image'] ? { runnerImage: flags['runner-image'] } : {}),
      ...(parallelism !== undefined ? { parallelism } : {}),
      ...(flags['prometheus-rw'] ? { prometheusRemoteWriteUrl: flags['prometheus-rw'] } : {}),
      ...(adminUrl ? { dfspSim: { adminUrl } } : {}),
    },
    ...(flags.kubeconfig ? { kubeconfigPath: flags.kubeconfig } : {}),
    ...(flags.context ? { context: flags.context } : {}),
    ...(flags.namespace ? { namespace: flags.namespace } : {}),
  };
}
