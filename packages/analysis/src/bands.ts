import type { Band, BandMetric, MetricBand } from '@mlperf/core';

/**
 * The seed's Critical Metrics table. Mirrors core's DEFAULT_BANDS / classifyMetric (foundation
 * branch); kept behind `classify()` so the switch to core's function is one line.
 */
export const SEED_BANDS: readonly MetricBand[] = [
  {
    metric: 'tps',
    label: 'TPS Achieved',
    unit: 'tps',
    better: 'higher',
    relative: true,
    target: 1,
    warning: 0.95,
    critical: 0.9,
  },
  {
    metric: 'success-rate',
    label: 'Success Rate',
    unit: 'ratio',
    better: 'higher',
    target: 0.995,
    warning: 0.99,
    critical: 0.95,
  },
  {
    metric: 'p95-latency',
    label: 'P95 Latency',
    unit: 'ms',
    better: 'lower',
    target: 300,
    warning: 400,
    critical: 500,
  },
  {
    metric: 'cpu',
    label: 'CPU Usage',
    unit: 'ratio',
    better: 'lower',
    target: 0.7,
    warning: 0.8,
    critical: 0.9,
  },
  {
    metric: 'memory',
    label: 'Memory Usage',
    unit: 'ratio',
    better: 'lower',
    target: 0.7,
    warning: 0.8,
    critical: 0.9,
  },
  {
    metric: 'error-rate',
    label: 'Error Rate',
    unit: 'ratio',
    better: 'lower',
    target: 0.005,
    warning: 0.01,
    critical: 0.05,
  },
];

export function bandOf(metric: BandMetric, bands: readonly MetricBand[] | undefined): MetricBand {
  return (bands?.find((b) => b.metric === metric) ??
    SEED_BANDS.find((b) => b.metric === metric)) as MetricBand;
}

/** Which band `value` falls in; undefined when it cannot be classified (no planned rate for TPS). */
export function classify(
  metric: BandMetric,
  value: number,
  opts: { plannedTps?: number; bands?: readonly MetricBand[] } = {},
): Band | undefined {
  if (!Number.isFinite(value)) return undefined;
  const b = bandOf(metric, opts.bands);
  let { target, warning, critical } = b;
  if (b.relative) {
    const p = opts.plannedTps;
    if (p === undefined || !(p > 0)) return undefined;
    target *= p;
    warning *= p;
    critical *= p;
  }
  if (b.better === 'higher') {
    if (value < critical) return 'critical';
    if (value < warning) return 'warning';
    return value >= target ? 'target' : 'ok';
  }
  if (value > critical) return 'critical';
  if (value > warning) return 'warning';
  return value <= target ? 'target' : 'ok';
}
