import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSuite, compareRuns } from '@mlperf/analysis';
import type { SuiteDefinition, TestDefinition } from '@mlperf/core';
import { exportsOf, secondOf } from '@mlperf/testkit/synth';
import {
  CORRIDORS,
  cleanTemp,
  constantTest,
  DFSPS,
  type SecondSpec,
  tempDir,
  writeRun,
} from '@mlperf/testkit/synth';

afterAll(cleanTemp);

const stress: TestDefinition = {
  id: 'stress-test',
  name: 'Stress',
  kind: 'stress',
  stages: [{ kind: 'ramp', from: 0, to: 3000, duration: '300s' }],
  recovery: { rate: 100, duration: '60s' },
  criteria: [],
};

function suiteOf(tests: TestDefinition[]): SuiteDefinition {
  return {
    name: 'mini-suite',
    dfsps: DFSPS,
    corridors: CORRIDORS,
    transfer: { amount: '0.10', expiration: '30s' },
    tests,
    criteria: [
      { kind: 'all-tests-completed' },
      { kind: 'linear-scaling', upToRate: 500, minEfficiency: 0.95 },
      { kind: 'sustained', rate: 1000, duration: '120s', test: 'endurance-1000tps' },
      { kind: 'breaking-point-identified', test: 'stress-test' },
      { kind: 'clean-recovery', test: 'stress-test', within: '60s' },
    ],
  };
}

describe('analyzeSuite', () => {
  it('judges the suite criteria over the runs it finds and fits the USL', () => {
    const base = tempDir();
    const w = { warmup: '10s', cooldown: '5s' };
    const tests = [
      constantTest('baseline-100tps', 100, '120s', w),
      constantTest('scale-500tps', 500, '120s', w),
      constantTest('target-1000tps', 1000, '120s', w),
      constantTest('endurance-1000tps', 1000, '120s', { ...w, kind: 'endurance' }),
      stress,
    ];
    for (const t of tests.slice(0, 4)) {
      const rate = (t.stages[0] as { rate: number }).rate;
      writeRun(base, {
        test: t,
        seconds: 120,
        second: secondOf('healthy', rate),
        exports: exportsOf('healthy', 120),
      });
    }
    const capacity = 1800;
    writeRun(base, {
      test: stress,
      seconds: 360,
      stages: [
        { index: 0, name: 'ramp', kind: 'ramp', startS: 0, endS: 300, fromRate: 0, toRate: 3000 },
        { index: 1, name: 'recovery', kind: 'constant', startS: 300, endS: 360, fromRate: 100, toRate: 100 },
      ],
      second: (s): SecondSpec =>
        s >= 300
          ? { offeredRate: 100, succeeded: 100, p50Ms: 20 }
          : {
              offeredRate: 10 * s,
              succeeded: Math.min(10 * s, capacity),
              p50Ms: 10 * s > capacity ? 800 : 20,
            },
    });
    const r = analyzeSuite(base, { suite: suiteOf(tests), now: () => new Date(0) });
    expect(r.criteria.map((c) => `${c.id}:${c.status}`)).toEqual([
      'all-tests-completed:pass',
      'linear-scaling:pass',
      'sustained:pass',
      'breaking-point-identified:pass',
      'clean-recovery:pass',
    ]);
    expect(r.verdict).toBe('pass');
    expect(r.tests.map((t) => [t.testId, t.verdict])).toEqual([
      ['baseline-100tps', 'pass'],
      ['scale-500tps', 'pass'],
      ['target-1000tps', 'pass'],
      ['endurance-1000tps', 'pass'],
      ['stress-test', 'pass'],
    ]);
    expect(Math.abs((r.breakingPointTps ?? 0) - capacity) / capacity).toBeLessThan(0.05);
    expect(r.scaling?.predictedPeak.throughput).toBeGreaterThan(1500);
    expect(r.scaling?.note).toContain(`the measured breaking point ${r.breakingPointTps} TPS is`);
    expect(existsSync(join(base, 'analysis.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(base, 'target-1000tps', 'analysis.json'), 'utf8')).verdict).toBe(
      'pass',
    );
  });

  it('fails all-tests-completed for missing or aborted tests, and scaling when the hub falls behind', () => {
    const base = tempDir();
    const tests = [
      constantTest('baseline-100tps', 100, '60s', { warmup: '5s', cooldown: '5s' }),
      constantTest('scale-500tps', 500, '60s', { warmup: '5s', cooldown: '5s' }),
      stress,
    ];
    writeRun(base, { test: tests[0] as TestDefinition, seconds: 60, second: secondOf('healthy', 100) });
    writeRun(base, {
      test: tests[1] as TestDefinition,
      seconds: 60,
      second: () => ({ offeredRate: 500, succeeded: 400, p50Ms: 30 }),
      status: 'aborted',
    });
    const r = analyzeSuite(base, { suite: suiteOf(tests), write: false });
    const by = Object.fromEntries(r.criteria.map((c) => [c.id, c]));
    expect(by['all-tests-completed']?.status).toBe('fail');
    expect(by['all-tests-completed']?.detail).toBe('not completed: scale-500tps, stress-test');
    expect(by['linear-scaling']?.status).toBe('fail');
    expect(by['linear-scaling']?.detail).toContain('scale-500tps: 80% of 500 TPS');
    expect(by.sustained?.status).toBe('fail');
    expect(by['clean-recovery']?.status).toBe('inconclusive');
    expect(r.verdict).toBe('fail');
    expect(r.tests.find((t) => t.testId === 'stress-test')?.verdict).toBe('not-run');
  });
});

describe('compareRuns', () => {
  it('finds no regression between two runs of one healthy hub and flags a throughput drop', async () => {
    const base = tempDir();
    const t = constantTest('t', 500, '200s', { warmup: '20s', cooldown: '5s' });
    const a = writeRun(join(base, 'a'), { test: t, seconds: 200, second: secondOf('healthy', 500, 11) });
    const b = writeRun(join(base, 'b'), { test: t, seconds: 200, second: secondOf('healthy', 500, 12) });
    const drop = secondOf('healthy', 500, 13);
    const c = writeRun(join(base, 'c'), {
      test: t,
      seconds: 200,
      second: (s) => ({ ...drop(s), succeeded: Math.round(drop(s).succeeded * 0.9) }),
    });
    const same = await compareRuns(a, b);
    expect(same.verdict).toBe('no-regression');
    const worse = await compareRuns(a, c);
    // the missing 10% neither succeeded nor failed: they count against the success rate (succeeded / offered)
    expect(worse.regressions).toEqual(['achieved-tps', 'success-rate']);
    const tps = worse.metrics.find((m) => m.metric === 'achieved-tps');
    expect(tps?.deltaRatio).toBeCloseTo(-0.1, 1);
    expect(tps?.pValue).toBeLessThan(0.001);
  });

  it('compares k6 summaries by deltas only (no per-second data, so no significance claimed)', async () => {
    const k6 = join(import.meta.dirname, '../../../fixtures/k6');
    const r = await compareRuns(join(k6, 'summary-export.json'), join(k6, 'handle-summary.json'));
    expect(r.verdict).toBe('no-regression');
    expect(
      r.metrics.every((m) => m.pValue === undefined && m.delta !== undefined && Math.abs(m.delta) < 1e-6),
    ).toBe(true);
  });
});
