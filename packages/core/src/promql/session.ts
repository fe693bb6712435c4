import { ExitCode, MlperfError } from '../errors.js';
import type { RunManifest } from '../results/types.js';
import {
  type CatalogueFamily,
  type CatalogueOptions,
  type CatalogueQuery,
  catalogueFor,
} from './catalogue.js';
import { PrometheusClient } from './client.js';
import { toSeconds } from './duration.js';
import { exportQueries } from './export.js';
import { type ScrapeTarget, startPrivatePrometheus } from './private-prometheus.js';
import { validationRecordingRules } from './recording-rules.js';
import { type LiveValue, type QueryWatch, watchQueries } from './watch.js';

export interface PrometheusSessionOptions {
  /** An existing Prometheus; when absent a private one is started for `scrapeTargets`. */
  prometheusUrl?: string;
  /** What the private Prometheus scrapes (hub, engine). */
  scrapeTargets?: ScrapeTarget[];
  /** Scrape interval of the private Prometheus (`1s`), or of the external one (for steps and lint). */
  scrapeInterval?: string;
  binary?: string;
  /** Metric-name prefixes and rate window for the catalogue. */
  catalogue?: CatalogueOptions;
  /** Families exported and watched (default all but k6). */
  families?: readonly CatalogueFamily[];
  /** Prometheus' own log (e.g. results/<run>/logs/prometheus.log). */
  logFile?: string;
  env?: NodeJS.ProcessEnv;
}

export interface PrometheusSession {
  mode: 'external' | 'private' | 'degraded';
  url?: string;
  client?: PrometheusClient;
  /** Set in degraded mode: why, what the run goes without, how to install Prometheus. */
  degraded?: { reason: string; skipped: string[]; install: string };
  queries: CatalogueQuery[];
  /** Samples the live-view queries (`live: true`); undefined in degraded mode. */
  watch(onUpdate: (values: LiveValue[]) => void, intervalMs?: number): QueryWatch | undefined;
  /** Writes metrics/<name>.json for every query; returns run.json's `metrics`. */
  exportRun(window: {
    start: number | Date;
    end: number | Date;
    dir: string;
  }): Promise<NonNullable<RunManifest['metrics']>>;
  stop(): Promise<void>;
}

const DEFAULT_FAMILIES: CatalogueFamily[] = ['validation', 'mojaloop', 'engine', 'resources', 'saturation'];

/**
 * Prometheus for one run: the given one (it must answer /-/ready, else PROMETHEUS_UNREACHABLE,
 * exit 3), or a private one scraping the hub and the engine with the Phase-07 plan recording rules, or,
 * without a prometheus binary, an explicit degraded mode that exports nothing and says why.
 */
export async function openPrometheusSession(options: PrometheusSessionOptions): Promise<PrometheusSession> {
  const families = options.families ?? DEFAULT_FAMILIES;
  const queries = catalogueFor({ ...options.catalogue, families });
  const scrapeIntervalS = toSeconds(
    options.scrapeInterval ?? (options.prometheusUrl ? '15s' : '1s'),
    'scrape interval',
  );
  const env = options.env ?? process.env;
  const session = (
    mode: 'external' | 'private',
    client: PrometheusClient,
    stop: () => Promise<void>,
  ): PrometheusSession => ({
    mode,
    url: client.url,
    client,
    queries,
    watch: (onUpdate, intervalMs = 2000) =>
      watchQueries({ client, queries: queries.filter((q) => q.live), intervalMs, onUpdate }),
    exportRun: async ({ start, end, dir }) => {
      const report = await exportQueries({ client, queries, start, end, dir, scrapeIntervalS });
      return { exported: report.exported, skipped: report.skipped };
    },
    stop,
  });
  if (options.prometheusUrl ?? env.MLPERF_PROMETHEUS_URL) {
    const client = PrometheusClient.fromEnv(options.prometheusUrl ? { url: options.prometheusUrl } : {}, env);
    if (!(await client.ready())) {
      throw new MlperfError('PROMETHEUS_UNREACHABLE', `Prometheus at ${client.url} is not ready (/-/ready)`, {
        hint: 'check --prometheus-url, or leave it out to let mlperf start a private Prometheus',
        exitCode: ExitCode.unavailable,
      });
    }
    return session('external', client, async () => {});
  }
  const started = await startPrivatePrometheus({
    scrapeTargets: options.scrapeTargets ?? [],
    scrapeInterval: options.scrapeInterval ?? '1s',
    restartOnCrash: true,
    recordingRules: validationRecordingRules({
      ...(options.catalogue?.prefix !== undefined ? { prefix: options.catalogue.prefix } : {}),
      ...(options.catalogue?.prefixes ? { prefixes: options.catalogue.prefixes } : {}),
      interval: options.scrapeInterval ?? '1s',
    }),
    ...(options.binary ? { binary: options.binary } : {}),
    ...(options.logFile ? { logFile: options.logFile } : {}),
  });
  if (started.running) return session('private', started.client, () => started.stop());
  const degraded = { reason: started.reason, skipped: started.skipped, install: started.install };
  return {
    mode: 'degraded',
    degraded,
    queries,
    watch: () => undefined,
    exportRun: async () => ({
      exported: [],
      skipped: queries.map((q) => ({
        name: q.name,
        reason: `no Prometheus: ${started.reason}; install: ${started.install}`,
      })),
    }),
    stop: async () => {},
  };
}
