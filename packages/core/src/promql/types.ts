/** The value types of PromQL expressions. `matrix` is a range vector, `vector` an instant vector. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

export type Severity = 'error' | 'warning';

/** One problem found in a query. `from`/`to` are character offsets into the query text. */
export interface Diagnostic {
  severity: Severity;
  from: number;
  to: number;
  message: string;
  /** How to fix it; for rewrites, the corrected query. */
  hint: string;
  /** Stable rule id, e.g. `syntax`, `grouping-outside-aggregation`, `rate-non-counter`. */
  rule: string;
}

/** Prometheus metric types, as the metadata API reports them. */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown';

export interface ValidateOptions {
  /** Scrape interval of the Prometheus that will run the query (`15s` default), for the range rule. */
  scrapeInterval?: string | number;
  /** Metric types from the metadata API (`metric -> type`); overrides the name-suffix heuristic. */
  metadata?: Record<string, MetricType>;
  /** Extra metric names known to be counters (recording rules carry no metadata). */
  counters?: readonly string[];
  /** Metric names known to have series; a selector whose metric is not here gets `no-series`. */
  knownMetrics?: readonly string[];
}
