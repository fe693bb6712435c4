import type { RunTotals } from '@mlperf/core';
import { K6_METRICS } from './options.js';
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

/** Run totals from a (merged) k6 summary: started, dropped, succeeded, failed by error type. */
export function totalsFromSummary(s: K6HandleSummary): RunTotals {
  const v = (name: string, key: string) => s.metrics[name]?.values[key] ?? 0;
  const succeeded = v(K6_METRICS.success, 'passes');
  const failedAll = v(K6_METRICS.success, 'fails');
  const dropped = v('dropped_iterations', 'count');
  const failed: Record<string, number> = {};
  let typed = 0;
  for (const t of K6_ERROR_TYPES) {
    const n = v(`${K6_METRICS.success}{error_type:${t}}`, 'fails');
    if (n > 0) {
      failed[t] = n;
      typed += n;
    }
  }
  if (failedAll > typed) failed.other = failedAll - typed;
  const started = succeeded + failedAll;
  return { offered: started + dropped, started, dropped, succeeded, failed, unfinished: 0 };
}
