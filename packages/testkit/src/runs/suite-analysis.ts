import type { SuiteAnalysisResult } from '@mlperf/core';
import { dbPoolFinding } from './analyses.js';

export function suiteAnalysis(
  verdict: 'pass' | 'fail',
  runDirs: Record<string, string>,
): SuiteAnalysisResult {
  const tests = [
    ['baseline-100tps', 'Baseline (100 TPS)'],
    ['scale-500tps', 'Scale Test (500 TPS)'],
    ['target-1000tps', 'Target Test (1000 TPS)'],
    ['endurance-1000tps', 'Endurance Test (1000 TPS for 2 hours)'],
    ['stress-test', 'Stress Test (Ramp to Failure)'],
  ] as const;
  return {
    schemaVersion: 1,
    kind: 'suite',
    suiteName: 'mojaloop-1000tps',
    generatedAt: '2026-11-27T12:00:00.000Z',
    verdict,
    headline:
      verdict === 'pass'
        ? 'All 5 tests passed: 1000 TPS sustained for 2 hours, breaking point 1,500 TPS.'
        : 'Target not reached: TPS plateaued at 720; database pool exhausted.',
    criteria: [
      { id: 'all-tests-completed', label: 'All 5 tests completed', status: 'pass', detail: '5 of 5' },
      {
        id: 'linear-scaling',
        label: 'Performance scales linearly to 500 TPS',
        status: 'pass',
        value: 0.99,
        unit: 'achieved/offered',
        detail: 'efficiency 99% at 500 TPS',
      },
      {
        id: 'sustained',
        label: '1000 TPS sustained for 2+ hours',
        status: verdict,
        detail: verdict === 'pass' ? 'endurance held 2h' : 'target test failed',
      },
      {
        id: 'breaking-point-identified',
        label: 'Breaking point identified (stress test)',
        status: 'pass',
        value: 1500,
        unit: 'tps',
        detail: 'knee at 1,500 TPS',
      },
      {
        id: 'clean-recovery',
        label: 'Clean recovery after stress test',
        status: 'pass',
        detail: 'recovered in 42 s',
      },
    ],
    tests: tests.map(([testId, testName]) => ({
      testId,
      testName,
      runDir: runDirs[testId] ?? null,
      status: runDirs[testId] ? 'completed' : 'not-run',
      verdict: runDirs[testId]
        ? verdict === 'fail' && testId === 'target-1000tps'
          ? 'fail'
          : 'pass'
        : 'not-run',
    })),
    scaling: {
      lambda: 1,
      sigma: 0,
      kappa: 1e-7,
      rSquared: 0.99,
      predictedPeak: { load: 3162, throughput: 1581 },
      points: [
        { offered: 100, achieved: 100 },
        { offered: 500, achieved: 499 },
        { offered: 1000, achieved: verdict === 'pass' ? 998 : 720 },
      ],
    },
    breakingPointTps: 1500,
    findings: verdict === 'pass' ? [] : [dbPoolFinding()],
  };
}
