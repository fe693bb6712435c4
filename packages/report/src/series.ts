import type { MetricsExport, TimeseriesRecord } from '@mlperf/core';
import { downsample, type Point } from './downsample.js';

/** Most points a line of a chart keeps; a 2-hour run has 7,200 seconds. */
export const MAX_CHART_POINTS = 600;

export interface RunSeries {
  offered: Point[];
  started: Point[];
  achieved: Point[];
  failed: Point[];
  p50: Point[];
  p95: Point[];
  p99: Point[];
  successRate: Point[];
  errorRate: Point[];
  engineCpu: Point[];
  engineLag: Point[];
  schedulingLag: Point[];
  hasLatency: boolean;
  hasEngine: boolean;
}

const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);

/**
 * Per-second lines of a run, x in minutes since the first record. A missing second becomes a gap,
 * so an interrupted Prometheus or engine never draws a false straight line.
 */
export function runSeries(records: TimeseriesRecord[]): RunSeries {
  const s: RunSeries = {
    offered: [],
    started: [],
    achieved: [],
    failed: [],
    p50: [],
    p95: [],
    p99: [],
    successRate: [],
    errorRate: [],
    engineCpu: [],
    engineLag: [],
    schedulingLag: [],
    hasLatency: false,
    hasEngine: false,
  };
  const first = records[0]?.s ?? 0;
  let prev: number | undefined;
  for (const r of records) {
    const x = (r.s - first) / 60;
    if (prev !== undefined && r.s - prev > 1) {
      const gx = (prev + 1 - first) / 60;
      for (const line of Object.values(s)) if (Array.isArray(line)) line.push([gx, null]);
    }
    prev = r.s;
    const failed = sum(r.failed);
    const finished = r.succeeded + failed;
    s.offered.push([x, r.offeredRate]);
    s.started.push([x, r.started]);
    s.achieved.push([x, r.succeeded]);
    s.failed.push([x, failed]);
    const e2e = r.latency.e2e;
    if (e2e && e2e.count > 0) s.hasLatency = true;
    s.p50.push([x, e2e && e2e.count > 0 ? e2e.p50 : null]);
    s.p95.push([x, e2e && e2e.count > 0 ? e2e.p95 : null]);
    s.p99.push([x, e2e && e2e.count > 0 ? e2e.p99 : null]);
    s.successRate.push([x, finished > 0 ? (100 * r.succeeded) / finished : null]);
    s.errorRate.push([x, finished > 0 ? (100 * failed) / finished : null]);
    if (r.engine) s.hasEngine = true;
    s.engineCpu.push([x, r.engine ? r.engine.cpu * 100 : null]);
    s.engineLag.push([x, r.engine ? r.engine.eventLoopLagP99Ms : null]);
    s.schedulingLag.push([x, r.engine ? r.engine.schedulingLagP99Ms : null]);
  }
  for (const [k, v] of Object.entries(s)) {
    if (Array.isArray(v)) (s as unknown as Record<string, Point[]>)[k] = downsample(v, MAX_CHART_POINTS);
  }
  return s;
}

/** Totals computed from the timeseries, for reports without analysis.json. */
export function timeseriesTotals(records: TimeseriesRecord[]): {
  offered: number;
  started: number;
  succeeded: number;
  failed: number;
  dropped: number;
  durationS: number;
  errorsByType: Record<string, number>;
  corridors: Record<string, { transfers: number; succeeded: number }>;
} {
  const t = {
    offered: 0,
    started: 0,
    succeeded: 0,
    failed: 0,
    dropped: 0,
    durationS: records.length,
    errorsByType: {} as Record<string, number>,
    corridors: {} as Record<string, { transfers: number; succeeded: number }>,
  };
  for (const r of records) {
    t.offered += r.offered;
    t.started += r.started;
    t.dropped += r.dropped;
    t.succeeded += r.succeeded;
    for (const [k, v] of Object.entries(r.failed)) {
      t.failed += v;
      t.errorsByType[k] = (t.errorsByType[k] ?? 0) + v;
    }
    for (const [name, c] of Object.entries(r.corridors)) {
      const acc = t.corridors[name] ?? { transfers: 0, succeeded: 0 };
      acc.transfers += c.succeeded + sum(c.failed);
      acc.succeeded += c.succeeded;
      t.corridors[name] = acc;
    }
  }
  return t;
}

export interface ResourceLines {
  name: string;
  title: string;
  unit: string;
  lines: { label: string; points: Point[] }[];
}

const RESOURCE_PATTERN =
  /cpu|memory|mem_|rss|resident|working_set|throttl|eventloop|event_loop|connections|lag/i;
const LABEL_KEYS = ['service', 'container', 'app', 'pod', 'job', 'instance', 'consumergroup', 'topic'];

/**
 * Resource-use lines from the Prometheus exports (CPU, memory, throttling, pools, lag), one per
 * labelled series, x in minutes since `startMs`. Capped at `maxLines` per export.
 */
export function resourceLines(
  metrics: Record<string, MetricsExport>,
  startMs: number,
  maxLines = 10,
): ResourceLines[] {
  const out: ResourceLines[] = [];
  for (const exp of Object.values(metrics).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!RESOURCE_PATTERN.test(`${exp.name} ${exp.query}`) || exp.result.length === 0) continue;
    const lines = exportLines(exp, startMs, maxLines);
    out.push({ name: exp.name, title: exp.description ?? exp.name, unit: exp.unit ?? '', lines });
  }
  return out;
}

/** The series of one Prometheus export as chart lines (x in minutes since `startMs`, gaps kept). */
export function exportLines(
  exp: MetricsExport,
  startMs: number,
  maxLines = 10,
  labelOf?: (metric: Record<string, string>) => string | undefined,
): { label: string; points: Point[] }[] {
  return exp.result.slice(0, maxLines).map((series) => {
    const label =
      labelOf?.(series.metric) ??
      LABEL_KEYS.map((k) => series.metric[k]).find((v) => v !== undefined) ??
      exp.name;
    const pts: Point[] = [];
    let prevT: number | undefined;
    for (const [t, v] of series.values) {
      if (prevT !== undefined && t - prevT > exp.step * 1.5)
        pts.push([(prevT + exp.step - startMs / 1000) / 60, null]);
      const n = Number(v);
      pts.push([(t - startMs / 1000) / 60, Number.isFinite(n) ? n : null]);
      prevT = t;
    }
    return { label, points: downsample(pts, MAX_CHART_POINTS) };
  });
}
