import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestDefinition } from '@mlperf/core';
import { exportQueries, type PrometheusClient } from '@mlperf/core/promql';
import { type RunTestResult, runTest, standardSuite } from '@mlperf/scenarios';
import { HUB_QUERIES } from './_hub-queries.js';

/**
 * A short target test of one constant stage (`rate` TPS for `seconds`, the steady state without
 * the warmup and the last second), judged by what a short run on a shared machine can show: 95%
 * of the rate, 99.5% success, p95 < 300 ms and, with `memoryLeak`, no memory leak.
 */
export function shortTest(t: {
  id: string;
  name: string;
  kind?: TestDefinition['kind'];
  rate: number;
  seconds: number;
  warmup: string;
  memoryLeak?: boolean;
}): TestDefinition {
  return {
    id: t.id,
    name: t.name,
    kind: t.kind ?? 'target',
    stages: [{ kind: 'constant', rate: t.rate, duration: `${t.seconds}s` }],
    warmup: t.warmup,
    cooldown: '1s',
    criteria: [
      { kind: 'achieved-rate', minRatio: 0.95 },
      { kind: 'success-rate', min: 0.995 },
      { kind: 'latency', percentile: 95, maxMs: 300 },
      ...(t.memoryLeak ? [{ kind: 'no-memory-leak' as const }] : []),
    ],
  };
}

/** `test` alone (no suite criteria) by the real load engine against the embedded hub, into `out/<test id>`. */
export function runOnHub(
  hub: { url: string; adminUrl: string },
  test: TestDefinition,
  out: string,
  hubProfile?: string,
): Promise<RunTestResult> {
  return runTest({
    suite: { ...standardSuite(), tests: [test], criteria: [] },
    test: test.id,
    target: { url: hub.url, adminUrl: hub.adminUrl, kind: 'embedded', ...(hubProfile ? { hubProfile } : {}) },
    out,
    dirName: test.id,
    minFreeBytes: 0,
    timeoutGraceMs: 1000,
    abortDrainMs: 2000,
  });
}

/** The run's window in unix seconds: its start in run.json, its length as the engine measured it. */
export function runWindow(run: RunTestResult): { start: number; end: number } {
  const start = Date.parse(JSON.parse(readFileSync(join(run.dir, 'run.json'), 'utf8')).startedAt) / 1000;
  return { start, end: start + run.durationS };
}

/** The hub analyzer's queries over `window`, exported from Prometheus into the run's `metrics/`. */
export async function exportHubQueries(
  client: PrometheusClient,
  run: RunTestResult,
  window: { start: number; end: number },
): Promise<void> {
  const { start, end } = window;
  await exportQueries({
    client,
    queries: HUB_QUERIES,
    start,
    end,
    dir: run.dir,
    scrapeIntervalS: 1,
    step: 1,
  });
}
