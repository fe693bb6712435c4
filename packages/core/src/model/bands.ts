import { MlperfError } from '../errors.js';
import type { Band, BandMetric, MetricBand } from './types.js';

/**
 * The Phase-07 plan's "Critical Metrics to Watch" table as data. Ratios are fractions (0.995 = 99.5%).
 * TPS is relative to the test's planned rate: at 1000 TPS planned, warning is < 950, critical < 900.
 * Reading: the target is met at or beyond `target`; warning and critical are strict, as in the
 * table ("< 950", "> 400ms"); anything between the target and the warning level is `ok`.
 */
export const DEFAULT_BANDS: readonly MetricBand[] = Object.freeze([
  band({
    metric: 'tps',
    label: 'TPS Achieved',
    unit: 'tps',
    better: 'higher',
    relative: true,
    target: 1,
    warning: 0.95,
    critical: 0.9,
  }),
  band({
    metric: 'success-rate',
    label: 'Success Rate',
    unit: 'ratio',
    better: 'higher',
    target: 0.995,
    warning: 0.99,
    critical: 0.95,
  }),
  band({
    metric: 'p95-latency',
    label: 'P95 Latency',
    unit: 'ms',
    better: 'lower',
    target: 300,
    warning: 400,
    critical: 500,
  }),
  band({
    metric: 'cpu',
    label: 'CPU Usage',
    unit: 'ratio',
    better: 'lower',
    target: 0.7,
    warning: 0.8,
    critical: 0.9,
  }),
  band({
    metric: 'memory',
    label: 'Memory Usage',
    unit: 'ratio',
    better: 'lower',
    target: 0.7,
    warning: 0.8,
    critical: 0.9,
  }),
  band({
    metric: 'error-rate',
    label: 'Error Rate',
    unit: 'ratio',
    better: 'lower',
    target: 0.005,
    warning: 0.01,
    critical: 0.05,
  }),
]);

export const BAND_METRICS: readonly BandMetric[] = Object.freeze(DEFAULT_BANDS.map((b) => b.metric));

function band(b: MetricBand): MetricBand {
  return Object.freeze(b);
}

export interface ClassifyOptions {
  /** The test's planned rate; required for relative bands (TPS). */
  plannedTps?: number;
  /** Bands to use instead of `DEFAULT_BANDS` (a suite's `bands`). */
  bands?: readonly MetricBand[];
}

/** Finds the band of `metric`, turning a relative band into absolute numbers when `plannedTps` is given. */
export function resolveBand(metric: BandMetric, options: ClassifyOptions = {}): MetricBand {
  const bands = options.bands ?? DEFAULT_BANDS;
  const found = bands.find((b) => b.metric === metric) ?? DEFAULT_BANDS.find((b) => b.metric === metric);
  if (!found) {
    throw new MlperfError('BAND_UNKNOWN_METRIC', `unknown metric "${String(metric)}"`, {
      hint: `use one of: ${BAND_METRICS.join(', ')}`,
    });
  }
  if (!found.relative) return found;
  const planned = options.plannedTps;
  if (planned === undefined || !Number.isFinite(planned) || planned <= 0) {
    throw new MlperfError('BAND_NEEDS_PLANNED_RATE', `metric "${metric}" is relative to the planned rate`, {
      hint: "pass { plannedTps } (the test's planned TPS, > 0) to classify it",
    });
  }
  return {
    ...found,
    relative: false,
    target: found.target * planned,
    warning: found.warning * planned,
    critical: found.critical * planned,
  };
}

/** Which band of the Critical Metrics table `value` falls in. */
export function classifyMetric(metric: BandMetric, value: number, options: ClassifyOptions = {}): Band {
  if (!Number.isFinite(value)) {
    throw new MlperfError(
      'BAND_BAD_VALUE',
      `metric "${metric}": value ${String(value)} is not a finite number`,
      {
        hint: 'pass the measured value as a number (ratios as fractions: 0.995 for 99.5%)',
      },
    );
  }
  const b = resolveBand(metric, options);
  if (b.better === 'higher') {
    if (value < b.critical) return 'critical';
    if (value < b.warning) return 'warning';
    return value >= b.target ? 'target' : 'ok';
  }
  if (value > b.critical) return 'critical';
  if (value > b.warning) return 'warning';
  return value <= b.target ? 'target' : 'ok';
}
