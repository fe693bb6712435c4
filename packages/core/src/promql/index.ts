// PromQL validation, the validation-query catalogue and the Prometheus client (issue 5).
export type { Diagnostic, MetricType, Severity, ValidateOptions } from './types.js';
export { listNames, listSelectors, queryType, validateQuery } from './validate.js';
export { validateQueryLive } from './validate-live.js';
export type { LiveValidateOptions } from './validate-live.js';
export { formatDiagnostic } from './format.js';
export { DEFAULT_PROMETHEUS_VERSION } from './grammar.js';
export { installedPrometheusVersion, resolvePrometheusVersion } from './target-version.js';
export { parsePromDuration } from './duration.js';
export {
  InstantVector,
  RangeVector,
  Scalar,
  Selector,
  add,
  avg,
  avgBy,
  avgOverTime,
  clampMin,
  count,
  countBy,
  delta,
  deriv,
  div,
  filter,
  histogramQuantile,
  increase,
  irate,
  max,
  maxBy,
  maxOverTime,
  min,
  minBy,
  mul,
  or,
  quote,
  rate,
  scalar,
  selector,
  sub,
  sum,
  sumBy,
  sumWithout,
  topk,
  vector,
} from './builders.js';
export type { Matching, MatcherValue, Operand } from './builders.js';
export { CATALOGUE, CATALOGUE_FAMILIES, catalogueFor } from './catalogue.js';
export {
  anyPrefixSelector,
  DEFAULT_METRIC_PREFIXES,
  metricNamesOf,
  parseMetricPrefix,
  prefixesFromNames,
  processPrefixOf,
} from './metric-prefixes.js';
export type { MetricPrefixes } from './metric-prefixes.js';
export type { CatalogueFamily, CatalogueOptions, CatalogueQuery, QueryUnit } from './catalogue.js';
export { engineMetricNames } from './engine-metrics.js';
export { ruleFileYaml, validationRecordingRules } from './recording-rules.js';
export type { RecordingRule, RuleGroup, ValidationRulesOptions } from './recording-rules.js';
export { PROMETHEUS_ENV, PrometheusClient, safeUrl } from './client.js';
export type {
  AlertInfo,
  Annotated,
  InstantResult,
  InstantSample,
  Labels,
  MetricMetadata,
  PrometheusAuth,
  PrometheusClientOptions,
  RangeSeries,
  TargetInfo,
} from './client.js';
export { findPrometheusBinary, freePort, startPrivatePrometheus } from './private-prometheus.js';
export type {
  DegradedPrometheus,
  PrivatePrometheus,
  PrivatePrometheusOptions,
  RunningPrometheus,
  ScrapeTarget,
} from './private-prometheus.js';
export { exportQueries } from './export.js';
export type { ExportOptions, ExportReport, ExportableQuery, MissingWindow } from './export.js';
export { watchQueries } from './watch.js';
export type { LiveValue, QueryWatch, WatchOptions, WatchedQuery } from './watch.js';
export { openPrometheusSession } from './session.js';
export type { PrometheusSession, PrometheusSessionOptions } from './session.js';
