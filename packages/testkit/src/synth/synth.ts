import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CorridorDefinition,
  DfspDefinition,
  LatencySnapshot,
  MetricsExport,
  RunStatus,
  StageWindow,
  TestDefinition,
  TimeseriesRecord,
} from '@mlperf/core';
import { ResultsWriter } from '@mlperf/core';

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(r: () => number): number {
  const u = Math.max(1e-12, r());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** Summary of a lognormal latency distribution with median `p50` ms and shape `sigma` (no HDR). */
export function lognormalSnapshot(count: number, p50: number, sigma = 0.4): LatencySnapshot {
  const q = (z: number) => p50 * Math.exp(sigma * z);
  return {
    count,
    min: q(-3),
    mean: p50 * Math.exp((sigma * sigma) / 2),
    p50,
    p90: q(1.2816),
    p95: q(1.6449),
    p99: q(2.3263),
    max: q(3.5),
  };
}

export const DFSPS: DfspDefinition[] = Array.from({ length: 8 }, (_, i) => ({
  id: `perffsp-${i + 1}`,
  currency: 'USD',
  initialPosition: 0,
  liquidity: i < 4 ? 1_000_000 : 0,
  netDebitCap: i < 4 ? 1_000_000 : 0,
}));

export const CORRIDORS: CorridorDefinition[] = [
  { payer: 'perffsp-1', payee: 'perffsp-5', weight: 0.4, name: 'perffsp-1->perffsp-5' },
  { payer: 'perffsp-2', payee: 'perffsp-6', weight: 0.25, name: 'perffsp-2->perffsp-6' },
  { payer: 'perffsp-3', payee: 'perffsp-7', weight: 0.2, name: 'perffsp-3->perffsp-7' },
  { payer: 'perffsp-4', payee: 'perffsp-8', weight: 0.15, name: 'perffsp-4->perffsp-8' },
];

export interface SecondSpec {
  offeredRate: number;
  succeeded: number;
  failed?: Record<string, number>;
  dropped?: number;
  p50Ms?: number;
  sigma?: number;
  engine?: TimeseriesRecord['engine'];
  host?: TimeseriesRecord['host'];
  inFlight?: number;
}

export interface ExportSpec {
  name: string;
  query: string;
  series: { labels: Record<string, string>; value: (tS: number) => number }[];
  step?: number;
}

export interface SynthRun {
  test: TestDefinition;
  seconds: number;
  second: (s: number) => SecondSpec;
  stages?: StageWindow[];
  exports?: ExportSpec[];
  status?: Exclude<RunStatus, 'running'> | 'running';
  /** Append a truncated half line at the end (killed mid-write). */
  truncateLastLine?: boolean;
  startMs?: number;
  transferAmount?: string;
  /** Skip k6-summary.json / finish() as a killed process would. */
  killed?: boolean;
  /** The engine's stop rule ended the load (run.json `stopped`). */
  stopped?: { atS: number; rate: number; reason: string };
}

export const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);

/** Writes a results directory through core's ResultsWriter; returns its path. */
export function writeRun(base: string, spec: SynthRun): string {
  const start = spec.startMs ?? T0;
  const stages = spec.stages ?? [
    {
      index: 0,
      name: 'constant',
      kind: 'constant',
      startS: 0,
      ...(spec.killed ? {} : { endS: spec.seconds }),
      fromRate: spec.second(0).offeredRate,
      toRate: spec.second(0).offeredRate,
    },
  ];
  const w = ResultsWriter.create(
    base,
    {
      runId: `${spec.test.id}-synth`,
      testId: spec.test.id,
      testName: spec.test.name,
      definition: {
        test: spec.test,
        dfsps: DFSPS,
        corridors: CORRIDORS,
        transfer: { amount: spec.transferAmount ?? '0.10', expiration: '30s' },
      },
      target: { kind: 'embedded', url: 'http://127.0.0.1:0' },
      executor: { kind: 'local' },
      versions: {},
      host: { hostname: 'test', platform: 'linux', cpus: 2, memoryBytes: 1 },
      startedAt: new Date(start).toISOString(),
      stages,
      ...(spec.stopped ? { stopped: spec.stopped } : {}),
    },
    { dirName: spec.test.id, minFreeBytes: 0 },
  );
  let totSucc = 0;
  const totFailed: Record<string, number> = {};
  for (let s = 0; s < spec.seconds; s++) {
    const x = spec.second(s);
    const failed = x.failed ?? {};
    const nFailed = Object.values(failed).reduce((a, b) => a + b, 0);
    totSucc += x.succeeded;
    for (const [k, v] of Object.entries(failed)) totFailed[k] = (totFailed[k] ?? 0) + v;
    const finished = x.succeeded + nFailed;
    const corridors: TimeseriesRecord['corridors'] = {};
    for (const c of CORRIDORS) {
      const succ = Math.round(x.succeeded * c.weight);
      corridors[c.name as string] = {
        offered: Math.round(x.offeredRate * c.weight),
        started: Math.round((x.succeeded + nFailed) * c.weight),
        dropped: 0,
        succeeded: succ,
        failed: {},
        ...(succ ? { e2e: lognormalSnapshot(succ, x.p50Ms ?? 20, x.sigma) } : {}),
      };
    }
    const rec: TimeseriesRecord = {
      t: start + s * 1000,
      s,
      stage: 0,
      offeredRate: x.offeredRate,
      offered: Math.round(x.offeredRate),
      started: finished,
      dropped: x.dropped ?? 0,
      succeeded: x.succeeded,
      failed,
      inFlight: x.inFlight ?? 10,
      latency: finished
        ? {
            e2e: lognormalSnapshot(finished, x.p50Ms ?? 20, x.sigma),
            dispatch: lognormalSnapshot(
              finished,
              x.engine ? Math.max(0.1, x.engine.schedulingLagP99Ms / 3) : 0.2,
              0.3,
            ),
          }
        : {},
      corridors,
      ...(x.engine ? { engine: x.engine } : {}),
      ...(x.host ? { host: x.host } : {}),
    };
    w.appendSecond(rec);
  }
  for (const e of spec.exports ?? []) {
    const step = e.step ?? 5;
    const exp: MetricsExport = {
      schemaVersion: 1,
      name: e.name,
      query: e.query,
      start: start / 1000,
      end: start / 1000 + spec.seconds,
      step,
      source: 'prometheus',
      resultType: 'matrix',
      result: e.series.map((s) => {
        const values: [number, string][] = [];
        for (let t = 0; t <= spec.seconds; t += step) values.push([start / 1000 + t, String(s.value(t))]);
        return { metric: s.labels, values };
      }),
    };
    w.writeMetricsExport(exp);
  }
  if (spec.killed) return w.dir;
  w.writeK6Summary({ metrics: {} });
  const status = spec.status ?? 'completed';
  if (status !== 'running')
    w.finish(status, {
      totals: { offered: 0, started: 0, dropped: 0, succeeded: totSucc, failed: totFailed, unfinished: 0 },
    });
  return w.dir;
}

const temps: string[] = [];

/** A fresh temp directory `mlperf-<name>-*`, removed by `cleanTemp()` (call it in afterAll). */
export function tempDir(name = 'analysis'): string {
  const dir = mkdtempSync(join(tmpdir(), `mlperf-${name}-`));
  temps.push(dir);
  return dir;
}

export function cleanTemp(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function constantTest(
  id: string,
  rate: number,
  duration: string,
  extra: Partial<TestDefinition> = {},
): TestDefinition {
  return {
    id,
    name: id,
    kind: 'target',
    stages: [{ kind: 'constant', rate, duration }],
    criteria: [
      { kind: 'achieved-rate', minRatio: 0.99 },
      { kind: 'success-rate', min: 0.995 },
      { kind: 'latency', percentile: 95, maxMs: 300 },
      { kind: 'latency', percentile: 99, maxMs: 500 },
      { kind: 'no-service-failures' },
      { kind: 'no-memory-leak' },
      { kind: 'cpu', max: 0.8 },
    ],
    ...extra,
  };
}
