/**
 * The panels of the four dashboards the seed names. Each is a title, a PromQL query and a unit, so
 * the list can be replaced by the PromQL catalogue of @mlperf/core/promql without touching the builder.
 */
export interface PanelQuery {
  title: string;
  promql: string;
  /** `tps`, `ratio`, `seconds`, `ms`, `bytes`, `Bps`, `cores`, `count`, or a Grafana unit id. */
  unit: string;
  legend?: string;
  description?: string;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  panels: PanelQuery[];
}

const q = (p: number, metric: string, by = '') =>
  `histogram_quantile(${p}, sum by (le${by ? `, ${by}` : ''}) (rate(${metric}_bucket[1m])))`;

export const DEFAULT_DASHBOARDS: DashboardSpec[] = [
  {
    uid: 'mlperf-performance-overview',
    title: 'mlperf: Performance Overview',
    description: 'TPS, success rate, latency percentiles (capture at test start, peak TPS, test end)',
    panels: [
      {
        title: 'Achieved TPS',
        promql: 'sum(rate(mlperf_transfers_total{outcome="success"}[1m]))',
        unit: 'tps',
        legend: 'achieved',
      },
      {
        title: 'Offered TPS (planned rate)',
        promql: 'sum(mlperf_target_rate)',
        unit: 'tps',
        legend: 'offered',
      },
      {
        title: 'Success rate',
        promql:
          'sum(rate(mlperf_transfers_total{outcome="success"}[1m])) / sum(rate(mlperf_transfers_total[1m]))',
        unit: 'ratio',
      },
      {
        title: 'End-to-end latency p95',
        promql: q(0.95, 'mlperf_transfer_duration_seconds'),
        unit: 'seconds',
        legend: 'p95',
      },
      {
        title: 'End-to-end latency p99',
        promql: q(0.99, 'mlperf_transfer_duration_seconds'),
        unit: 'seconds',
        legend: 'p99',
      },
      {
        title: 'Errors by type',
        promql: 'sum by (error_type) (rate(mlperf_transfers_total{outcome!="success"}[1m]))',
        unit: 'tps',
        legend: '{{error_type}}',
      },
      {
        title: 'TPS per corridor',
        promql: 'sum by (corridor) (rate(mlperf_transfers_total{outcome="success"}[1m]))',
        unit: 'tps',
        legend: '{{corridor}}',
      },
      {
        title: 'Latency p95 per corridor',
        promql: q(0.95, 'mlperf_transfer_duration_seconds', 'corridor'),
        unit: 'seconds',
        legend: '{{corridor}}',
      },
    ],
  },
  {
    uid: 'mlperf-service-health',
    title: 'mlperf: Service Health',
    description: 'ml-api-adapter, central-ledger, account-lookup: CPU, memory, event loop, Kafka, MySQL',
    panels: [
      {
        title: 'CPU per service',
        promql:
          'sum by (container) (rate(container_cpu_usage_seconds_total{container=~"ml-api-adapter.*|central-ledger.*|account-lookup.*|quoting.*"}[1m]))',
        unit: 'cores',
        legend: '{{container}}',
      },
      {
        title: 'Memory per service',
        promql:
          'sum by (container) (container_memory_working_set_bytes{container=~"ml-api-adapter.*|central-ledger.*|account-lookup.*|quoting.*"})',
        unit: 'bytes',
        legend: '{{container}}',
      },
      {
        title: 'Event-loop lag p99',
        promql: 'max by (job) (nodejs_eventloop_lag_p99_seconds)',
        unit: 'seconds',
        legend: '{{job}}',
      },
      { title: 'Prepare p95 (central-ledger)', promql: q(0.95, 'moja_transfer_prepare'), unit: 'seconds' },
      { title: 'Fulfil p95 (central-ledger)', promql: q(0.95, 'moja_transfer_fulfil'), unit: 'seconds' },
      {
        title: 'Kafka consumer lag',
        promql: 'sum by (consumergroup, topic) (kafka_consumergroup_lag)',
        unit: 'count',
        legend: '{{consumergroup}} {{topic}}',
      },
      {
        title: 'MySQL connections used',
        promql: 'max(mysql_global_status_threads_connected) / max(mysql_global_variables_max_connections)',
        unit: 'ratio',
      },
    ],
  },
  {
    uid: 'mlperf-infrastructure',
    title: 'mlperf: Infrastructure',
    description: 'CPU, memory, network for all nodes; CPU throttling per container',
    panels: [
      {
        title: 'Node CPU',
        promql: '1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[1m]))',
        unit: 'ratio',
        legend: '{{instance}}',
      },
      {
        title: 'Node memory used',
        promql: '1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes',
        unit: 'ratio',
        legend: '{{instance}}',
      },
      {
        title: 'Network received',
        promql: 'sum by (instance) (rate(node_network_receive_bytes_total[1m]))',
        unit: 'Bps',
        legend: '{{instance}}',
      },
      {
        title: 'Network sent',
        promql: 'sum by (instance) (rate(node_network_transmit_bytes_total[1m]))',
        unit: 'Bps',
        legend: '{{instance}}',
      },
      {
        title: 'CPU throttling per container',
        promql:
          'sum by (container) (rate(container_cpu_cfs_throttled_periods_total[1m])) / sum by (container) (rate(container_cpu_cfs_periods_total[1m]))',
        unit: 'ratio',
        legend: '{{container}}',
      },
    ],
  },
  {
    uid: 'mlperf-load-generator',
    title: 'mlperf: Load Generator',
    description:
      'Load generation stats: started, dropped, in flight, scheduling lag (mlperf engine and k6 remote write)',
    panels: [
      { title: 'Started per second', promql: 'sum(rate(mlperf_iterations_total[1m]))', unit: 'tps' },
      { title: 'Dropped per second', promql: 'sum(rate(mlperf_dropped_iterations_total[1m]))', unit: 'tps' },
      { title: 'Transfers in flight', promql: 'sum(mlperf_inflight_transfers)', unit: 'count' },
      { title: 'Scheduling lag p99', promql: 'max(mlperf_engine_scheduling_lag_seconds)', unit: 'seconds' },
      {
        title: 'Prepare acknowledgement p95',
        promql: q(0.95, 'mlperf_prepare_ack_duration_seconds'),
        unit: 'seconds',
      },
      { title: 'k6 requests per second', promql: 'sum(rate(k6_http_reqs_total[1m]))', unit: 'tps' },
      { title: 'k6 VUs', promql: 'sum(k6_vus)', unit: 'count' },
    ],
  },
];
