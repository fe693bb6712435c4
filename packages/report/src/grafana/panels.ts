import {
  type CatalogueOptions,
  type CatalogueQuery,
  catalogueFor,
  engineMetricNames,
} from '@mlperf/core/promql';

/**
 * A panel of a dashboard: a title, a PromQL query and a unit. The Phase-07 plan dashboards take theirs from
 * the validation-query catalogue of @mlperf/core/promql; any other list works too.
 */
export interface PanelQuery {
  /** The catalogue query name (its export is `metrics/<name>.json`), or the panel's own id. */
  name?: string;
  title: string;
  promql: string;
  /** A catalogue unit (`tps`, `ratio`, `ms`, `seconds`, `bytes`, `cores`, `messages`...) or a Grafana unit id. */
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

/** `{{a}} {{b}}` from the query's outer `by (a, b)`, so each series is named by its labels. */
function legendOf(promql: string): string | undefined {
  const m = /\bby \(([^)]*)\)/.exec(promql);
  if (!m?.[1] || /^\s*le\s*$/.test(m[1])) return undefined;
  const labels = m[1]
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l && l !== 'le');
  return labels.length > 0 ? labels.map((l) => `{{${l}}}`).join(' ') : undefined;
}

function panelOf(q: CatalogueQuery): PanelQuery {
  const p: PanelQuery = {
    name: q.name,
    title: q.title,
    promql: q.promql,
    unit: q.unit,
    description: q.description,
  };
  const legend = legendOf(q.promql);
  if (legend) p.legend = legend;
  return p;
}

/** Panels the catalogue does not hold: per-corridor lines and node-level infrastructure (node_exporter). */
function extraPanels(options: CatalogueOptions): Record<string, PanelQuery> {
  const e = engineMetricNames(options.enginePrefix ?? 'mlperf_');
  const w = options.window ?? '1m';
  return {
    corridorTps: {
      name: 'corridor_tps',
      title: 'TPS per corridor',
      promql: `sum by (corridor) (rate(${e.transfers}{outcome="success"}[${w}]))`,
      unit: 'tps',
      legend: '{{corridor}}',
    },
    offeredRate: {
      name: 'offered_rate',
      title: 'Offered rate (profile)',
      promql: `sum(${e.targetRate})`,
      unit: 'tps',
    },
    nodeCpu: {
      name: 'node_cpu',
      title: 'Node CPU',
      promql: `1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[${w}]))`,
      unit: 'ratio',
      legend: '{{instance}}',
    },
    nodeMemory: {
      name: 'node_memory',
      title: 'Node memory used',
      promql:
        '1 - sum by (instance) (node_memory_MemAvailable_bytes) / sum by (instance) (node_memory_MemTotal_bytes)',
      unit: 'ratio',
      legend: '{{instance}}',
    },
    nodeNetRx: {
      name: 'node_network_rx',
      title: 'Node network received',
      promql: `sum by (instance) (rate(node_network_receive_bytes_total[${w}]))`,
      unit: 'Bps',
      legend: '{{instance}}',
    },
    nodeNetTx: {
      name: 'node_network_tx',
      title: 'Node network sent',
      promql: `sum by (instance) (rate(node_network_transmit_bytes_total[${w}]))`,
      unit: 'Bps',
      legend: '{{instance}}',
    },
  };
}

const LAYOUT: { uid: string; title: string; description: string; panels: string[] }[] = [
  {
    uid: 'mlperf-performance-overview',
    title: 'mlperf: Performance Overview',
    description: 'TPS, success rate, latency percentiles (capture at test start, peak TPS, test end)',
    panels: [
      'engine_tps',
      'engine_offered_tps',
      'engine_success_rate',
      'engine_error_rate',
      'engine_p95_ms',
      'engine_p99_ms',
      'engine_errors_by_type',
      '+corridorTps',
      'mojaloop_tps',
      'mojaloop_success_rate',
      'mojaloop_p95_ms',
      'mojaloop_p99_ms',
    ],
  },
  {
    uid: 'mlperf-service-health',
    title: 'mlperf: Service Health',
    description:
      'ml-api-adapter, central-ledger, account-lookup: handlers, pipeline, Kafka, MySQL, event loop',
    panels: [
      'mojaloop_prepare_tps',
      'mojaloop_fulfil_prepare_ratio',
      'mojaloop_prepare_p95_ms',
      'mojaloop_fulfil_p95_ms',
      'mojaloop_error_rate',
      'kafka_consumer_lag',
      'kafka_consumer_lag_growth',
      'db_connections_ratio',
      'db_row_lock_waits',
      'event_loop_lag_seconds',
      'service_up',
    ],
  },
  {
    uid: 'mlperf-infrastructure',
    title: 'mlperf: Infrastructure',
    description: 'CPU, memory, network for all nodes; CPU and memory per container; throttling',
    panels: [
      '+nodeCpu',
      '+nodeMemory',
      '+nodeNetRx',
      '+nodeNetTx',
      'cpu_usage_ratio',
      'cpu_usage_cores',
      'memory_working_set_ratio',
      'memory_working_set_bytes',
      'cpu_throttling_ratio',
      'process_cpu_cores',
      'process_resident_memory_bytes',
    ],
  },
  {
    uid: 'mlperf-load-generator',
    title: 'mlperf: Load Generator',
    description: 'Load generation stats: the mlperf engine and k6 (remote write)',
    panels: [
      'engine_offered_tps',
      '+offeredRate',
      'engine_completed_tps',
      'engine_dropped_tps',
      'engine_in_flight',
      'k6_tps',
      'k6_http_reqs_rate',
      'k6_dropped_iterations_rate',
      'k6_vus',
      'k6_p95_ms',
      'k6_http_req_failed_ratio',
    ],
  },
];

/** The four dashboards the Phase-07 plan names, built from the catalogue for a deployment's metric names. */
export function standardDashboards(options: CatalogueOptions = {}): DashboardSpec[] {
  const { families: _families, ...rest } = options;
  const byName = new Map(catalogueFor(rest).map((q) => [q.name, q]));
  const extra = extraPanels(rest);
  return LAYOUT.map((d) => ({
    uid: d.uid,
    title: d.title,
    description: d.description,
    panels: d.panels.flatMap((n) => {
      if (n.startsWith('+')) return extra[n.slice(1)] ? [extra[n.slice(1)] as PanelQuery] : [];
      const q = byName.get(n);
      return q ? [panelOf(q)] : [];
    }),
  }));
}

export const DEFAULT_DASHBOARDS: DashboardSpec[] = standardDashboards();
