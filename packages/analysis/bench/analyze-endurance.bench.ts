// Analysis of a generated 2-hour 1000 TPS endurance results directory (target: < 5 s).
// Each second carries HDR histograms (end-to-end and per corridor), as the engine writes them,
// and metrics/ holds 15-s Prometheus exports for four services.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LatencySnapshot, MetricsExport, TimeseriesRecord } from '@mlperf/core';
import { ResultsWriter } from '@mlperf/core';
import { analyzeRun, snapshotOf } from '../src/index.js';

const SECONDS = 7200;
const RATE = 1000;
const base = mkdtempSync(join(tmpdir(), 'mlperf-bench-endurance-'));
let seed = 42;
const rnd = () => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
};
const latencies = (n: number, median: number) =>
  Array.from(
    { length: n },
    () => median * Math.exp(0.4 * Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd())),
  );
// A pool of real per-second histograms, reused across seconds (each record is parsed into its own object).
const pool: LatencySnapshot[] = Array.from(
  { length: 40 },
  (_, i) => snapshotOf(latencies(RATE, 40 + i)) as LatencySnapshot,
);
const corridorPool = [0.4, 0.25, 0.2, 0.15].map((w) =>
  Array.from(
    { length: 10 },
    (_, i) => snapshotOf(latencies(Math.round(RATE * w), 40 + i)) as LatencySnapshot,
  ),
);
const corridors = [
  'perffsp-1->perffsp-5',
  'perffsp-2->perffsp-6',
  'perffsp-3->perffsp-7',
  'perffsp-4->perffsp-8',
];

try {
  const t0 = performance.now();
  const start = Date.UTC(2026, 10, 27, 8, 0, 0);
  const w = ResultsWriter.create(
    base,
    {
      runId: 'endurance-bench',
      testId: 'endurance-1000tps',
      testName: 'Endurance Test (1000 TPS for 2 hours)',
      definition: {
        test: {
          id: 'endurance-1000tps',
          name: 'Endurance',
          kind: 'endurance',
          stages: [{ kind: 'constant', rate: RATE, duration: '2h' }],
          warmup: '5m',
          cooldown: '2m',
          criteria: [
            { kind: 'achieved-rate', minRatio: 0.99 },
            { kind: 'success-rate', min: 0.995 },
            { kind: 'latency', percentile: 95, maxMs: 300 },
            { kind: 'latency', percentile: 99, maxMs: 500 },
            { kind: 'error-rate', max: 0.005 },
            { kind: 'no-service-failures' },
            { kind: 'no-memory-leak' },
          ],
        },
        dfsps: Array.from({ length: 8 }, (_, i) => ({
          id: `perffsp-${i + 1}`,
          currency: 'USD',
          initialPosition: 0,
          liquidity: i < 4 ? 1e6 : 0,
          netDebitCap: i < 4 ? 1e6 : 0,
        })),
        corridors: corridors.map((name, i) => ({
          payer: `perffsp-${i + 1}`,
          payee: `perffsp-${i + 5}`,
          weight: [0.4, 0.25, 0.2, 0.15][i] as number,
          name,
        })),
        transfer: { amount: '0.10', expiration: '30s' },
      },
      target: { kind: 'embedded', url: 'http://127.0.0.1:0' },
      executor: { kind: 'local' },
      versions: {},
      host: { hostname: 'bench', platform: 'linux', cpus: 2, memoryBytes: 0 },
      startedAt: new Date(start).toISOString(),
      stages: [
        {
          index: 0,
          name: 'constant',
          kind: 'constant',
          startS: 0,
          endS: SECONDS,
          fromRate: RATE,
          toRate: RATE,
        },
      ],
    },
    { dirName: 'endurance-1000tps', minFreeBytes: 0 },
  );
  for (let s = 0; s < SECONDS; s++) {
    const failed: Record<string, number> = s % 97 === 0 ? { 'fspiop:4001': 1 } : {};
    const rec: TimeseriesRecord = {
      t: start + s * 1000,
      s,
      stage: 0,
      offeredRate: RATE,
      offered: RATE,
      started: RATE,
      dropped: 0,
      succeeded: RATE - (s % 97 === 0 ? 1 : 0),
      failed,
      inFlight: 40,
      latency: { e2e: pool[s % pool.length] as LatencySnapshot },
      corridors: Object.fromEntries(
        corridors.map((c, i) => [
          c,
          {
            offered: 0,
            started: 0,
            dropped: 0,
            succeeded: Math.round(RATE * ([0.4, 0.25, 0.2, 0.15][i] as number)),
            failed: {},
            e2e: (corridorPool[i] as LatencySnapshot[])[s % 10] as LatencySnapshot,
          },
        ]),
      ),
      engine: { cpu: 0.4, rssBytes: 2e8, eventLoopLagP99Ms: 3, schedulingLagP99Ms: 1 },
    };
    w.appendSecond(rec);
  }
  const services = ['ml-api-adapter', 'central-ledger', 'account-lookup', 'quoting'];
  const exp = (
    name: string,
    query: string,
    f: (svc: string, t: number) => number,
    label = 'container',
  ): MetricsExport => ({
    schemaVersion: 1,
    name,
    query,
    start: start / 1000,
    end: start / 1000 + SECONDS,
    step: 15,
    source: 'prometheus',
    resultType: 'matrix',
    result: services.map((svc) => ({
      metric: { [label]: svc },
      values: Array.from(
        { length: SECONDS / 15 + 1 },
        (_, i) => [start / 1000 + i * 15, String(f(svc, i * 15))] as [number, string],
      ),
    })),
  });
  w.writeMetricsExport(
    exp(
      'memory_working_set_bytes',
      'sum by (namespace, pod, container) (container_memory_working_set_bytes{container!=""})',
      (svc, t) => 4e8 + (svc === 'central-ledger' ? 2e4 * t : 0) + 5e6 * rnd(),
    ),
  );
  w.writeMetricsExport(
    exp(
      'memory_working_set_ratio',
      'container_memory_working_set_bytes / container_spec_memory_limit_bytes',
      () => 0.4 + 0.01 * rnd(),
    ),
  );
  w.writeMetricsExport(
    exp(
      'cpu_usage_ratio',
      'rate(container_cpu_usage_seconds_total[1m]) / (container_spec_cpu_quota / container_spec_cpu_period)',
      () => 0.5 + 0.05 * rnd(),
    ),
  );
  w.writeMetricsExport(
    exp(
      'cpu_throttling_ratio',
      'rate(container_cpu_cfs_throttled_periods_total[1m]) / rate(container_cpu_cfs_periods_total[1m])',
      () => 0.02 * rnd(),
    ),
  );
  w.writeMetricsExport(
    exp(
      'event_loop_lag_seconds',
      'max by (job, instance) (nodejs_eventloop_lag_p99_seconds)',
      () => 0.005 * rnd(),
      'job',
    ),
  );
  w.writeMetricsExport(exp('service_up', 'up', () => 1, 'job'));
  w.writeK6Summary({ metrics: {} });
  w.finish('completed');
  console.log(
    `generated ${SECONDS} s x ${RATE} TPS (${((await import('node:fs')).statSync(join(w.dir, 'timeseries.ndjson')).size / 1e6) | 0} MB timeseries) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  for (let i = 0; i < Number(process.env.BENCH_ROUNDS ?? 3); i++) {
    const t = performance.now();
    const cpu0 = process.cpuUsage();
    const r = analyzeRun(w.dir);
    const ms = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    console.log(
      `analyzeRun (2 h @ 1000 TPS): ${(ms / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU  [target < 5 s]  verdict ${r.verdict}, findings ${r.findings.map((f) => f.kind).join(',') || 'none'}, p95 ${r.keyMetrics.find((k) => k.metric === 'p95-latency')?.value} ms, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
    );
  }
} finally {
  rmSync(base, { recursive: true, force: true });
}
