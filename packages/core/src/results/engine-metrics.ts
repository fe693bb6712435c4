/**
 * Names of the metrics the load engine serves on its /metrics endpoint (k6-like, `mlperf_` prefix,
 * so they never collide with a real k6's remote-write names). The PromQL catalogue queries them.
 */
export const ENGINE_METRICS = {
  /** Counter {outcome, error_type, corridor}: finished transfers. outcome = success|fspiop-error|http-error|timeout|connection-error. */
  transfers: 'mlperf_transfers_total',
  /** Counter {corridor}: arrivals that started (k6 iterations). */
  iterations: 'mlperf_iterations_total',
  /** Counter: arrivals the profile prescribed. */
  offered: 'mlperf_offered_iterations_total',
  /** Counter: arrivals that could not start (k6 dropped_iterations). */
  dropped: 'mlperf_dropped_iterations_total',
  /** Histogram {corridor}, seconds: prepare intended start -> payer's COMMITTED callback (coordinated-omission corrected). */
  transferDuration: 'mlperf_transfer_duration_seconds',
  /** Histogram {corridor}, seconds: actual send -> COMMITTED callback. */
  serviceDuration: 'mlperf_transfer_service_duration_seconds',
  /** Histogram, seconds: POST /transfers -> HTTP 202. */
  prepareAck: 'mlperf_prepare_ack_duration_seconds',
  /** Gauge: transfers in flight (k6 vus analogue). */
  inFlight: 'mlperf_inflight_transfers',
  /** Gauge: arrival rate the profile prescribes now (TPS). */
  targetRate: 'mlperf_target_rate',
  /** Gauge, seconds: p99 of arrival scheduling lag over the last second. */
  schedulingLag: 'mlperf_engine_scheduling_lag_seconds',
} as const;
