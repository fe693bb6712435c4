import { cpus, hostname, platform, totalmem } from 'node:os';
import type {
  NewRunManifest,
  RunExecutor,
  RunTarget,
  StageWindow,
  SuiteDefinition,
  TestDefinition,
} from '@mlperf/core';
import { parseDuration, stageName, timeStages } from '@mlperf/core';
import { safeUrl } from '@mlperf/core/promql';
import type { TestContext } from './context.js';
import { peakRate } from './options.js';
import type { K6HandleSummary } from './summary.js';

/** The hub a k6 or k6-operator run loads, and the Prometheus watching it (credentials never kept). */
export function hubTarget(hubUrl: string, prometheus: { url: string } | undefined): RunTarget {
  return { kind: 'url', url: hubUrl, ...(prometheus ? { prometheusUrl: safeUrl(prometheus.url) } : {}) };
}

/** The run.json of a k6 or k6-operator run, before it starts. */
export function baseManifest(
  ctx: TestContext,
  o: {
    runId: string;
    suite: SuiteDefinition;
    target: RunTarget;
    executor: RunExecutor;
    suiteRunId?: string;
    versions?: Record<string, string>;
  },
): NewRunManifest {
  const m: NewRunManifest = {
    runId: o.runId,
    testId: ctx.test.id,
    testName: ctx.test.name,
    suiteName: o.suite.name,
    definition: ctx,
    target: o.target,
    executor: o.executor,
    versions: { node: process.version, ...o.versions },
    host: { hostname: hostname(), platform: platform(), cpus: cpus().length, memoryBytes: totalmem() },
  };
  if (o.suite.profile) m.profile = o.suite.profile.name;
  if (o.suiteRunId) m.suiteRunId = o.suiteRunId;
  return m;
}

/** The stages as k6 runs them (planned times: k6 follows the schedule), plus recovery. */
export function plannedStageWindows(test: TestDefinition): StageWindow[] {
  const timed = timeStages(test.stages);
  const windows: StageWindow[] = timed.map((t) => ({
    index: t.index,
    name: stageName(t.stage, t.index),
    kind: t.stage.kind,
    startS: t.startMs / 1000,
    endS: (t.startMs + t.durationMs) / 1000,
    fromRate: t.fromRate,
    toRate: Number.isFinite(t.toRate) ? t.toRate : peakRate(test),
  }));
  const last = windows[windows.length - 1];
  if (test.recovery && last?.endS !== undefined) {
    windows.push({
      index: windows.length,
      name: 'recovery',
      kind: 'constant',
      startS: last.endS,
      endS: last.endS + parseDuration(test.recovery.duration) / 1000,
      fromRate: test.recovery.rate,
      toRate: test.recovery.rate,
    });
  }
  return windows;
}

/** True when no threshold of the summary failed. */
export function thresholdsPassed(s: K6HandleSummary): boolean {
  return Object.values(s.metrics).every((m) => Object.values(m.thresholds ?? {}).every((t) => t.ok));
}
