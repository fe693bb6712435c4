import type { Band, BandMetric, MetricBand } from '@mlperf/core';
import { classifyMetric, DEFAULT_BANDS } from '@mlperf/core';

export function bandOf(metric: BandMetric, bands: readonly MetricBand[] | undefined): MetricBand {
  return (bands?.find((b) => b.metric === metric) ??
    DEFAULT_BANDS.find((b) => b.metric === metric)) as MetricBand;
}

/** Which band `value` falls in; undefined when it cannot be classified (no planned rate for TPS, not a number). */
export function classify(
  metric: BandMetric,
  value: number,
  opts: { plannedTps?: number; bands?: readonly MetricBand[] } = {},
): Band | undefined {
  if (!Number.isFinite(value)) return undefined;
  if (bandOf(metric, opts.bands).relative && !(opts.plannedTps !== undefined && opts.plannedTps > 0))
    return undefined;
  return classifyMetric(metric, value, opts);
}
