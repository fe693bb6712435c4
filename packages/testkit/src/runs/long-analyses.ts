import type { AnalysisResult } from '@mlperf/core';
import { base } from './_base.js';
import { T0 } from './_parts.js';

export function enduranceAnalysis(seconds: number, testId = 'endurance-1000tps'): AnalysisResult {
  const pts = (f: (h: number) => number): [number, number][] =>
    Array.from({ length: 120 }, (_, i) => [T0 + (i * seconds * 1000) / 120, f((i * seconds) / 120 / 3600)]);
  return base(testId, {
    headline: 'Held 1000 TPS for 2 hours; central-ledger memory grows 48 MiB/h (significant).',
    verdict: 'fail',
    criteria: [
      {
        id: 'no-memory-leak',
        label: 'No memory leaks',
        status: 'fail',
        value: 50331648,
        unit: 'bytes/h',
        detail: 'central-ledger grows 48 MiB/h, p = 0.001',
      },
    ],
    endurance: {
      memory: [
        {
          subject: 'central-ledger',
          metric: 'container_memory_working_set_bytes',
          slopePerHour: 50331648,
          unit: 'bytes',
          pValue: 0.001,
          significant: true,
          points: pts((h) => 300e6 + h * 50331648),
          intercept: 300e6,
        },
        {
          subject: 'ml-api-adapter',
          metric: 'container_memory_working_set_bytes',
          slopePerHour: 1e5,
          unit: 'bytes',
          pValue: 0.6,
          significant: false,
          points: pts(() => 200e6),
          intercept: 200e6,
        },
      ],
      latencyDrift: { firstP95Ms: 35, lastP95Ms: 38, changeRatio: 1.086, pValue: 0.2, significant: false },
      errorRateTrend: {
        subject: 'hub',
        metric: 'error rate',
        slopePerHour: 0.00001,
        unit: 'ratio',
        pValue: 0.7,
        significant: false,
        points: pts(() => 0.0001),
        intercept: 0.0001,
      },
      exhaustion: [
        {
          subject: 'central-ledger',
          resource: 'memory limit 1 GiB',
          hoursRemaining: 14.2,
          detail: 'at 48 MiB/h from 330 MiB',
        },
      ],
    },
    findings: [
      {
        id: 'leak-1',
        kind: 'memory-leak',
        title: 'Memory leak suspected',
        subject: 'central-ledger',
        severity: 'critical',
        confidence: 0.85,
        rank: 1,
        summary: 'Theil-Sen slope 48 MiB/h, Mann-Kendall p = 0.001',
        evidence: [],
      },
    ],
  });
}

export function stressAnalysis(testId = 'stress-test'): AnalysisResult {
  const curve = Array.from({ length: 60 }, (_, i) => {
    const offered = (i + 1) * 50;
    const achieved = Math.min(offered, 1500) - Math.max(0, offered - 2200) * 0.4;
    return {
      offered,
      achieved,
      p95Ms: offered > 1500 ? 40 + (offered - 1500) : 40,
      errorRate: offered > 1800 ? 0.05 : 0,
    };
  });
  return base(testId, {
    headline: 'Breaking point 1,500 TPS: the knee came first, then p95; central-ledger CPU saturated first.',
    verdict: 'pass',
    criteria: [
      {
        id: 'breaking-point',
        label: 'Breaking point identified',
        status: 'pass',
        value: 1500,
        unit: 'tps',
        detail: 'knee at 1,500 TPS offered',
      },
    ],
    stress: {
      breakingPointTps: 1500,
      firstSignal: 'knee',
      signals: [
        { kind: 'knee', offeredTps: 1500, achievedTps: 1490, at: T0 + 600_000 },
        { kind: 'p95', offeredTps: 1700, at: T0 + 700_000 },
        { kind: 'error-rate', offeredTps: 1850, at: T0 + 760_000 },
      ],
      firstComponentToFail: {
        subject: 'central-ledger',
        metric: 'container_cpu_cfs_throttled_periods_total',
        at: T0 + 590_000,
        detail: 'throttled 60% of periods',
      },
      errorTypes: { 'http:503': 4200, timeout: 800 },
      recovery: {
        recovered: true,
        seconds: 42,
        detail: 'success rate back above 99.5% 42 s after the load dropped',
      },
      curve,
      usl: {
        lambda: 1,
        sigma: 0,
        kappa: 1e-7,
        rSquared: 0.97,
        predictedPeak: { load: 3162, throughput: 1581 },
        points: curve.map((c) => ({ offered: c.offered, achieved: c.achieved })),
      },
    },
  });
}
