/**
 * The metric names the Phase-07 plan's validation queries use. Real Mojaloop deployments do not expose
 * them; mlperf's recording rules (recording-rules.ts) define them from the real `moja_` names.
 * Recorded series carry no metadata, so the validator is told these are counters.
 */
export const VALIDATION_METRICS = {
  /** Transfers fulfilled successfully (counter). */
  success: 'mojaloop_transfer_success',
  /** Transfers prepared, successful or not (counter). */
  total: 'mojaloop_transfer_total',
  /** Failed transfers, label `error_type` (counter). */
  error: 'mojaloop_transfer_error',
  /** End-to-end transfer duration histogram in seconds (`_bucket`, `_count`, `_sum`). */
  duration: 'mojaloop_transfer_duration',
} as const;

export const VALIDATION_RECORDED_COUNTERS: readonly string[] = [
  VALIDATION_METRICS.success,
  VALIDATION_METRICS.total,
  VALIDATION_METRICS.error,
];
