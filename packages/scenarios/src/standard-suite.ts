import type { SuiteDefinition, TestCriterion } from '@mlperf/core';
import { standardDfsps } from '@mlperf/core';

const PLAN_CRITERIA = {
  success: { kind: 'success-rate', min: 0.995 },
  errors: { kind: 'error-rate', max: 0.005 },
  rate: { kind: 'achieved-rate', minRatio: 0.99 },
  p95: (maxMs: number): TestCriterion => ({ kind: 'latency', percentile: 95, maxMs }),
  p99: { kind: 'latency', percentile: 99, maxMs: 500 },
  noFailures: { kind: 'no-service-failures' },
  noLeak: { kind: 'no-memory-leak' },
  cpu: { kind: 'cpu', max: 0.8 },
} satisfies Record<string, TestCriterion | ((n: number) => TestCriterion)>;

/**
 * The Phase-07 suite exactly as the Phase-07 plan specifies it: baseline 100 TPS 5 min, scale 500 TPS 15 min,
 * target 1000 TPS 30 min, endurance 1000 TPS 2 h, stress ramping 0->1000->2000->5000 over 30 min and
 * onwards until a stop rule fires; 8 DFSPs with the 40/25/20/15 corridor mix.
 *
 * The transfer amount ($0.05) is chosen so that the funded $1,000,000.00 of perffsp-1 covers the
 * whole suite without a reset, including the stress test up to its bounds (perffsp-1 carries 40%).
 */
export function standardSuite(): SuiteDefinition {
  return {
    name: 'mojaloop-1000tps',
    description: 'Phase 07: prove Mojaloop handles 1000 TPS with 8 DFSPs, sustained, and find its limits.',
    dfsps: standardDfsps(),
    corridors: [
      { payer: 'perffsp-1', payee: 'perffsp-5', weight: 0.4, name: 'perffsp-1->perffsp-5' },
      { payer: 'perffsp-2', payee: 'perffsp-6', weight: 0.25, name: 'perffsp-2->perffsp-6' },
      { payer: 'perffsp-3', payee: 'perffsp-7', weight: 0.2, name: 'perffsp-3->perffsp-7' },
      { payer: 'perffsp-4', payee: 'perffsp-8', weight: 0.15, name: 'perffsp-4->perffsp-8' },
    ],
    transfer: { amount: '0.05', expiration: '30s' },
    cooldownBetweenTests: '2m',
    tests: [
      {
        id: 'baseline-100tps',
        name: 'Baseline (100 TPS)',
        kind: 'baseline',
        stages: [{ kind: 'constant', rate: 100, duration: '5m' }],
        warmup: '30s',
        cooldown: '10s',
        criteria: [PLAN_CRITERIA.rate, PLAN_CRITERIA.success, PLAN_CRITERIA.p95(80), PLAN_CRITERIA.errors],
        expected: { transfers: 30_000, successRate: 1, p95Ms: 80, duration: '5m' },
      },
      {
        id: 'scale-500tps',
        name: 'Scale Test (500 TPS)',
        kind: 'scale',
        after: 'baseline-100tps',
        stages: [{ kind: 'constant', rate: 500, duration: '15m' }],
        warmup: '1m',
        cooldown: '30s',
        criteria: [PLAN_CRITERIA.rate, PLAN_CRITERIA.success, PLAN_CRITERIA.p95(150), PLAN_CRITERIA.errors],
        expected: { transfers: 450_000, successRate: 0.995, p95Ms: 150, duration: '15m' },
      },
      {
        id: 'target-1000tps',
        name: 'Target Test (1000 TPS)',
        kind: 'target',
        after: 'scale-500tps',
        stages: [{ kind: 'constant', rate: 1000, duration: '30m' }],
        warmup: '5m',
        cooldown: '2m',
        criteria: [
          PLAN_CRITERIA.rate,
          PLAN_CRITERIA.success,
          PLAN_CRITERIA.p95(300),
          PLAN_CRITERIA.p99,
          PLAN_CRITERIA.noFailures,
          PLAN_CRITERIA.noLeak,
          PLAN_CRITERIA.cpu,
        ],
        expected: { transfers: 1_800_000, successRate: 0.995, p95Ms: 300, p99Ms: 500, duration: '30m' },
      },
      {
        id: 'endurance-1000tps',
        name: 'Endurance Test (1000 TPS for 2 hours)',
        kind: 'endurance',
        after: 'target-1000tps',
        stages: [{ kind: 'constant', rate: 1000, duration: '2h' }],
        warmup: '5m',
        cooldown: '2m',
        criteria: [
          PLAN_CRITERIA.rate,
          PLAN_CRITERIA.success,
          PLAN_CRITERIA.p95(300),
          PLAN_CRITERIA.p99,
          PLAN_CRITERIA.errors,
          PLAN_CRITERIA.noFailures,
          PLAN_CRITERIA.noLeak,
        ],
        expected: {
          transfers: 7_200_000,
          successRate: 0.995,
          duration: '2h',
          notes: ['Success rate > 99.5% sustained', 'No performance degradation', 'No memory leaks'],
        },
      },
      {
        id: 'stress-test',
        name: 'Stress Test (Ramp to Failure)',
        kind: 'stress',
        after: 'target-1000tps',
        stages: [
          { kind: 'ramp', from: 0, to: 1000, duration: '10m', name: 'ramp 0->1000' },
          { kind: 'ramp', from: 1000, to: 2000, duration: '10m', name: 'ramp 1000->2000' },
          { kind: 'ramp', from: 2000, to: 5000, duration: '10m', name: 'ramp 2000->5000' },
          {
            kind: 'open-ramp',
            from: 5000,
            stepPerMinute: 500,
            maxRate: 20_000,
            maxDuration: '30m',
            name: 'onwards until failure',
          },
        ],
        // the first minute of the ramp warms the hub up: its stop rule and breaking point ignore it
        warmup: '1m',
        stopRule: { maxErrorRate: 0.05, maxP95Ms: 2000, minAchievedRatio: 0.8, window: '30s' },
        recovery: { rate: 100, duration: '5m' },
        criteria: [],
        expected: {
          notes: [
            'Breaking point TPS',
            'First component to fail',
            'Error types observed',
            'Recovery behavior',
          ],
        },
      },
    ],
    criteria: [
      { kind: 'all-tests-completed' },
      { kind: 'linear-scaling', upToRate: 500, minEfficiency: 0.95 },
      { kind: 'sustained', rate: 1000, duration: '2h', test: 'endurance-1000tps' },
      { kind: 'breaking-point-identified', test: 'stress-test' },
      { kind: 'clean-recovery', test: 'stress-test', within: '5m' },
    ],
  };
}

/** The Phase-07 plan's manifest file name of a standard test (`tests/03-target-1000tps.yaml`). */
export function standardTestFileName(testId: string): string {
  const order = ['baseline-100tps', 'scale-500tps', 'target-1000tps', 'endurance-1000tps', 'stress-test'];
  const i = order.indexOf(testId);
  return i < 0 ? `${testId}.yaml` : `${String(i + 1).padStart(2, '0')}-${testId}.yaml`;
}
