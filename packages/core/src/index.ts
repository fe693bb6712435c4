export { ExitCode, MlperfError, isMlperfError } from './errors.js';
export type { MlperfErrorOptions } from './errors.js';
export { errorMessage } from './error-message.js';

export type * from './model/types.js';
export { formatDuration, parseDuration, tryParseDuration } from './model/duration.js';
export { resolveProfile } from './model/profile.js';
export { standardDfsps } from './model/dfsps.js';
export { needsPrometheus, PROMETHEUS_CRITERIA, prometheusCriteria } from './model/evidence.js';
export type { PrometheusCriterionKind } from './model/evidence.js';
export type { ProfileOptions } from './model/profile.js';
export {
  rateAt,
  stageArrivals,
  stageName,
  timeStages,
  totalDurationMs,
} from './model/stages.js';
export type { TimedStage } from './model/stages.js';

export type * from './results/types.js';
export { RESULTS_SCHEMA_VERSION } from './results/types.js';
export { ResultsWriter, runDirName, safeFileName, writeFileAtomic } from './results/writer.js';
export type { NewRunManifest } from './results/writer.js';
export { ENGINE_METRICS } from './results/engine-metrics.js';
export {
  checkRunManifest,
  checkTimeseriesRecord,
  isResultsDirectory,
  parseTimeseries,
  readResults,
} from './results/reader.js';

export type * from './analysis/types.js';
export { ANALYSIS_SCHEMA_VERSION } from './analysis/types.js';
export { combineVerdicts, verdictExitCode } from './analysis/verdict.js';
export {
  defineCorridor,
  defineDfsp,
  defineStopRule,
  defineSuite,
  defineTest,
  defineTransfer,
  stage,
} from './model/define.js';
export { validateSuite, suiteProblems, WEIGHT_TOLERANCE } from './model/validate.js';
export type { SuiteIssue, ValidateOptions } from './model/validate.js';
export { DEFAULT_BANDS, classifyMetric } from './model/bands.js';
export type { ClassifyOptions } from './model/bands.js';
export { planSuite, planTest } from './model/plan.js';
export type { PlanOptions } from './model/plan.js';
export type * from './model/plan-types.js';
export { loadSuiteFile, readSuiteFile } from './model/load.js';
export type { LoadSuiteOptions } from './model/load.js';
