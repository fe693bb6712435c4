import type { AnalysisResult, LatencySnapshot, MetricsExport, TimeseriesRecord } from '@mlperf/core';
import { ResultsWriter, writeFileAtomic } from '@mlperf/core';
import { join } from 'node:path';

export interface RunShape {
  testId: string;
  testName?: string;
  kind?: 'baseline' | 'scale' | 'target' | 'endurance' | 'stress';
  seconds: number;
  tps: number;
  /** Stress: the rate rises linearly from 0 to `tps` and the hub saturates at `capacity`. */
  capacity?: number;
  errorEvery?: number;
  errorType?: string;
  status?: 'completed' | 'aborted' | 'running';
  /** Skip every latency snapshot (an import without histograms). */
  noLatency?: boolean;
  /** Seconds missing in the middle (a gap). */
  gapAt?: number;
  metrics?: boolean;
  startMs?: number;
  suiteName?: string;
}

export const CORRIDORS = [
  { payer: 'perffsp-1', payee: 'perffsp-5', weight: 0.4, name: 'perffsp-1->perffsp-5' },
  { payer: 'perffsp-2', payee: 'perffsp-6', weight: 0.25, name: 'perffsp-2->perffsp-6' },
  { payer: 'perffsp-3', payee: 'perffsp-7', weight: 0.2, name: 'perffsp-3->perffsp-7' },
  { payer: 'perffsp-4', payee: 'perffsp-8', weight: 0.15, name: 'perffsp-4->perffsp-8' },
];

function snap(count: number, base: number): LatencySnapshot {
  return {
    count,
    min: base * 0.3,
    mean: base,
    p50: base * 0.9,
    p90: base * 1.5,
    p95: base * 1.8,
    p99: base * 2.6,
    max: base * 4,
  };
}

/** Writes a results directory through the real ResultsWriter; returns its path. */
export function makeRun(baseDir: string, shape: RunShape): string {
  const startMs = shape.startMs ?? Date.UTC(2026, 10, 27, 8, 0, 0);
  const w = ResultsWriter.create(
    baseDir,
    {
      runId: `${shape.testId}-run`,
      testId: shape.testId,
      testName: shape.testName ?? shape.testId,
      ...(shape.suiteName ? { suiteName: shape.suiteName } : {}),
      definition: {
        test: {
          id: shape.testId,
          name: shape.testName ?? shape.testId,
          kind: shape.kind ?? 'target',
          stages: [{ kind: 'constant', rate: shape.tps, duration: `${shape.seconds}s` }],
          criteria: [{ kind: 'success-rate', min: 0.995 }],
          expected: { transfers: shape.tps * shape.seconds, successRate: 0.995, p95Ms: 300 },
        },
        dfsps: [
          'perffsp-1',
          'perffsp-2',
          'perffsp-3',
          'perffsp-4',
          'perffsp-5',
          'perffsp-6',
          'perffsp-7',
          'perffsp-8',
        ].map((id, i) => ({
          id,
          currency: 'USD',
          initialPosition: 0,
          liquidity: i < 4 ? 1e6 : 0,
          netDebitCap: i < 4 ? 1e6 : 0,
        })),
        corridors: CORRIDORS,
        transfer: { amount: '0.10', expiration: '30s' },
      },
      target: { kind: 'embedded', url: 'http://127.0.0.1:4000', hubProfile: 'healthy' },
      executor: { kind: 'local', version: '0.1.0' },
      versions: { mlperf: '0.1.0', node: process.version },
      host: { hostname: 'test-host', platform: 'linux', cpus: 2, memoryBytes: 8e9 },
      startedAt: new Date(startMs).toISOString(),
      stages: [
        {
          index: 0,
          name: 'constant',
          kind: 'constant',
          startS: 0,
          endS: shape.seconds,
          fromRate: shape.tps,
          toRate: shape.tps,
        },
      ],
    },
    { dirName: shape.testId, minFreeBytes: 0 },
  );
  let succeededTotal = 0;
  const failedTotal: Record<string, number> = {};
  for (let s = 0; s < shape.seconds; s++) {
    if (shape.gapAt !== undefined && s >= shape.gapAt && s < shape.gapAt + 30) continue;
    const rate = shape.kind === 'stress' ? (shape.tps * (s + 1)) / shape.seconds : shape.tps;
    const achieved = Math.min(rate, shape.capacity ?? Number.POSITIVE_INFINITY);
    const errors =
      shape.errorEvery && s % shape.errorEvery === 0 ? Math.max(1, Math.round(achieved * 0.02)) : 0;
    const ok = Math.round(achieved) - errors;
    const type = shape.errorType ?? 'fspiop:4001';
    const failed: Record<string, number> = errors > 0 ? { [type]: errors } : {};
    succeededTotal += ok;
    if (errors > 0) failedTotal[type] = (failedTotal[type] ?? 0) + errors;
    const overload = shape.capacity && rate > shape.capacity ? rate / shape.capacity : 1;
    const base = (20 + 5 * Math.sin(s / 30)) * overload * overload;
    const corridors: TimeseriesRecord['corridors'] = {};
    for (const c of CORRIDORS) {
      const n = Math.round(ok * c.weight);
      corridors[c.name] = {
        offered: Math.round(rate * c.weight),
        started: Math.round(achieved * c.weight),
        dropped: 0,
        succeeded: n,
        failed: c.weight === 0.4 && errors > 0 ? failed : {},
        ...(shape.noLatency ? {} : { e2e: snap(n, base * (1 + c.weight)) }),
      };
    }
    w.appendSecond({
      t: startMs + s * 1000,
      s,
      stage: 0,
      offeredRate: rate,
      offered: Math.round(rate),
      started: Math.round(achieved),
      dropped: Math.round(rate - achieved),
      succeeded: ok,
      failed,
      inFlight: Math.round(achieved * base) / 1000,
      latency: shape.noLatency
        ? {}
        : { e2e: snap(ok, base), service: snap(ok, base * 0.9), ack: snap(ok, 3) },
      corridors,
      engine: {
        cpu: 0.2 + 0.3 * (rate / (shape.tps || 1)),
        rssBytes: 80e6 + s * 1000,
        eventLoopLagP99Ms: 2,
        schedulingLagP99Ms: 1,
      },
    });
  }
  if (shape.metrics !== false) {
    for (const exp of resourceExports(startMs, shape.seconds)) w.writeMetricsExport(exp);
  }
  const total = Object.values(failedTotal).reduce((a, b) => a + b, 0);
  if (shape.status === 'running') return w.dir;
  w.writeK6Summary({ metrics: { iterations: { count: succeededTotal + total } } });
  w.finish(shape.status ?? 'completed', {
    ...(shape.status === 'aborted' ? { reason: 'stopped by the operator (SIGINT)' } : {}),
    totals: {
      offered: shape.tps * shape.seconds,
      started: succeededTotal + total,
      dropped: 0,
      succeeded: succeededTotal,
      failed: failedTotal,
      unfinished: 0,
    },
  });
  return w.dir;
}

function resourceExports(startMs: number, seconds: number): MetricsExport[] {
  const start = Math.floor(startMs / 1000);
  const step = Math.max(15, Math.ceil(seconds / 480));
  const series = (svc: string, f: (i: number) => number) => {
    const values: [number, string][] = [];
    for (let t = 0, i = 0; t <= seconds; t += step, i++) values.push([start + t, String(f(i))]);
    return { metric: { container: svc, pod: `${svc}-0` }, values };
  };
  const base = {
    schemaVersion: 1 as const,
    start,
    end: start + seconds,
    step,
    source: 'prometheus' as const,
    resultType: 'matrix' as const,
  };
  return [
    {
      ...base,
      name: 'container_cpu',
      description: 'CPU used per service (cores)',
      unit: 'cores',
      query: 'sum by (container) (rate(container_cpu_usage_seconds_total[1m]))',
      result: ['central-ledger', 'ml-api-adapter', 'account-lookup-service'].map((s, k) =>
        series(s, (i) => 0.5 + k * 0.3 + 0.05 * Math.sin(i / 5)),
      ),
    },
    {
      ...base,
      name: 'container_memory',
      description: 'Memory working set per service',
      unit: 'bytes',
      query: 'sum by (container) (container_memory_working_set_bytes)',
      result: ['central-ledger', 'ml-api-adapter'].map((s, k) =>
        series(s, (i) => 300e6 + k * 100e6 + i * 20e3),
      ),
    },
  ];
}

export function writeAnalysis(dir: string, analysis: object): void {
  writeFileAtomic(join(dir, 'analysis.json'), `${JSON.stringify(analysis, null, 2)}\n`);
}

export type { AnalysisResult };
