import {
  DEFAULT_METRIC_PREFIXES,
  type MetricPrefixes,
  metricNamesOf,
  type PrometheusClient,
  parseMetricPrefix,
  prefixesFromNames,
  processPrefixOf,
} from '@mlperf/core/promql';

/** The metric prefixes a run uses, and where they came from (shown to the user, kept in notes). */
export interface ResolvedPrefixes {
  prefixes: MetricPrefixes;
  source: string;
}

/** A service's /metrics endpoint (`central-ledger`, `ml-api-adapter`, handler processes ...). */
export interface MetricsEndpoint {
  service: string;
  url: string;
}

const LEDGER = /central-ledger|^cl(-|$)|ledger/;
const ADAPTER = /ml-api-adapter|^ml(-|$)|adapter|notification/;

/**
 * The Mojaloop metric prefixes of a target: `--metric-prefix` when given; else discovered from
 * the services' /metrics (their transfer histograms, or their process metrics, which exist
 * before the first transfer), then from Prometheus' metric names; else the services' defaults.
 */
export async function resolveMetricPrefixes(input: {
  flag?: string;
  endpoints: MetricsEndpoint[];
  prometheus?: PrometheusClient;
}): Promise<ResolvedPrefixes> {
  if (input.flag !== undefined) {
    return { prefixes: parseMetricPrefix(input.flag), source: '--metric-prefix' };
  }
  const found: Partial<MetricPrefixes> = {};
  const sources: string[] = [];
  for (const e of input.endpoints) {
    const names = await scrapeNames(e.url);
    if (!names) continue;
    const byHistograms = prefixesFromNames(names);
    const own = processPrefixOf(names);
    const ledger = byHistograms.ledger ?? (LEDGER.test(e.service) ? own : undefined);
    const adapter = byHistograms.adapter ?? (ADAPTER.test(e.service) ? own : undefined);
    if (found.ledger === undefined && ledger !== undefined) {
      found.ledger = ledger;
      sources.push(`${e.url}`);
    }
    if (found.adapter === undefined && adapter !== undefined) {
      found.adapter = adapter;
      sources.push(`${e.url}`);
    }
  }
  if ((found.ledger === undefined || found.adapter === undefined) && input.prometheus) {
    try {
      const names = (await input.prometheus.labelValues('__name__')).data;
      const p = prefixesFromNames(names);
      if (found.ledger === undefined && p.ledger !== undefined) found.ledger = p.ledger;
      if (found.adapter === undefined && p.adapter !== undefined) found.adapter = p.adapter;
      if (p.ledger !== undefined || p.adapter !== undefined) sources.push('Prometheus metric names');
    } catch {
      // Prometheus unreachable: its own check reports it
    }
  }
  const prefixes = { ...DEFAULT_METRIC_PREFIXES, ...found };
  const missing = [
    found.ledger === undefined ? 'central-ledger' : '',
    found.adapter === undefined ? 'ml-api-adapter' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const source = sources.length
    ? `discovered from ${[...new Set(sources)].join(', ')}${missing ? `; ${missing}: the default` : ''}`
    : "the services' defaults (nothing to discover from)";
  return { prefixes, source };
}

async function scrapeNames(url: string): Promise<Set<string> | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return undefined;
    return metricNamesOf(await res.text());
  } catch {
    return undefined;
  }
}

/** `moja_cl_ / moja_ml_` for the user. */
export function formatPrefixes(p: MetricPrefixes): string {
  return p.ledger === p.adapter
    ? `${p.ledger || '(none)'} (both services)`
    : `central-ledger ${p.ledger || '(none)'}, ml-api-adapter ${p.adapter || '(none)'}`;
}
