import { ExitCode, MlperfError } from '../errors.js';

/**
 * The metric-name prefixes of a Mojaloop deployment. Each service sets its own in its config
 * (`INSTRUMENTATION.METRICS.config.prefix`): the npm packages' defaults are `moja_cl_`
 * (central-ledger) and `moja_ml_` (ml-api-adapter); other installations use `moja_` for both.
 * Their prom-client process metrics carry the same prefix (`moja_cl_process_cpu_seconds_total`).
 */
export interface MetricPrefixes {
  /** central-ledger: transfer_prepare, transfer_fulfil, transfer_position(_batch). */
  ledger: string;
  /** ml-api-adapter: tx_transfer, tx_transfer_prepare, notification_event_delivery. */
  adapter: string;
}

/** The real services' defaults, which the embedded hub exposes too. */
export const DEFAULT_METRIC_PREFIXES: Readonly<MetricPrefixes> = { ledger: 'moja_cl_', adapter: 'moja_ml_' };

const PREFIX_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$|^$/;

/**
 * `--metric-prefix`: one prefix for both services (`moja_`), or per service
 * (`central-ledger=moja_cl_,ml-api-adapter=moja_ml_`; `cl=` and `ml=` for short).
 */
export function parseMetricPrefix(value: string, flag = '--metric-prefix'): MetricPrefixes {
  const bad = (why: string) =>
    new MlperfError('USAGE', `${flag}: ${JSON.stringify(value)} ${why}`, {
      hint: `e.g. ${flag} moja_ or ${flag} central-ledger=moja_cl_,ml-api-adapter=moja_ml_`,
      exitCode: ExitCode.badInput,
    });
  if (!value.includes('=')) {
    if (!PREFIX_RE.test(value)) throw bad('is not a metric-name prefix (letters, digits, _ and :)');
    return { ledger: value, adapter: value };
  }
  const out: Partial<MetricPrefixes> = {};
  for (const part of value.split(',')) {
    const [k, v = ''] = part.split('=', 2).map((s) => s.trim());
    if (!PREFIX_RE.test(v)) throw bad(`: ${JSON.stringify(v)} is not a metric-name prefix`);
    if (k === 'central-ledger' || k === 'cl') out.ledger = v;
    else if (k === 'ml-api-adapter' || k === 'ml') out.adapter = v;
    else throw bad(`names an unknown service ${JSON.stringify(k)} (central-ledger, ml-api-adapter)`);
  }
  return { ...DEFAULT_METRIC_PREFIXES, ...out };
}

/**
 * The prefixes found in a list of metric names (a service's /metrics, or Prometheus'
 * `__name__` values). central-ledger is recognised by its position handler histogram or its
 * prepare/fulfil histograms, ml-api-adapter by its notification and tx histograms.
 */
export function prefixesFromNames(names: Iterable<string>): Partial<MetricPrefixes> {
  const list = [...names];
  const first = (re: RegExp, skip?: RegExp): string | undefined => {
    for (const n of list) {
      const m = re.exec(n);
      if (m && !skip?.test(n)) return m[1];
    }
    return undefined;
  };
  const adapter =
    first(/^(\w*?)notification_event_delivery_(?:count|bucket)$/) ??
    first(/^(\w*?)tx_transfer(?:_prepare|_fulfil)?_(?:count|bucket)$/);
  const ledger =
    first(/^(\w*?)transfer_position(?:_batch)?_(?:count|bucket)$/) ??
    first(/^(\w*?)transfer_(?:prepare|fulfil)_(?:count|bucket)$/, /(?:tx|ml)_transfer_(?:prepare|fulfil)_/);
  return { ...(ledger !== undefined ? { ledger } : {}), ...(adapter !== undefined ? { adapter } : {}) };
}

/** The prefix of a service's own prom-client metrics in its /metrics text (`moja_cl_` ...). */
export function processPrefixOf(names: Iterable<string>): string | undefined {
  for (const n of names) {
    const m = /^(\w*?)process_cpu_seconds_total$/.exec(n);
    if (m) return m[1];
  }
  return undefined;
}

/** Metric names in a Prometheus text exposition. */
export function metricNamesOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (m?.[1]) out.add(m[1]);
  }
  return out;
}

/**
 * A selector matching a metric whatever the service prefix, for prom-client metrics every
 * service exposes (`{__name__=~"(moja_cl_|moja_ml_)?process_cpu_seconds_total"}`).
 */
export function anyPrefixSelector(p: MetricPrefixes, name: string, matchers = ''): string {
  // prefixes are [a-zA-Z0-9_:] only: nothing to escape in the regex
  const alts = [...new Set([p.ledger, p.adapter].filter((x) => x !== ''))];
  const re = alts.length ? `(${alts.join('|')})?${name}` : name;
  return `{__name__=~${JSON.stringify(re)}${matchers ? `, ${matchers}` : ''}}`;
}
