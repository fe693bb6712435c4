import { MlperfError } from '../errors.js';
import type { BandMetric } from '../model/types.js';
import { toSeconds } from './duration.js';
import { engineMetricNames } from './engine-metrics.js';
import { quote } from './builders.js';
import { anyPrefixSelector, DEFAULT_METRIC_PREFIXES, type MetricPrefixes } from './metric-prefixes.js';

export type CatalogueFamily = 'validation' | 'mojaloop' | 'engine' | 'k6' | 'resources' | 'saturation';

export const CATALOGUE_FAMILIES: readonly CatalogueFamily[] = [
  'validation',
  'mojaloop',
  'engine',
  'k6',
  'resources',
  'saturation',
];

export type QueryUnit =
  | 'tps'
  | 'ratio'
  | 'ms'
  | 'seconds'
  | 'bytes'
  | 'cores'
  | 'messages'
  | 'messages/s'
  | 'connections'
  | 'count'
  | 'boolean';

/** A named validation query. `band`: the Critical Metrics row its values are judged against. */
export interface CatalogueQuery {
  name: string;
  title: string;
  description: string;
  promql: string;
  unit: QueryUnit;
  band?: BandMetric;
  family: CatalogueFamily;
  /** Shown in the live view during a run. */
  live?: boolean;
  /** Metric names it rates that are counters (or native histograms) although their names do not say so. */
  counters?: string[];
}

export interface CatalogueOptions {
  /** One prefix for both services' metrics (`moja_`); `prefixes` sets them one by one. */
  prefix?: string;
  /** Per-service prefixes (default `moja_cl_` / `moja_ml_`, the services' own defaults). */
  prefixes?: Partial<MetricPrefixes>;
  /** Prefix of mlperf's engine metrics (`mlperf_`). */
  enginePrefix?: string;
  /** Prefix of k6 remote-write metrics (`k6_`). */
  k6Prefix?: string;
  /** Rate window of the other queries (`1m`); the Phase-07 plan's own queries keep their `[1m]`. */
  window?: string;
  /** Only containers in this Kubernetes namespace (cAdvisor queries). */
  namespace?: string;
  /** Only these families. */
  families?: readonly CatalogueFamily[];
}

const NAME_RE = /^[a-z_][a-z0-9_]*$/;

/** The per-service prefixes a catalogue option set stands for. */
export function resolvePrefixes(options: Pick<CatalogueOptions, 'prefix' | 'prefixes'>): MetricPrefixes {
  const both = options.prefix;
  return {
    ...DEFAULT_METRIC_PREFIXES,
    ...(both !== undefined ? { ledger: both, adapter: both } : {}),
    ...options.prefixes,
  };
}

function checkPrefix(value: string, option: string): string {
  if (value !== '' && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(value)) {
    throw new MlperfError(
      'PROMQL_BAD_PREFIX',
      `catalogue option ${option} is not a metric-name prefix: ${JSON.stringify(value)}`,
      {
        hint: 'use letters, digits, _ and :, starting with a letter or _ (e.g. moja_)',
      },
    );
  }
  return value;
}

/** The validation-query catalogue for a deployment's metric names. */
export function catalogueFor(options: CatalogueOptions = {}): CatalogueQuery[] {
  const np = resolvePrefixes(options);
  const cl = checkPrefix(np.ledger, 'prefixes.ledger');
  const ml = checkPrefix(np.adapter, 'prefixes.adapter');
  const any = (name: string, matchers = '') => anyPrefixSelector(np, name, matchers);
  const k = checkPrefix(options.k6Prefix ?? 'k6_', 'k6Prefix');
  const e = engineMetricNames(checkPrefix(options.enginePrefix ?? 'mlperf_', 'enginePrefix'));
  const windowText = options.window ?? '1m';
  toSeconds(windowText, 'catalogue window');
  const w = `[${windowText}]`;
  const ns = options.namespace === undefined ? '' : `, namespace=${quote(options.namespace)}`;
  const c = `{container!="", container!="POD"${ns}}`;
  const pod = 'namespace, pod, container';
  const all: CatalogueQuery[] = [
    // The Phase-07 plan's four validation queries, verbatim (the error query corrected); they read the
    // `mojaloop_transfer_*` series that mlperf's recording rules define.
    {
      family: 'validation',
      name: 'validation_actual_tps',
      title: 'Actual TPS (Phase-07 plan)',
      unit: 'tps',
      band: 'tps',
      promql: 'rate(mojaloop_transfer_success[1m])',
      description: 'The Phase-07 plan\'s "Actual TPS" query: successful transfers per second.',
    },
    {
      family: 'validation',
      name: 'validation_success_rate',
      title: 'Success rate (Phase-07 plan)',
      unit: 'ratio',
      band: 'success-rate',
      promql: 'rate(mojaloop_transfer_success[1m]) / rate(mojaloop_transfer_total[1m])',
      description: "The Phase-07 plan's success-rate query: successful over all transfers.",
    },
    {
      family: 'validation',
      name: 'validation_p95_latency_seconds',
      title: 'P95 latency (Phase-07 plan)',
      unit: 'seconds',
      promql: 'histogram_quantile(0.95, rate(mojaloop_transfer_duration_bucket[1m]))',
      description:
        "The Phase-07 plan's P95 latency query, in seconds (mojaloop_p95_ms is the same in ms, for the band).",
    },
    {
      family: 'validation',
      name: 'validation_error_rate_by_type',
      title: 'Errors per second by type (Phase-07 plan, corrected)',
      unit: 'tps',
      promql: 'sum by (error_type) (rate(mojaloop_transfer_error[1m]))',
      description:
        'The Phase-07 plan wrote `rate(mojaloop_transfer_error[1m]) by (error_type)`, which is not PromQL: `by` belongs to an aggregation.',
    },

    {
      family: 'mojaloop',
      name: 'mojaloop_tps',
      title: 'Hub TPS',
      unit: 'tps',
      band: 'tps',
      live: true,
      promql: `sum(rate(${cl}transfer_fulfil_count{success="true"}${w}))`,
      description: 'Transfers the hub fulfilled successfully per second.',
    },
    {
      family: 'mojaloop',
      name: 'mojaloop_prepare_tps',
      title: 'Hub prepares per second',
      unit: 'tps',
      promql: `sum(rate(${cl}transfer_prepare_count${w}))`,
      description: 'Prepare requests the hub processed per second, successful or not.',
    },
    {
      family: 'mojaloop',
      name: 'mojaloop_success_rate',
      title: 'Hub success rate',
      unit: 'ratio',
      band: 'success-rate',
      live: true,
      promql: `sum(rate(${cl}transfer_fulfil_count{success="true"}${w})) / sum(rate(${cl}transfer_prepare_count${w}))`,
      description: 'Successful fulfils over prepares.',
    },
    {
      family: 'mojaloop',
      name: 'mojaloop_error_rate',
      title: 'Hub error rate',
      unit: 'ratio',
      band: 'error-rate',
      promql: `clamp_min(1 - sum(rate(${cl}transfer_fulfil_count{success="true"}${w})) / sum(rate(${cl}transfer_prepare_count${w})), 0)`,
      description:
        'Prepares that did not end in a successful fulfil (1 - success rate): ingress, position (4001, 4200) and payee failures alike.',
    },
    {
      family: 'mojaloop',
      name: 'mojaloop_p95_ms',
      title: 'Hub P95 transfer latency',
      unit: 'ms',
      band: 'p95-latency',
      live: true,
      promql: `histogram_quantile(0.95, sum by (le) (rate(${ml}tx_transfer_bucket${w}))) * 1000`,
      description: `P95 of the hub-side transfer duration (ml-api-adapter's ${ml}tx_transfer), in ms.`,
    },
    {
      family: 'mojaloop',
      name: 'mojaloop_p99_ms',
      title: 'Hub P99 transfer latency',
      unit: 'ms',
      promql: `histogram_quantile(0.99, sum by (le) (rate(${ml}tx_transfer_bucket${w}))) * 1000`,
      description: 'P99 of the hub-side transfer duration, in ms.',
    },
    {
      family: 'mojaloop',
      name: 'mojaloop_prepare_p95_ms',
      title: 'Prepare handler P95',
      unit: 'ms',
      promql: `histogram_quantile(0.95, sum by (le) (rate(${cl}transfer_prepare_bucket${w}))) * 1000`,
      description: 'P95 time to process a prepare, in ms.',
    },
    {
      family: 'mojaloop',
      name: 'mojaloop_fulfil_p95_ms',
      title: 'Fulfil handler P95',
      unit: 'ms',
      promql: `histogram_quantile(0.95, sum by (le) (rate(${cl}transfer_fulfil_bucket${w}))) * 1000`,
      description: 'P95 time to process a fulfil, in ms.',
    },
    {
      family: 'mojaloop',
      name: 'mojaloop_prepare_leg_p95_ms',
      title: 'Prepare leg P95 (ml-api-adapter)',
      unit: 'ms',
      promql: `histogram_quantile(0.95, sum by (le) (rate(${ml}tx_transfer_prepare_bucket${w}))) * 1000`,
      description:
        'P95 from the prepare reaching ml-api-adapter to its delivery to the payee, in ms (ml-api-adapter tx_transfer_prepare).',
    },
    {
      family: 'mojaloop',
      name: 'mojaloop_fulfil_leg_p95_ms',
      title: 'Fulfil leg P95 (ml-api-adapter)',
      unit: 'ms',
      promql: `histogram_quantile(0.95, sum by (le) (rate(${ml}tx_transfer_fulfil_bucket${w}))) * 1000`,
      description:
        'P95 from the fulfil reaching ml-api-adapter to the commit notification, in ms (ml-api-adapter tx_transfer_fulfil).',
    },
    {
      family: 'mojaloop',
      name: 'mojaloop_callback_delivery_p95_ms',
      title: 'Callback delivery P95',
      unit: 'ms',
      promql: `histogram_quantile(0.95, sum by (le) (rate(${ml}notification_event_delivery_bucket${w}))) * 1000`,
      description: 'P95 time ml-api-adapter takes to deliver one callback to a DFSP, in ms.',
    },
    {
      family: 'mojaloop',
      name: 'mojaloop_aborted_by_error_code',
      title: 'Aborted transfers per second by FSPIOP error',
      unit: 'tps',
      promql: `sum by (error_code) (rate(${cl}transfers_total{outcome="aborted"}${w}))`,
      description:
        'Transfers the hub aborted per second, by FSPIOP error code (4001 liquidity, 4200 NDC, 3303 expired ...; embedded hub counter).',
    },
    {
      family: 'mojaloop',
      name: 'mojaloop_fulfil_prepare_ratio',
      title: 'Fulfil/prepare rate ratio',
      unit: 'ratio',
      promql: `sum(rate(${cl}transfer_fulfil_count${w})) / sum(rate(${cl}transfer_prepare_count${w}))`,
      description:
        'Fulfils over prepares per second; a run keeps up when this stays within 0.98-1.02 (Mojaloop perf whitepaper validity rule).',
    },

    {
      family: 'engine',
      name: 'engine_tps',
      title: 'Engine TPS',
      unit: 'tps',
      band: 'tps',
      live: true,
      promql: `sum(rate(${e.transfers}{outcome="success"}${w}))`,
      description: 'Transfers the load engine saw complete successfully, per second.',
    },
    {
      family: 'engine',
      name: 'engine_completed_tps',
      title: 'Engine completions per second',
      unit: 'tps',
      promql: `sum(rate(${e.transfers}${w}))`,
      description: 'Transfers that finished (any outcome) per second.',
    },
    {
      family: 'engine',
      name: 'engine_offered_tps',
      title: 'Engine offered rate',
      unit: 'tps',
      promql: `sum(rate(${e.offered}${w}))`,
      description: 'Arrivals the load profile prescribed per second.',
    },
    {
      family: 'engine',
      name: 'engine_started_tps',
      title: 'Engine started transfers per second',
      unit: 'tps',
      promql: `sum(rate(${e.iterations}${w}))`,
      description: 'Arrivals that sent a prepare per second (k6 iterations).',
    },
    {
      family: 'engine',
      name: 'engine_target_rate',
      title: 'Planned rate',
      unit: 'tps',
      promql: `sum(${e.targetRate})`,
      description: 'The arrival rate the profile prescribes now.',
    },
    {
      family: 'engine',
      name: 'engine_success_rate',
      title: 'Engine success rate',
      unit: 'ratio',
      band: 'success-rate',
      live: true,
      promql: `sum(rate(${e.transfers}{outcome="success"}${w})) / sum(rate(${e.transfers}${w}))`,
      description: 'Successful over finished transfers, as the engine saw them.',
    },
    {
      family: 'engine',
      name: 'engine_error_rate',
      title: 'Engine error rate',
      unit: 'ratio',
      band: 'error-rate',
      promql: `(sum(rate(${e.transfers}{outcome!="success"}${w})) or vector(0)) / sum(rate(${e.transfers}${w}))`,
      description: 'Failed over finished transfers.',
    },
    {
      family: 'engine',
      name: 'engine_errors_by_type',
      title: 'Engine errors per second by type',
      unit: 'tps',
      promql: `sum by (error_type) (rate(${e.transfers}{outcome!="success"}${w}))`,
      description: 'Failed transfers per second by error type (fspiop:4001, http:503, timeout, connection).',
    },
    {
      family: 'engine',
      name: 'engine_p95_ms',
      title: 'Engine P95 end-to-end latency',
      unit: 'ms',
      band: 'p95-latency',
      live: true,
      promql: `histogram_quantile(0.95, sum by (le) (rate(${e.transferDuration}_bucket${w}))) * 1000`,
      description: 'P95 end-to-end latency from the intended start (coordinated-omission corrected), in ms.',
    },
    {
      family: 'engine',
      name: 'engine_p99_ms',
      title: 'Engine P99 end-to-end latency',
      unit: 'ms',
      promql: `histogram_quantile(0.99, sum by (le) (rate(${e.transferDuration}_bucket${w}))) * 1000`,
      description: 'P99 end-to-end latency, in ms.',
    },
    {
      family: 'engine',
      name: 'engine_service_p95_ms',
      title: 'Engine P95 service time',
      unit: 'ms',
      promql: `histogram_quantile(0.95, sum by (le) (rate(${e.serviceDuration}_bucket${w}))) * 1000`,
      description: 'P95 from the actual send to the COMMITTED callback, in ms.',
    },
    {
      family: 'engine',
      name: 'engine_prepare_ack_p95_ms',
      title: 'Prepare acknowledgement P95',
      unit: 'ms',
      promql: `histogram_quantile(0.95, sum by (le) (rate(${e.prepareAck}_bucket${w}))) * 1000`,
      description: 'P95 of POST /transfers until HTTP 202, in ms.',
    },
    {
      family: 'engine',
      name: 'engine_dropped_tps',
      title: 'Dropped arrivals per second',
      unit: 'tps',
      promql: `sum(rate(${e.dropped}${w}))`,
      description: 'Arrivals the engine could not start (in-flight cap), like k6 dropped_iterations.',
    },
    {
      family: 'engine',
      name: 'engine_in_flight',
      title: 'Transfers in flight',
      unit: 'count',
      promql: `sum(${e.inFlight})`,
      description: 'Prepares sent and not yet finished.',
    },
    {
      family: 'engine',
      name: 'engine_scheduling_lag_seconds',
      title: 'Engine scheduling lag (p99)',
      unit: 'seconds',
      promql: `max(${e.schedulingLag})`,
      description:
        'How late the engine starts arrivals; above ~0.05 s the load generator itself is saturated.',
    },

    // k6 remote write (K6_PROMETHEUS_RW_*): built-in names, and the custom metrics of mlperf's k6
    // scripts (K6_METRICS in @mlperf/scenarios: transfer_success, transfer_e2e_duration).
    {
      family: 'k6',
      name: 'k6_tps',
      title: 'k6 transfers started per second',
      unit: 'tps',
      band: 'tps',
      promql: `sum(rate(${k}iterations_total${w}))`,
      description: 'k6 iterations (one transfer each) per second, all runners.',
    },
    {
      family: 'k6',
      name: 'k6_success_ratio',
      title: 'k6 transfers committed',
      unit: 'ratio',
      band: 'success-rate',
      promql: `avg(${k}transfer_success_rate)`,
      description: "Share of transfers COMMITTED (the scripts' transfer_success Rate; mean of the runners).",
    },
    {
      family: 'k6',
      name: 'k6_error_ratio',
      title: 'k6 transfers failed',
      unit: 'ratio',
      band: 'error-rate',
      promql: `1 - avg(${k}transfer_success_rate)`,
      description: 'Share of transfers that failed.',
    },
    {
      family: 'k6',
      name: 'k6_p95_ms',
      title: 'k6 P95 end-to-end',
      unit: 'ms',
      band: 'p95-latency',
      promql: `histogram_quantile(0.95, sum(rate(${k}transfer_e2e_duration_seconds${w}))) * 1000`,
      counters: [`${k}transfer_e2e_duration_seconds`],
      description:
        'End-to-end P95 across all runners from native histograms (K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM=true; Prometheus needs --enable-feature=native-histograms).',
    },
    {
      family: 'k6',
      name: 'k6_p95_ms_trend',
      title: 'k6 P95 end-to-end (trend stat)',
      unit: 'ms',
      promql: `max(${k}transfer_e2e_duration_p95) * 1000`,
      description:
        "The runners' own p(95) (K6_PROMETHEUS_RW_TREND_STATS with p(95)); the max over runners, not a merged percentile.",
    },
    {
      family: 'k6',
      name: 'k6_http_reqs_rate',
      title: 'k6 HTTP requests per second',
      unit: 'tps',
      promql: `sum(rate(${k}http_reqs_total${w}))`,
      description: 'HTTP requests k6 sent per second.',
    },
    {
      family: 'k6',
      name: 'k6_http_req_failed_ratio',
      title: 'k6 failed requests',
      unit: 'ratio',
      promql: `avg(${k}http_req_failed_rate)`,
      description: 'Share of k6 HTTP requests that failed.',
    },
    {
      family: 'k6',
      name: 'k6_dropped_iterations_rate',
      title: 'k6 dropped iterations per second',
      unit: 'tps',
      promql: `sum(rate(${k}dropped_iterations_total${w}))`,
      description: 'Iterations k6 could not start for lack of VUs.',
    },
    {
      family: 'k6',
      name: 'k6_vus',
      title: 'k6 VUs',
      unit: 'count',
      promql: `sum(${k}vus)`,
      description: 'Active k6 virtual users.',
    },

    {
      family: 'resources',
      name: 'cpu_usage_ratio',
      title: 'CPU usage vs limit',
      unit: 'ratio',
      band: 'cpu',
      live: true,
      promql: `sum by (${pod}) (rate(container_cpu_usage_seconds_total${c}${w})) / sum by (${pod}) (container_spec_cpu_quota${c} / container_spec_cpu_period${c})`,
      description: 'CPU each container uses as a fraction of its CPU limit (cAdvisor).',
    },
    {
      family: 'resources',
      name: 'cpu_usage_cores',
      title: 'CPU usage (cores)',
      unit: 'cores',
      promql: `sum by (${pod}) (rate(container_cpu_usage_seconds_total${c}${w}))`,
      description: 'CPU each container uses, in cores.',
    },
    {
      family: 'resources',
      name: 'memory_working_set_ratio',
      title: 'Memory working set vs limit',
      unit: 'ratio',
      band: 'memory',
      live: true,
      promql: `sum by (${pod}) (container_memory_working_set_bytes${c}) / sum by (${pod}) (container_spec_memory_limit_bytes${c} > 0)`,
      description:
        'Working-set memory of each container over its memory limit (what the OOM killer compares).',
    },
    {
      family: 'resources',
      name: 'memory_working_set_bytes',
      title: 'Memory working set',
      unit: 'bytes',
      promql: `sum by (${pod}) (container_memory_working_set_bytes${c})`,
      description: 'Working-set memory of each container; the endurance test looks for growth in this.',
    },
    {
      family: 'resources',
      name: 'process_cpu_cores',
      title: 'Process CPU (cores)',
      unit: 'cores',
      promql: `sum by (job, instance) (rate(${any('process_cpu_seconds_total')}${w}))`,
      counters: [
        `${cl}process_cpu_seconds_total`,
        `${ml}process_cpu_seconds_total`,
        'process_cpu_seconds_total',
      ],
      description: 'CPU of each Node.js service process (prom-client), in cores.',
    },
    {
      family: 'resources',
      name: 'process_resident_memory_bytes',
      title: 'Process resident memory',
      unit: 'bytes',
      promql: `sum by (job, instance) (${any('process_resident_memory_bytes')})`,
      description: 'Resident memory of each service process (prom-client).',
    },
    {
      family: 'resources',
      name: 'process_start_time',
      title: 'Service process start time',
      unit: 'seconds',
      promql: `max by (job, instance) (${any('process_start_time_seconds')})`,
      description:
        'When each service process started (unix seconds, prom-client): a service started just before a run is cold.',
    },
    {
      family: 'resources',
      name: 'service_up',
      title: 'Scrape targets up',
      unit: 'boolean',
      live: true,
      promql: 'up',
      description: '1 when Prometheus could scrape the target, 0 when it could not.',
    },
    {
      family: 'resources',
      name: 'service_restarts',
      title: 'Container restarts',
      unit: 'count',
      promql: `sum by (${pod}) (increase(kube_pod_container_status_restarts_total${c}${w}))`,
      description: 'Container restarts (crashes, OOM kills) within the window (kube-state-metrics).',
    },

    {
      family: 'saturation',
      name: 'cpu_throttling_ratio',
      title: 'CPU throttling',
      unit: 'ratio',
      promql: `sum by (${pod}) (rate(container_cpu_cfs_throttled_periods_total${c}${w})) / sum by (${pod}) (rate(container_cpu_cfs_periods_total${c}${w}))`,
      description:
        'Share of CFS periods in which the container was throttled; above ~0.25 the CPU limit is the bottleneck.',
    },
    {
      family: 'saturation',
      name: 'kafka_consumer_lag',
      title: 'Kafka consumer lag',
      unit: 'messages',
      live: true,
      promql: 'sum by (consumergroup, topic) (kafka_consumergroup_lag)',
      description: 'Messages each consumer group is behind, per topic (kafka_exporter).',
    },
    {
      family: 'saturation',
      name: 'kafka_consumer_lag_growth',
      title: 'Kafka consumer lag growth',
      unit: 'messages/s',
      promql: `sum by (consumergroup, topic) (deriv(kafka_consumergroup_lag${w}))`,
      description: 'How fast the lag grows; positive and sustained means the handlers cannot keep up.',
    },
    {
      family: 'saturation',
      name: 'db_connections_ratio',
      title: 'DB connections vs max',
      unit: 'ratio',
      promql:
        'max by (job, instance) (mysql_global_status_threads_connected) / max by (job, instance) (mysql_global_variables_max_connections)',
      description: 'MySQL connections in use over max_connections (mysqld_exporter).',
    },
    {
      family: 'saturation',
      name: 'db_row_lock_waits',
      title: 'DB row lock waits',
      unit: 'count',
      promql: 'max by (job, instance) (mysql_global_status_innodb_row_lock_current_waits)',
      description: 'InnoDB row lock waits in progress (position updates contend here).',
    },
    {
      family: 'saturation',
      name: 'event_loop_lag_seconds',
      title: 'Event-loop lag (p99)',
      unit: 'seconds',
      promql: `max by (job, instance) (${any('nodejs_eventloop_lag_p99_seconds')})`,
      description:
        'p99 event-loop lag of each Node.js service (prom-client); above ~0.1 s the service is CPU-bound.',
    },
    {
      family: 'saturation',
      name: 'db_pool_wait_p95_ms',
      title: 'DB pool wait P95',
      unit: 'ms',
      promql: `histogram_quantile(0.95, sum by (le) (rate(${cl}db_pool_wait_seconds_bucket${w}))) * 1000`,
      description:
        'P95 time a query waits for a pool connection, in ms (the embedded hub exposes it; central-ledger does not).',
    },
    {
      family: 'saturation',
      name: 'db_pool_pending',
      title: 'Queries waiting for a DB connection',
      unit: 'count',
      promql: `sum(${cl}db_pool_pending)`,
      description: 'Queries queued for a pool connection (embedded hub).',
    },
  ];
  for (const q of all) {
    if (!NAME_RE.test(q.name)) throw new Error(`catalogue name ${q.name} is not a file-safe name`);
  }
  const families = options.families;
  return families ? all.filter((q) => families.includes(q.family)) : all;
}

/** The catalogue with the default names (`moja_cl_` / `moja_ml_`, `mlperf_`, `k6_`, 1m windows). */
export const CATALOGUE: readonly CatalogueQuery[] = catalogueFor();

/** A catalogue query by name, or a clear error listing the names. */
export function catalogueQuery(
  name: string,
  catalogue: readonly CatalogueQuery[] = CATALOGUE,
): CatalogueQuery {
  const found = catalogue.find((q) => q.name === name);
  if (!found) {
    throw new MlperfError('PROMQL_UNKNOWN_QUERY', `no catalogue query named ${JSON.stringify(name)}`, {
      hint: `run \`mlperf promql catalogue\`; names include ${catalogue
        .slice(0, 6)
        .map((q) => q.name)
        .join(', ')}`,
    });
  }
  return found;
}
