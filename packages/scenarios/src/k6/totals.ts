import type { RunTotals, TimeseriesRecord } from '@mlperf/core';
import { K6_METRICS } from './options.js';
import { totalsOf } from './timeline.js';
import type { K6HandleSummary } from './summary.js';

/**
 * Error types the rendered script reports as their own submetrics (`transfer_success{error_type:X}`),
 * so a summary alone says how many transfers failed for each reason; others count as `other`.
 */
export const K6_ERROR_TYPES = [
  'timeout',
  'connection',
  'aborted',
  'fspiop:3100',
  'fspiop:3303',
  'fspiop:4001',
  'fspiop:4200',
  'fspiop:5105',
  'http:400',
  'http:500',
  'http:502',
  'http:503',
  'http:504',
  'sim:404',
] as const;

/**
 * Run totals of a k6-operator run: outcomes from the DFSP simulator's seconds (where the callbacks
 * arrive), transfers started and dropped from the runners' merged summary (k6's own counts).
 */
export function k8sTotals(records: TimeseriesRecord[], s: K6HandleSummary): RunTotals {
  const v = (name: string, key: string) => s.metrics[name]?.values[key] ?? 0;
  const started = v('iterations', 'count');
  const dropped = v('dropped_iterations', 'count');
  const success = s.metrics[K6_METRICS.success]?.values;
  if (records.length === 0 && success) {
    // No simulator seconds, but the script measured outcomes in k6 itself.
    const fails = success.fails ?? 0;
    return {
      offered: started + dropped,
      started,
      dropped,
      succeeded: success.passes ?? 0,
      failed: fails ? { other: fails } : {},
      unfinished: 0,
    };
  }
  const t = totalsOf(records);
  const outcomes = t.succeeded + Object.values(t.failed).reduce((a, b) => a + b, 0);
  const failed = { ...t.failed };
  // Prepares k6 sent that reached no outcome at the simulator: refused or expired.
  if (started > outcomes) failed.unfinished = (failed.unfinished ?? 0) + started - outcomes;
  return { ...t, offered: started + dropped, started, dropped, failed };
}
