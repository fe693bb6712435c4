export { standardDfsps, standardSuite, standardTestFileName } from './standard-suite.js';
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
