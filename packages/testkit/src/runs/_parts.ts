import type { CriterionResult, KeyMetric } from '@mlperf/core';

type Status = CriterionResult['status'];
type Band = NonNullable<CriterionResult['band']>;

export const T0 = Date.UTC(2026, 10, 27, 8, 0, 0);
export const win = (a: number, b: number) => ({ start: T0 + a * 1000, end: T0 + b * 1000 });

/** The Phase-07 `Achieved 1000+ TPS` criterion at `value` TPS. */
export function rateCriterion(status: Status, value: number, band: Band, detail: string): CriterionResult {
  const limit = { unit: 'tps', threshold: 990, comparator: '>=' } as const;
  return { id: 'achieved-rate', label: 'Achieved 1000+ TPS', status, value, ...limit, band, detail };
}

/** `Success rate > 99.5%` at `value` (a ratio). */
export function successCriterion(status: Status, value: number, band: Band, detail: string): CriterionResult {
  const limit = { unit: 'ratio', threshold: 0.995, comparator: '>' } as const;
  return { id: 'success-rate', label: 'Success rate > 99.5%', status, value, ...limit, band, detail };
}

/** `P95 latency < 300ms` at `value` ms. */
export function p95Criterion(status: Status, value: number, band: Band, detail: string): CriterionResult {
  const limit = { unit: 'ms', threshold: 300, comparator: '<' } as const;
  return { id: 'latency-p95', label: 'P95 latency < 300ms', status, value, ...limit, band, detail };
}

/** One key metric of the report's top row, read from `source`. */
export function keyMetric(
  metric: KeyMetric['metric'],
  label: string,
  value: number,
  unit: string,
  band: Band,
  source = 'timeseries.ndjson',
): KeyMetric {
  return { metric, label, value, unit, band, source };
}
