import type { MetricsExport, TimeWindow } from '@mlperf/core';
import {
  counterRate,
  findExports,
  isDerived,
  isRatio,
  ratioSeries,
  type Series,
  seriesOf,
} from './metrics.js';

/**
 * The USE signals the bottleneck rules read, built from whatever the metrics/ exports hold: the
 * PromQL catalogue's named queries (`db_connections_ratio` ...) or raw exporter metrics
 * (`mysql_global_status_threads_connected` ...), matched by name or by the metric names in the query.
 */
export interface Signals {
  /** Connections in use / max connections, 0..1. */
  dbConnections: Series[];
  /** Seconds waited for a pool connection (p95 or mean). */
  dbPoolWait: Series[];
  /** Queries queued for a pool connection. */
  dbPoolPending: Series[];
  /** Consumer lag in messages, per group / topic / partition (or aggregated). */
  kafkaLag: Series[];
  /** Lag growth in messages per second. */
  kafkaLagGrowth: Series[];
  /** Throttled CFS periods / all periods, 0..1. */
  cpuThrottling: Series[];
  /** CPU used / CPU limit, 0..1. */
  cpuUsage: Series[];
  /** Working set / memory limit, 0..1. */
  memoryRatio: Series[];
  /** Working set (or RSS) in bytes. */
  memoryBytes: Series[];
  memoryLimit: Series[];
  /** Event-loop lag in seconds. */
  eventLoopLag: Series[];
  /** 1 up, 0 down. */
  serviceUp: Series[];
  /** Container restart counters. */
  restarts: Series[];
  /** CPU used by each of the target's processes, in cores (process_cpu_seconds_total rate); the generator excluded. */
  processCpu: Series[];
}

const RAW = {
  threadsConnected: 'mysql_global_status_threads_connected',
  maxConnections: 'mysql_global_variables_max_connections',
  lag: 'kafka_consumergroup_lag',
  throttled: 'container_cpu_cfs_throttled_periods_total',
  periods: 'container_cpu_cfs_periods_total',
  cpu: 'container_cpu_usage_seconds_total',
  workingSet: 'container_memory_working_set_bytes',
  limit: 'container_spec_memory_limit_bytes',
  rss: 'process_resident_memory_bytes',
  eventLoop: 'nodejs_eventloop_lag_p99_seconds',
  restarts: 'kube_pod_container_status_restarts_total',
  processCpu: 'process_cpu_seconds_total',
} as const;

function all(exps: MetricsExport[], w?: TimeWindow): Series[] {
  return exps.flatMap((e) => seriesOf(e, w));
}

function pick(
  metrics: Record<string, MetricsExport>,
  names: string[],
  raw: string[],
  pred: (e: MetricsExport) => boolean = () => true,
): MetricsExport[] {
  return findExports(metrics, { names, raw }).filter(pred);
}

export function extractSignals(metrics: Record<string, MetricsExport>, w?: TimeWindow): Signals {
  const ratio = (e: MetricsExport) => isRatio(e);
  const plain = (e: MetricsExport) => !isRatio(e);

  let dbConnections = all(
    findExports(metrics, {
      names: ['db_connections_ratio'],
      raw: [],
      allRaw: [RAW.threadsConnected, RAW.maxConnections],
    }),
    w,
  );
  if (dbConnections.length === 0) {
    const num = all(pick(metrics, [], [RAW.threadsConnected], plain), w);
    const den = all(pick(metrics, [], [RAW.maxConnections], plain), w);
    dbConnections = ratioSeries(num, den, false, 'db_connections_ratio');
  }
  const dbPoolWait = inSeconds(
    pick(
      metrics,
      ['db_pool_wait', 'db_pool_wait_seconds', 'db_pool_wait_p95_ms'],
      ['moja_db_pool_wait_seconds_bucket', 'moja_db_pool_wait_seconds', 'db_pool_wait_seconds'],
      (e) => isDerived(e) || e.name === 'db_pool_wait_p95_ms',
    ),
    w,
  );
  const dbPoolPending = all(pick(metrics, ['db_pool_pending'], ['moja_db_pool_pending']), w);

  const lagExports = pick(metrics, ['kafka_consumer_lag'], [RAW.lag]);
  const kafkaLag = all(
    lagExports.filter(
      (e) => e.name !== 'kafka_consumer_lag_growth' && !/\bderiv\s*\(|\brate\s*\(/.test(e.query ?? ''),
    ),
    w,
  );
  const kafkaLagGrowth = all(
    Object.values(metrics).filter(
      (e) =>
        e.name === 'kafka_consumer_lag_growth' ||
        (lagExports.includes(e) && /\bderiv\s*\(|\brate\s*\(/.test(e.query ?? '')),
    ),
    w,
  );

  let cpuThrottling = all(pick(metrics, ['cpu_throttling_ratio'], [RAW.throttled], ratio), w);
  if (cpuThrottling.length === 0) {
    const num = all(pick(metrics, [], [RAW.throttled], plain));
    const den = all(pick(metrics, [], [RAW.periods], plain));
    const derived = pick(metrics, [], [RAW.throttled], plain).some(isDerived);
    cpuThrottling = clip(ratioSeries(num, den, !derived, 'cpu_throttling_ratio'), w);
  }
  const cpuUsage = all(pick(metrics, ['cpu_usage_ratio'], [RAW.cpu], ratio), w);

  let memoryRatio = all(pick(metrics, ['memory_working_set_ratio'], [RAW.workingSet], ratio), w);
  // Services' memory: the container working set where exported (cAdvisor), else process RSS.
  // The load generator's own memory is never the target's leak.
  const workingSet = all(pick(metrics, ['memory_working_set_bytes'], [RAW.workingSet], plain), w);
  const memoryBytes = (
    workingSet.length > 0
      ? workingSet
      : all(pick(metrics, ['process_resident_memory_bytes'], [RAW.rss], plain), w)
  ).filter((s) => !isLoadGenerator(s.labels));
  const memoryLimit = all(pick(metrics, ['memory_limit_bytes'], [RAW.limit], plain), w);
  if (memoryRatio.length === 0 && memoryBytes.length && memoryLimit.length) {
    memoryRatio = ratioSeries(memoryBytes, memoryLimit, false, 'memory_working_set_ratio');
  }
  // the load generator is scraped too (its up goes to 0 between tests): it is not a service of the hub
  const ofTarget = (s: Series) => !isLoadGenerator(s.labels);
  const eventLoopLag = all(pick(metrics, ['event_loop_lag_seconds'], [RAW.eventLoop]), w).filter(ofTarget);
  const serviceUp = all(
    pick(metrics, ['service_up', 'moja_service_up'], ['up', 'moja_service_up']),
    w,
  ).filter(ofTarget);
  const restarts = all(pick(metrics, ['restarts', 'pod_restarts', 'service_restarts'], [RAW.restarts]), w);
  const processCpu = processCpuOf(metrics, w).filter(ofTarget);
  return {
    dbConnections,
    dbPoolWait,
    dbPoolPending,
    kafkaLag,
    kafkaLagGrowth,
    cpuThrottling,
    cpuUsage,
    memoryRatio,
    memoryBytes,
    memoryLimit,
    eventLoopLag,
    serviceUp,
    restarts,
    processCpu,
  };
}

/** Cores per process: a rate() export as it is, a raw counter turned into its rate. */
function processCpuOf(metrics: Record<string, MetricsExport>, w?: TimeWindow): Series[] {
  const exps = pick(metrics, ['process_cpu_cores'], [RAW.processCpu], (e) => !isRatio(e));
  const derived = all(exps.filter(isDerived), w);
  if (derived.length) return derived;
  return clip(
    all(exps).map((s) => ({ ...s, points: counterRate(s.points) })),
    w,
  );
}

/** Series scraped from the load generator (mlperf's engine, k6), not from the target. */
export function isLoadGenerator(labels: Record<string, string>): boolean {
  return /^(mlperf-engine|mlperf|k6)(\b|-|$)/.test(labels.job ?? '');
}

/** Series of exports in seconds; an export in ms (`unit: 'ms'`, `_ms` name) is converted. */
function inSeconds(exps: MetricsExport[], w?: TimeWindow): Series[] {
  return exps.flatMap((e) => {
    const ms = e.unit === 'ms' || /_ms$/.test(e.name);
    return seriesOf(e, w).map((s) =>
      ms ? { ...s, points: s.points.map(([t, v]) => [t, v / 1000] as [number, number]) } : s,
    );
  });
}

function clip(series: Series[], w?: TimeWindow): Series[] {
  if (!w) return series;
  return series.map((s) => ({ ...s, points: s.points.filter(([t]) => t >= w.start && t < w.end) }));
}

/** Restarts within the window: increase of the counter (or of a rate export's integral). */
export function restartCount(s: Series): number {
  // increase()/rate() over a window: overlapping windows repeat a restart, so take the largest.
  if (isRateLike(s)) return Math.round(s.points.reduce((a, [, v]) => Math.max(a, v), 0));
  const r = counterRate(s.points);
  let total = 0;
  for (let i = 1; i < s.points.length; i++) {
    const dt = ((s.points[i] as [number, number])[0] - (s.points[i - 1] as [number, number])[0]) / 1000;
    total += ((r[i - 1] as [number, number])[1] ?? 0) * dt;
  }
  return Math.round(total);
}

function isRateLike(s: Series): boolean {
  return /\b(increase|rate|changes)\s*\(/.test(s.query);
}
