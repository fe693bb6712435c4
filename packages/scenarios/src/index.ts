export { standardSuite, standardTestFileName } from './standard-suite.js';

export { runTest, ENGINE_VERSION } from './run-test.js';
export type { LiveSecond, RunTestOptions, RunTestResult } from './run-test.js';
export type { ThresholdResult } from './engine/thresholds.js';
export type { StopEvent } from './engine/load-engine.js';
export { parseThresholds, SUMMARY_METRICS } from './engine/thresholds.js';
export { decodeSnapshot } from './engine/histograms.js';
export { checkTarget } from './target.js';
export { DEFAULT_CALLBACK_PORT } from './callback-probe.js';
export { HubAdmin, formatMoney, TRANSFER_ENDPOINT_TYPES } from './hub-admin.js';
export type { DfspPosition } from './hub-admin.js';

export { conditionOf, deriveFulfilment, fulfilmentMatches } from './fspiop/crypto.js';
export { decodeIlpPrepare } from './fspiop/ilp.js';
export { newTransferId, ulid, uuid } from './fspiop/ids.js';
export type { IdKind } from './fspiop/ids.js';
export { canonicalAmount, TRANSFERS_ACCEPT, TRANSFERS_CONTENT_TYPE } from './fspiop/messages.js';
export { abortOnSignals } from './signals.js';
export { corridorName, testContext } from './k6/context.js';
export type { TestContext } from './k6/context.js';
export {
  K6_METRICS,
  expectedLatencyMs,
  k6Scenarios,
  k6Thresholds,
  peakRate,
  plannedArrivals,
  vuPools,
} from './k6/options.js';
export type { K6Scenario, K6SizingOptions, K6Threshold } from './k6/options.js';
export { K6_SCALE, k6ScaleAdvice } from './k6/scale.js';
export type { K6ScaleAdvice } from './k6/scale.js';
export { DEFAULT_FULFILMENT_SECRET, SUMMARY_BEGIN, SUMMARY_END, renderK6Script } from './k6/script.js';
export type { K6ScriptOptions } from './k6/script.js';
export { extractSummaries, toSummaryExport } from './k6/summary.js';
export type { K6HandleSummary, K6SummaryExport } from './k6/summary.js';
export { mergeSummaries } from './k6/summary-merge.js';
export { DEFAULT_K6_IMAGE, MANAGED_BY, SCRIPT_FILE, k8sName, renderTestRun } from './k8s/manifests.js';
export type { K8sManifestOptions, RenderedTestRun, TestRunResource } from './k8s/manifests.js';
export { DFSP_SIM_DEFAULTS, dfspSimServiceUrl, renderDfspSimManifests } from './k8s/dfsp-sim-manifests.js';
export type { DfspSimManifestOptions } from './k8s/dfsp-sim-manifests.js';
export { renderSuiteManifests, toYamlDocuments, writeSuiteManifests } from './k8s/suite-manifests.js';
export type { ManifestObject, SuiteManifestOptions, TestManifestFile } from './k8s/suite-manifests.js';
export { K6_ERROR_TYPES, k8sTotals } from './k6/totals.js';
export { baseManifest, plannedStageWindows, thresholdsPassed } from './k6/run-manifest.js';
export { Cluster } from './k8s/cluster.js';
export type { ClusterOptions } from './k8s/cluster.js';
export { RBAC_NEEDED, kubeError } from './k8s/errors.js';
export { runTestOnKubernetes } from './k8s/executor.js';
export type { K8sRunOptions, K8sRunResult } from './k8s/executor.js';
export { findK6, k6Version, requireK6 } from './k6/binary.js';
export { inProcessDfspSim, runTestWithK6 } from './k6/local.js';
export type { DfspSimHandle, K6LocalRunOptions, K6LocalRunResult } from './k6/local.js';
export { k6RunQueries, prometheusExporter } from './k6/prometheus.js';
export type { PrometheusExportOptions } from './k6/prometheus.js';
export {
  formatCheckLine,
  formatCheckReport,
  formatCheckSummary,
  generatorSelfTest,
  judgeGenerator,
  loadKubeAccess,
  parseQuantity,
  runChecks,
} from './check/index.js';
export type {
  CheckId,
  CheckInput,
  CheckNumber,
  CheckPlan,
  CheckReport,
  CheckResult,
  CheckStatus,
  CheckTarget,
  ClusterNeed,
  KubeAccess,
  LiquidityNeed,
  SelfTestResult,
  ServiceEndpoint,
} from './check/index.js';
export {
  formatSuiteEvent,
  isSuiteDirectory,
  passedGate,
  progression,
  readSuiteManifest,
  remainingMs,
  runSuite,
  SUITE_FILE,
  SUITE_RUN_SCHEMA_VERSION,
  suiteDirName,
  suiteVerdict,
} from './suite-run/index.js';
export type {
  RunTestArgs,
  RunTestOutcome,
  SuiteEvent,
  SuiteFindingSummary,
  SuitePhase,
  SuiteRunDeps,
  SuiteRunManifest,
  SuiteRunOptions,
  SuiteRunResult,
  SuiteRunStatus,
  SuiteTestAttempt,
  SuiteTestEntry,
  SuiteTestStatus,
  TestAnalysis,
} from './suite-run/index.js';
export { LiveIssueDetector } from './monitor/live-issues.js';
export type { DetectorOptions, LikelyCause, LiveIssue, LiveIssueKind } from './monitor/live-issues.js';
export { TimeseriesTail } from './monitor/tail.js';
export {
  MonitorState,
  newestRunDirectory,
  renderMonitorFrame,
  renderMonitorLine,
  runMonitor,
} from './monitor/index.js';
export type { KeyMetricValue, MonitorOptions, MonitorSnapshot, MonitorSources } from './monitor/index.js';
export { startDfspSim } from './dfsp-sim/server.js';
export type { DfspSim, DfspSimOptions } from './dfsp-sim/server.js';
export { DFSP_SIM_METRICS, OutcomeBook } from './dfsp-sim/outcomes.js';
export type { Outcome } from './dfsp-sim/outcomes.js';
export type { SimSecond } from './dfsp-sim/seconds.js';
export { k6ClusterNeed, k6SuiteRunTest } from './k6/suite-adapter.js';
