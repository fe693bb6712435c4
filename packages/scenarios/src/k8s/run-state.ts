import { createWriteStream, writeFileSync, type WriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ResultsWriter, runDirName } from '@mlperf/core';
import { type TestContext, testContext } from '../k6/context.js';
import { baseManifest, hubTarget } from '../k6/run-manifest.js';
import type { Cluster } from './cluster.js';
import type { K8sRunOptions } from './executor.js';
import { type K8sManifestOptions, k8sName, type RenderedTestRun, renderTestRun } from './manifests.js';

/** A runner pod's log being written into logs/. */
export interface LogStream {
  done: Promise<void>;
  controller?: AbortController;
  path: string;
}

export type Created = { kind: 'TestRun' | 'ConfigMap' | 'Deployment' | 'Service'; name: string };

/** One k6-operator run as it goes: what was rendered, where results go, what was created. */
export interface K8sRun {
  cluster: Cluster;
  options: K8sRunOptions;
  ctx: TestContext;
  runId: string;
  /** The TestRun's name. */
  name: string;
  manifestOptions: K8sManifestOptions;
  rendered: RenderedTestRun;
  writer: ResultsWriter;
  /** Writes a line to logs/k8s-events.log and tells `onEvent`. */
  note: (message: string) => void;
  events: WriteStream;
  created: Created[];
  streams: Map<string, LogStream>;
  /** Unix ms the TestRun reached stage `started`. */
  startedAtMs?: number;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Renders the TestRun and opens the results directory (run.json, logs/testrun.yaml.json, the events log). */
export function openRun(cluster: Cluster, options: K8sRunOptions): K8sRun {
  const ctx = testContext(options.suite, options.testId);
  const runId = runDirName(options.testId);
  const name = k8sName(`k6-${options.testId}`.slice(0, 56) + `-${randomBytes(3).toString('hex')}`);
  const manifestOptions: K8sManifestOptions = {
    ...options.manifests,
    namespace: cluster.namespace,
    runId,
    name,
  };
  const rendered = renderTestRun(ctx, manifestOptions);
  const writer = ResultsWriter.create(
    options.outDir,
    baseManifest(ctx, {
      runId,
      suite: options.suite,
      target: hubTarget(options.manifests.hubUrl, options.prometheus),
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
    options.onEvent?.(m);
  };
  return {
    cluster,
    options,
    ctx,
    runId,
    name,
    manifestOptions,
    rendered,
    writer,
    note,
    events,
    created: [],
    streams: new Map(),
  };
}
