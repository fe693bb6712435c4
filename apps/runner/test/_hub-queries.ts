import { catalogueFor, type ExportableQuery } from '@mlperf/core/promql';

/** Window of the hub analyzer's rate queries in short runs (the hub is scraped every second). */
export const HUB_QUERY_WINDOW = '3s';

/** What the hub analyzer reads from Prometheus after a short run against the embedded hub. */
export const HUB_QUERIES: ExportableQuery[] = [
  ...catalogueFor({ window: HUB_QUERY_WINDOW, families: ['resources', 'saturation'] }),
  {
    name: 'db_pool_wait',
    promql: `histogram_quantile(0.95, sum by (le) (rate(moja_cl_db_pool_wait_seconds_bucket[${HUB_QUERY_WINDOW}])))`,
  },
  { name: 'mysql_global_status_threads_connected', promql: 'mysql_global_status_threads_connected' },
  { name: 'mysql_global_variables_max_connections', promql: 'mysql_global_variables_max_connections' },
  { name: 'kafka_consumergroup_lag', promql: 'kafka_consumergroup_lag' },
  { name: 'moja_service_up', promql: 'moja_service_up' },
];
