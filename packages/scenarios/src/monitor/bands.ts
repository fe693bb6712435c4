import type { Band, BandMetric, MetricBand } from '@mlperf/core';

/** The seed's Critical Metrics table (TPS relative to the planned rate). */
const TABLE: MetricBand[] = [
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

/** Band of a live value; undefined when it cannot be judged (TPS without a planned rate). */
export function bandOf(
  metric: BandMetric,
  value: number,
  options: { plannedTps?: number; bands?: readonly MetricBand[] } = {},
): Band | undefined {
  const b = options.bands?.find((x) => x.metric === metric) ?? TABLE.find((x) => x.metric === metric);
  if (!b || !Number.isFinite(value)) return undefined;
  const f = b.relative ? (options.plannedTps ?? 0) : 1;
  if (b.relative && !(f > 0)) return undefined;
  if (b.better === 'higher') {
    if (value < b.critical * f) return 'critical';
    if (value < b.warning * f) return 'warning';
    return value >= b.target * f ? 'target' : 'ok';
  }
  if (value > b.critical * f) return 'critical';
  if (value > b.warning * f) return 'warning';
  return value <= b.target * f ? 'target' : 'ok';
}
