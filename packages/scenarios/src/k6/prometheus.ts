import type { RunManifest } from '@mlperf/core';
import {
  CATALOGUE,
  type ExportableQuery,
  PrometheusClient,
  type PrometheusAuth,
  exportQueries,
} from '@mlperf/core/promql';
import { K6_METRICS } from './options.js';

/**
 * Queries over one k6 run's own series (selected by the `testid` tag the executors add), from
 * k6's Prometheus remote write with native histograms: the exact percentiles across all runner
 * pods that k6-operator does not compute.
 */
export function k6RunQueries(runId: string): ExportableQuery[] {
  const sel = `{testid="${runId}"}`;
  const e2e = `k6_${K6_METRICS.e2e}_seconds${sel}`;
  const q = (p: number) => `histogram_quantile(${p}, sum(rate(${e2e}[1m]))) * 1000`;
  return [
    {
      name: 'k6_run_tps',
      promql: `sum(rate(k6_iterations_total${sel}[1m]))`,
      unit: 'tps',
      description: 'Transfers started per second, all runners.',
    },
    {
      name: 'k6_run_dropped',
      promql: `sum(rate(k6_dropped_iterations_total${sel}[1m]))`,
      unit: 'tps',
      description: 'Arrivals k6 could not start (no free VU).',
    },
    {
      name: 'k6_run_success_ratio',
      promql: `avg(k6_${K6_METRICS.success}_rate${sel})`,
      unit: 'ratio',
      description: 'Share of transfers COMMITTED (mean of the runners).',
    },
    {
      name: 'k6_run_e2e_p50',
      promql: q(0.5),
      unit: 'ms',
      description: 'End-to-end p50 across all runners (native histogram).',
    },
    {
      name: 'k6_run_e2e_p95',
      promql: q(0.95),
      unit: 'ms',
      description: 'End-to-end p95 across all runners (native histogram).',
    },
    {
      name: 'k6_run_e2e_p99',
      promql: q(0.99),
      unit: 'ms',
      description: 'End-to-end p99 across all runners (native histogram).',
    },
    { name: 'k6_run_vus', promql: `sum(k6_vus${sel})`, unit: 'count', description: 'VUs busy, all runners.' },
  ];
}

export interface PrometheusExportOptions {
  url: string;
  auth?: PrometheusAuth;
  /** Named queries (the suite's `queries`, catalogue entries); the run's k6 queries are added. */
  queries?: ExportableQuery[];
  /** Add the hub's catalogue queries (mojaloop, resources, saturation families). Default true. */
  catalogue?: boolean;
  scrapeIntervalS?: number;
}

/** An `exportMetrics` hook for the k6 executors: writes metrics/<name>.json over the run window. */
export function prometheusExporter(o: PrometheusExportOptions) {
  return async (w: {
    start: Date;
    end: Date;
    dir: string;
    runId: string;
  }): Promise<RunManifest['metrics']> => {
    const client = new PrometheusClient({ url: o.url, ...(o.auth ? { auth: o.auth } : {}) });
    const catalogue =
      o.catalogue === false
        ? []
        : CATALOGUE.filter(
            (c) =>
              c.family === 'mojaloop' ||
              c.family === 'resources' ||
              c.family === 'saturation' ||
              c.family === 'validation',
          );
    const queries = [...catalogue, ...(o.queries ?? []), ...k6RunQueries(w.runId)];
    const report = await exportQueries({
      client,
      queries,
      start: w.start,
      end: w.end,
      dir: w.dir,
      source: 'k6',
      ...(o.scrapeIntervalS === undefined ? {} : { scrapeIntervalS: o.scrapeIntervalS }),
    });
    return { exported: report.exported, skipped: report.skipped };
  };
}

/** What both k6 executors (local and Kubernetes) report to and record, beside the run itself. */
export interface K6RunReporting {
  /** Prometheus to export the named queries (and the run's k6 queries) from, when no `exportMetrics` is given. */
  prometheus?: PrometheusExportOptions;
  /** Exports Prometheus queries over the run window; its report goes into run.json `metrics`. */
  exportMetrics?: (window: {
    start: Date;
    end: Date;
    dir: string;
    runId: string;
  }) => Promise<RunManifest['metrics']>;
  onEvent?: (message: string) => void;
  /** Called once the results directory exists (monitors follow it from then on). */
  onStart?: (dir: string) => void;
  suiteRunId?: string;
  versions?: Record<string, string>;
}
