export { standardSuite } from './standard-suite.js';
export { runTest } from './run-test.js';
export type { LiveSecond, RunTestOptions, RunTestResult } from './run-test.js';
export type { ThresholdResult } from './engine/thresholds.js';
export type { StopEvent } from './engine/load-engine.js';
export { DEFAULT_CALLBACK_PORT } from './callback-probe.js';
export { HubAdmin, formatMoney } from './hub-admin.js';
export type { DfspPosition } from './hub-admin.js';
export { conditionOf, deriveFulfilment } from './fspiop/crypto.js';
export type { IdKind } from './fspiop/ids.js';
export { TRANSFERS_ACCEPT, TRANSFERS_CONTENT_TYPE } from './fspiop/messages.js';
export { prepareRequest } from './fspiop/prepare-request.js';
export type { PrepareRequestOptions } from './fspiop/prepare-request.js';
export { abortOnSignals } from './signals.js';
export type { TestContext } from './k6/context.js';
export { K6_METRICS } from './k6/options.js';
export type { K6SizingOptions } from './k6/options.js';
export { k6ScaleAdvice } from './k6/scale.js';
export { renderK6Script } from './k6/script.js';
export type { K6ScriptOptions } from './k6/script.js';
export { toSummaryExport } from './k6/summary.js';
export type { K6HandleSummary, K6SummaryExport } from './k6/summary.js';
export type { K8sManifestOptions } from './k8s/manifests.js';
export type { DfspSimManifestOptions } from './k8s/dfsp-sim-manifests.js';
export { writeSuiteManifests } from './k8s/suite-manifests.js';
export type { SuiteManifestOptions } from './k8s/suite-manifests.js';
export type { ClusterOptions } from './k8s/cluster.js';
export { runTestOnKubernetes } from './k8s/executor.js';
export type { K8sRunOptions, K8sRunResult } from './k8s/executor.js';
export { findK6 } from './k6/binary.js';
export { runTestWithK6 } from './k6/local.js';
export type { DfspSimHandle, K6LocalRunOptions, K6LocalRunResult } from './k6/local.js';
export { k6RunQueries } from './k6/prometheus.js';
export {
  formatCheckLine,
  formatCheckSummary,
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
export { formatSuiteEvent, readSuiteManifest, runSuite } from './suite-run/index.js';
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
export type { LikelyCause, LiveIssue, LiveIssueKind } from './monitor/live-issues.js';
export { newestRunDirectory, runMonitor } from './monitor/index.js';
export type { KeyMetricValue, MonitorOptions, MonitorSnapshot, MonitorSources } from './monitor/index.js';
export { startDfspSim } from './dfsp-sim/server.js';
export type { DfspSim, DfspSimOptions } from './dfsp-sim/server.js';
export { k6ClusterNeed, k6SuiteRunTest } from './k6/suite-adapter.js';
