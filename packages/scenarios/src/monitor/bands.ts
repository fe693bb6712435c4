import { type Band, type BandMetric, classifyMetric, type MetricBand } from '@mlperf/core';

/** Band of a live value; undefined when it cannot be judged (TPS without a planned rate). */
export function bandOf(
  metric: BandMetric,
  value: number,
  options: { plannedTps?: number; bands?: readonly MetricBand[] } = {},
): Band | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (metric === 'tps' && !((options.plannedTps ?? 0) > 0)) return undefined;
  return classifyMetric(metric, value, {
    ...(options.plannedTps ? { plannedTps: options.plannedTps } : {}),
    ...(options.bands ? { bands: options.bands } : {}),
  });
}
