/**
 * The Prometheus metrics mlperf's own load engine serves on its /metrics endpoint. The catalogue's
 * `engine_*` queries read these names; the engine must expose exactly these (prefix configurable).
 *
 * | name                                   | type      | labels               | meaning                                              |
 * |----------------------------------------|-----------|----------------------|------------------------------------------------------|
 * | mlperf_transfers_offered_total         | counter   |                      | arrivals the load profile prescribed                 |
 * | mlperf_transfers_started_total         | counter   |                      | arrivals that sent a prepare                         |
 * | mlperf_dropped_iterations_total        | counter   |                      | arrivals not started (in-flight cap), k6's dropped_iterations |
 * | mlperf_transfers_total                 | counter   | outcome, error_type  | finished transfers; outcome is a TransferOutcome     |
 * | mlperf_transfer_duration_seconds       | histogram |                      | end-to-end latency from the intended start           |
 * | mlperf_transfers_in_flight             | gauge     |                      | prepares sent and not yet finished (k6's VUs)        |
 * | mlperf_offered_rate                    | gauge     |                      | the rate the profile prescribes now (TPS)            |
 *
 * `outcome` is one of `success`, `fspiop-error`, `http-error`, `timeout`, `connection-error`;
 * `error_type` is the results' error key (`fspiop:4001`, `http:503`, `timeout`, `connection`),
 * empty for successes.
 */
export const ENGINE_METRICS = {
  offered: 'mlperf_transfers_offered_total',
  started: 'mlperf_transfers_started_total',
  dropped: 'mlperf_dropped_iterations_total',
  transfers: 'mlperf_transfers_total',
  duration: 'mlperf_transfer_duration_seconds',
  inFlight: 'mlperf_transfers_in_flight',
  offeredRate: 'mlperf_offered_rate',
} as const;

/** Engine metric names under another prefix (`mlperf_` by default). */
export function engineMetricNames(prefix = 'mlperf_'): Record<keyof typeof ENGINE_METRICS, string> {
  const out = {} as Record<keyof typeof ENGINE_METRICS, string>;
  for (const [key, name] of Object.entries(ENGINE_METRICS) as [keyof typeof ENGINE_METRICS, string][]) {
    out[key] = `${prefix}${name.slice('mlperf_'.length)}`;
  }
  return out;
}
