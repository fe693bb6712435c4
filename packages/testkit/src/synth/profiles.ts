import type { ExportSpec, SecondSpec } from './synth.js';
import { gaussian, rng } from './synth.js';

export type Profile =
  | 'healthy'
  | 'db-pool-exhausted'
  | 'kafka-lag'
  | 'cpu-throttled'
  | 'memory-leak'
  | 'generator-saturated'
  | 'flaky';

const SERVICES = ['ml-api-adapter', 'central-ledger', 'account-lookup', 'quoting'];

/** Per-second load outcome of a bottleneck profile at `rate` planned TPS. */
export function secondOf(profile: Profile, rate: number, seed = 1): (s: number) => SecondSpec {
  const r = rng(seed);
  return (s) => {
    const jitter = 1 + 0.01 * gaussian(r);
    switch (profile) {
      case 'db-pool-exhausted':
      case 'kafka-lag':
      case 'cpu-throttled':
        return {
          offeredRate: rate,
          succeeded: Math.round(Math.min(rate, 250) * jitter),
          p50Ms: 900,
          inFlight: 500,
          dropped: Math.round(rate - 250),
        };
      case 'generator-saturated':
        return {
          offeredRate: rate,
          succeeded: Math.round(rate * 0.7 * jitter),
          p50Ms: 30,
          dropped: Math.round(rate * 0.3),
          engine: { cpu: 0.99, rssBytes: 2e8, eventLoopLagP99Ms: 250, schedulingLagP99Ms: 400 },
        };
      case 'flaky': {
        const ok = Math.round(rate * jitter);
        return {
          offeredRate: rate,
          succeeded: Math.round(ok * 0.98),
          failed: { 'fspiop:2001': Math.round(ok * 0.02) },
          p50Ms: 25,
        };
      }
      default:
        return {
          offeredRate: rate,
          succeeded: Math.round(rate * jitter),
          p50Ms: 20 + (s % 7),
          engine: { cpu: 0.4, rssBytes: 2e8, eventLoopLagP99Ms: 3, schedulingLagP99Ms: 2 },
        };
    }
  };
}

/** Prometheus exports that mimic what the embedded hub's fault profile shows (catalogue names and raw exporter names mixed). */
export function exportsOf(profile: Profile, seconds: number, seed = 2): ExportSpec[] {
  const r = rng(seed);
  const n = () => gaussian(r);
  const ex: ExportSpec[] = [
    {
      name: 'cpu_usage_ratio',
      query:
        'sum by (container) (rate(container_cpu_usage_seconds_total[1m])) / sum by (container) (kube_pod_container_resource_limits{resource="cpu"})',
      series: SERVICES.map((c) => ({
        labels: { container: c },
        value: () =>
          Math.max(0, (profile === 'cpu-throttled' && c === 'central-ledger' ? 0.99 : 0.35) + 0.02 * n()),
      })),
    },
    {
      name: 'memory_working_set_ratio',
      query: 'container_memory_working_set_bytes / container_spec_memory_limit_bytes',
      series: SERVICES.map((c) => ({
        labels: { container: c },
        value: (t) =>
          (profile === 'memory-leak' && c === 'central-ledger' ? 0.3 + (0.6 * t) / seconds : 0.4) +
          0.005 * n(),
      })),
    },
    {
      name: 'container_memory_working_set_bytes',
      query: 'container_memory_working_set_bytes{container!=""}',
      series: SERVICES.map((c) => ({
        labels: { container: c },
        value: (t) =>
          (profile === 'memory-leak' && c === 'central-ledger' ? 300e6 + (600e6 * t) / seconds : 400e6) +
          2e6 * n(),
      })),
    },
    {
      name: 'memory_limit_bytes',
      query: 'container_spec_memory_limit_bytes{container!=""}',
      series: SERVICES.map((c) => ({ labels: { container: c }, value: () => 1e9 })),
    },
    {
      name: 'service_up',
      query: 'up{job=~"ml-api-adapter|central-ledger|account-lookup|quoting"}',
      series: SERVICES.map((c) => ({ labels: { job: c }, value: () => 1 })),
    },
    {
      name: 'db_connections_ratio',
      query: 'mysql_global_status_threads_connected / mysql_global_variables_max_connections',
      series: [
        {
          labels: { instance: 'mysql:9104' },
          value: () => (profile === 'db-pool-exhausted' ? 1 : 0.3 + 0.02 * n()),
        },
      ],
    },
    {
      name: 'db_pool_wait',
      query: 'histogram_quantile(0.95, sum by (le) (rate(moja_cl_db_pool_wait_seconds_bucket[1m])))',
      series: [{ labels: {}, value: (t) => (profile === 'db-pool-exhausted' ? 0.2 + 0.001 * t : 0.0005) }],
    },
    {
      name: 'kafka_consumer_lag',
      query: 'sum by (consumergroup, topic, partition) (kafka_consumergroup_lag)',
      series: ['0', '1', '2', '3'].map((p) => ({
        labels: { consumergroup: 'cl-position', topic: 'topic-transfer-position', partition: p },
        value: (t) => Math.max(0, (profile === 'kafka-lag' ? 190 * t : 3) + 2 * n()),
      })),
    },
    {
      name: 'cpu_throttling_ratio',
      query:
        'sum by (container) (rate(container_cpu_cfs_throttled_periods_total[1m])) / sum by (container) (rate(container_cpu_cfs_periods_total[1m]))',
      series: SERVICES.map((c) => ({
        labels: { container: c },
        value: () =>
          Math.max(0, (profile === 'cpu-throttled' && c === 'central-ledger' ? 0.85 : 0.02) + 0.01 * n()),
      })),
    },
    {
      name: 'event_loop_lag_seconds',
      query: 'max by (service) (nodejs_eventloop_lag_p99_seconds)',
      series: SERVICES.map((c) => ({
        labels: { service: c },
        value: (t) =>
          Math.max(
            0,
            (profile === 'cpu-throttled' && c === 'central-ledger'
              ? 0.25
              : profile === 'flaky' && c === 'central-ledger' && t % 10 < 1
                ? 0.3
                : 0.004) +
              0.001 * n(),
          ),
      })),
    },
  ];
  return ex;
}
