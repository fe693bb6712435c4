import type { RunManifest } from '@mlperf/core';
import {
  CATALOGUE,
  type ExportableQuery,
  PrometheusClient,
  type PrometheusAuth,
  exportQueries,
} from '@mlperf/core/promql';
import { DFSP_SIM_METRICS } from '../dfsp-sim/outcomes.js';
import { K6_METRICS } from './options.js';

/**
 * Queries over one k6 run. From k6's Prometheus remote write (selected by the `testid` tag the
 * executors add; trends as native histograms): arrivals started and dropped, VUs, and the prepare
 * acknowledgement k6 times itself. From the DFSP simulator's /metrics (where each transfer's outcome
 * and end-to-end time are recorded; one simulator per run, so the run window selects it): outcomes
 * and end-to-end percentiles across all runners.
 */
export function k6RunQueries(runId: string): ExportableQuery[] {
  const sel = `{testid="${runId}"}`;
  const ack = `k6_${K6_METRICS.ack}_seconds${sel}`;
  const e2e = `${DFSP_SIM_METRICS.transferDuration}_bucket`;
  const outcomes = DFSP_SIM_METRICS.transfers;
  const e2eQuery = (p: number): ExportableQuery => ({
    name: `dfsp_sim_e2e_p${p}`,
    promql: `histogram_quantile(${p / 100}, sum by (le) (rate(${e2e}[1m]))) * 1000`,
    unit: 'ms',
    description: `End-to-end p${p}: k6's send to the payer's callback, at the DFSP simulator (all runners).`,
  });
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
    { name: 'k6_run_vus', promql: `sum(k6_vus${sel})`, unit: 'count', description: 'VUs busy, all runners.' },
    {
      name: 'k6_run_accepted_ratio',
      promql: `avg(k6_${K6_METRICS.accepted}_rate${sel})`,
      unit: 'ratio',
      description: 'Share of prepares the hub accepted (202), mean of the runners.',
    },
    {
      name: 'k6_run_ack_p95',
      promql: `histogram_quantile(0.95, sum(rate(${ack}[1m]))) * 1000`,
      unit: 'ms',
      description:
        'Prepare acknowledgement p95 (POST /transfers -> 202) across all runners (native histogram).',
    },
    {
      name: 'dfsp_sim_committed_tps',
      promql: `sum(rate(${outcomes}{outcome="success"}[1m]))`,
      unit: 'tps',
      description: 'Transfers COMMITTED per second, as the payer callbacks arrive at the DFSP simulator.',
    },
    {
      name: 'dfsp_sim_success_ratio',
      promql: `sum(rate(${outcomes}{outcome="success"}[1m])) / sum(rate(${outcomes}[1m]))`,
      unit: 'ratio',
      description: 'Share of transfer outcomes that were COMMITTED (DFSP simulator).',
    },
    e2eQuery(50),
    e2eQuery(95),
    e2eQuery(99),
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
