import type { Band, BandMetric, CriterionResult, TrendResult } from '@mlperf/core';
import { classify } from './bands.js';
import type { RunData } from './model.js';
import type { WindowAggregate } from './series.js';
import type { Signals } from './signals.js';
import type { SteadyState } from './steady-state.js';

export interface CriteriaContext {
  data: RunData;
  steady?: SteadyState;
  /** Aggregate over the steady window (or the whole run for summary-only inputs). */
  agg?: WindowAggregate;
  /** Whole-run totals (for `transfers`). */
  totalSucceeded: number;
  signals: Signals;
  memoryTrends: TrendResult[];
  plannedTps?: number;
}

export const pct = (x: number) => `${Math.round(x * 10000) / 100}%`;
export const r2 = (x: number) => Math.round(x * 100) / 100;

export function result(
  c: Omit<CriterionResult, 'band'>,
  metric?: BandMetric,
  ctx?: CriteriaContext,
): CriterionResult {
  if (metric && c.value !== undefined && ctx) {
    const band: Band | undefined = classify(metric, c.value, {
      ...(ctx.plannedTps ? { plannedTps: ctx.plannedTps } : {}),
      ...(ctx.data.bands ? { bands: ctx.data.bands } : {}),
    });
    if (band) return { ...c, band };
  }
  return c;
}

export function inconclusive(id: string, label: string, detail: string): CriterionResult {
  return { id, label, status: 'inconclusive', detail };
}
