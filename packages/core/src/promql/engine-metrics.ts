import { ENGINE_METRICS } from '../results/engine-metrics.js';

/**
 * The load engine's metric names (declared once, in core's results/engine-metrics.ts) under
 * another prefix than `mlperf_`, for the catalogue's `engine_*` queries.
 */
export function engineMetricNames(prefix = 'mlperf_'): Record<keyof typeof ENGINE_METRICS, string> {
  const out = {} as Record<keyof typeof ENGINE_METRICS, string>;
  for (const [key, name] of Object.entries(ENGINE_METRICS) as [keyof typeof ENGINE_METRICS, string][]) {
    out[key] = `${prefix}${name.slice('mlperf_'.length)}`;
  }
  return out;
}
