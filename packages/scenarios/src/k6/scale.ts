import type { TestDefinition } from '@mlperf/core';
import { expectedLatencyMs, peakRate, vuPools } from './options.js';

/**
 * Planning figures for k6 runners. One iteration is a POST /transfers, a long-poll GET of its
 * outcome, an HMAC and a SHA-256: budget 400 iterations/s per vCPU, at most 2 vCPU and 3000 VUs
 * per runner pod, 2 MiB per VU on top of 128 MiB for the k6 process.
 */
export const K6_SCALE = {
  iterationsPerCpu: 400,
  maxCpuPerRunner: 2,
  maxVusPerRunner: 3000,
  mibPerVu: 2,
  baseMib: 128,
} as const;

export interface K6ScaleAdvice {
  testId: string;
  /** Highest planned arrival rate, TPS. */
  peakRate: number;
  /** VUs the whole test may use at its peak (all runners together). */
  maxVUs: number;
  preAllocatedVUs: number;
  /** Runner pods (TestRun `spec.parallelism`). */
  parallelism: number;
  /** Per runner pod, Kubernetes quantities. */
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  /** CPU of all runners together, vCPU (requests). */
  totalCpu: number;
  /** One sentence per reason, for the manifests' header and `mlperf check`. */
  notes: string[];
}

const milli = (cpu: number) => `${Math.ceil(cpu * 1000)}m`;

/** How many k6 runner pods, and how much CPU and memory each, a test needs for its planned peak. */
export function k6ScaleAdvice(
  test: TestDefinition,
  options: { expectedLatencyMs?: number } = {},
): K6ScaleAdvice {
  const peak = peakRate(test);
  const latency = expectedLatencyMs(test, options.expectedLatencyMs);
  const pools = vuPools(peak, latency, test.maxInFlight);
  const maxRatePerRunner = K6_SCALE.iterationsPerCpu * K6_SCALE.maxCpuPerRunner;
  const byRate = Math.ceil(peak / maxRatePerRunner);
  const byVus = Math.ceil(pools.maxVUs / K6_SCALE.maxVusPerRunner);
  const parallelism = Math.max(1, byRate, byVus);
  const cpu = Math.max(
    0.25,
    Math.min(K6_SCALE.maxCpuPerRunner, peak / parallelism / K6_SCALE.iterationsPerCpu),
  );
  const memMib = K6_SCALE.baseMib + Math.ceil(pools.maxVUs / parallelism) * K6_SCALE.mibPerVu;
  const notes = [
    `peak ${fmt(peak)} TPS x ~${latency} ms per transfer: ${pools.preAllocatedVUs} VUs pre-allocated, up to ${pools.maxVUs}`,
    `${parallelism} runner pod${parallelism === 1 ? '' : 's'} (at most ${maxRatePerRunner} TPS and ${K6_SCALE.maxVusPerRunner} VUs each)` +
      (byVus > byRate ? ', sized by VUs' : ''),
    `each runner: ${milli(cpu)} CPU (${K6_SCALE.iterationsPerCpu} transfers/s per vCPU), ${memMib}Mi memory; ` +
      `${fmt(cpu * parallelism)} vCPU in total`,
  ];
  return {
    testId: test.id,
    peakRate: peak,
    maxVUs: pools.maxVUs,
    preAllocatedVUs: pools.preAllocatedVUs,
    parallelism,
    resources: {
      requests: { cpu: milli(cpu), memory: `${memMib}Mi` },
      limits: {
        cpu: milli(Math.min(K6_SCALE.maxCpuPerRunner, cpu * 1.5)),
        memory: `${Math.ceil(memMib * 1.5)}Mi`,
      },
    },
    totalCpu: Math.round(cpu * parallelism * 100) / 100,
    notes,
  };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
