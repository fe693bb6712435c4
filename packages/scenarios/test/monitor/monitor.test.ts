import { join } from 'node:path';
import { resolveProfile, ResultsWriter } from '@mlperf/core';
import { describe, expect, it } from 'vitest';
import {
  MonitorState,
  newestRunDirectory,
  renderMonitorFrame,
  renderMonitorLine,
  runMonitor,
} from '../../src/monitor/index.js';
import { standardSuite } from '../../src/standard-suite.js';
import { createSuiteRun, writeSuiteManifest } from '../../src/suite-run/suite-file.js';
import { second, tempDir } from '../suite-run/helpers.js';

const T0 = Date.parse('2026-11-27T09:00:00.000Z');
const suite = resolveProfile(standardSuite(), { profile: 'quick' });
const target = suite.tests.find((t) => t.id === 'target-1000tps')!;

function liveRun(base: string, seconds: number, failEvery = 0) {
  const w = ResultsWriter.create(
    base,
    {
      runId: 'r1',
      testId: target.id,
      testName: target.name,
      definition: { test: target, dfsps: suite.dfsps, corridors: suite.corridors, transfer: suite.transfer },
      target: { kind: 'embedded', url: 'http://127.0.0.1:1' },
      executor: { kind: 'local' },
      versions: {},
      host: { hostname: 'h', platform: 'linux', cpus: 2, memoryBytes: 1 },
      startedAt: new Date(T0).toISOString(),
      stages: [
        { index: 0, name: 'constant 1000 TPS', kind: 'constant', startS: 0, fromRate: 1000, toRate: 1000 },
      ],
    },
    { minFreeBytes: 0, dirName: 'target-1000tps-live' },
  );
  for (let s = 0; s < seconds; s++) {
    const r = second(
      s,
      1000,
      failEvery && s >= 15 ? 900 : 1000,
      failEvery && s >= 15 ? { 'fspiop:4001': 100 } : {},
    );
    r.latency.e2e = { count: 1000, min: 5, mean: 20, p50: 18, p90: 35, p95: 42, p99: 80, max: 120 };
    w.appendSecond(r);
  }
  return w;
}

describe('mlperf monitor', () => {
  it('shows a live results directory: progress, key metrics with bands, errors, live issues', async () => {
    using tmp = tempDir();
    const w = liveRun(tmp.dir, 25, 1);
    const state = new MonitorState(w.dir);
    const snap = await state.refresh(T0 + 25_000);
    expect(snap.finished).toBe(false);
    expect(renderMonitorFrame(snap).join('\n')).toMatchInlineSnapshot(`
      "mlperf monitor    09:00:25

      Test Target Test (1000 TPS): running, 25 s of 30 s (83%)
        stage: constant 1000 TPS, offered 1000 TPS

        Metric         Value       Band      Source
        TPS Achieved   900         warning   last 10 s
        Success Rate   96.00%      warning   last 25 s
        P95 Latency    ~42 ms      target    last 10 s
        Error Rate     4.00%       warning   last 25 s
        CPU Usage      n/a                   needs --prometheus
        Memory Usage   n/a                   needs --prometheus

      Errors (last 5 min): fspiop:4001 x1000

      Common issues seen live:
        ! Sudden spike in errors (warning, at 15s): 2.0% of transfers failed over the last 5 s (before: 0.00%): fspiop:4001 x100
            Reduce load temporarily (lower the rate, or fewer k6 runners)
            Check the failing service (./find-failing-service.sh): mlperf monitor shows service health
            Restart unhealthy pods (./restart-unhealthy-pods.sh)
        ! TPS plateaus below target (warning, at 20s): achieved 940 TPS against 1000 offered (94%) over the last 10 s
            Identify the bottleneck (./find-bottleneck.sh): mlperf analyze <results dir> after the test"
    `);
    expect(renderMonitorLine(snap)).toMatchInlineSnapshot(
      `"09:00:25 | target-1000tps running 25/30s | tps=900(warning) | success=96.00%(warning) | p95=~42 ms(target) | errors=4.00%(warning) | errors[5m] fspiop:4001 x1000"`,
    );
  });

  it('shows a suite directory: which test runs, the progression and the time left', async () => {
    using tmp = tempDir();
    const { dir, manifest } = createSuiteRun(
      suite,
      { outDir: tmp.dir, target: { kind: 'embedded' } },
      new Date(T0),
    );
    const w = liveRun(dir, 12);
    manifest.tests[0]!.status = 'completed';
    manifest.tests[0]!.verdict = 'pass';
    manifest.tests[1]!.status = 'completed';
    manifest.tests[1]!.verdict = 'pass';
    const t = manifest.tests[2]!;
    t.status = 'running';
    t.startedAt = new Date(T0 + 30_000).toISOString();
    t.runDir = 'target-1000tps-live';
    manifest.current = { phase: 'test', testId: t.testId, since: t.startedAt };
    writeSuiteManifest(dir, manifest);
    expect(newestRunDirectory(tmp.dir)).toBe(dir);
    const snap = await new MonitorState(dir).refresh(T0 + 42_000);
    expect(snap.run?.dir).toBe(w.dir);
    expect(renderMonitorFrame(snap).slice(0, 10)).toMatchInlineSnapshot(`
      [
        "mlperf monitor    09:00:42",
        "",
        "Suite mojaloop-1000tps: running, 2/5 tests done, elapsed 42 s, about 3 min left",
        "  now: test target-1000tps",
        "  ✓ baseline-100tps      completed  pass",
        "  ✓ scale-500tps         completed  pass",
        "  ▶ target-1000tps       running",
        "  · endurance-1000tps    pending",
        "  · stress-test          pending",
        "",
      ]
    `);
  });

  it('prints plain lines when not on a terminal and stops when the run has ended', async () => {
    using tmp = tempDir();
    const w = liveRun(tmp.dir, 3);
    w.finish('completed');
    const out: string[] = [];
    const snap = await runMonitor({ dir: w.dir, tty: false, write: (s) => out.push(s), intervalMs: 10 });
    expect(snap.finished).toBe(true);
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('target-1000tps completed');
  });

  it('rejects a directory that is neither a suite nor a run', () => {
    using tmp = tempDir();
    expect(() => new MonitorState(join(tmp.dir))).toThrow(/neither a suite directory/);
  });
});
