export { ExitCode, MlperfError, isMlperfError } from './errors.js';
export type { MlperfErrorOptions } from './errors.js';

export type * from './model/types.js';
export { formatDuration, parseDuration, tryParseDuration } from './model/duration.js';
export { QUICK_TIME_SCALE, resolveProfile } from './model/profile.js';
export type { ProfileOptions } from './model/profile.js';
export {
  rateAt,
  stageArrivals,
  stageName,
  stageRateAt,
  timeStages,
  totalDurationMs,
} from './model/stages.js';
export type { TimedStage } from './model/stages.js';

export type * from './results/types.js';
export { RESULTS_SCHEMA_VERSION } from './results/types.js';
export { ResultsWriter, runDirName, safeFileName, writeFileAtomic } from './results/writer.js';
export type { NewRunManifest } from './results/writer.js';
export { ENGINE_METRICS } from './results/engine-metrics.js';
export { isResultsDirectory, parseTimeseries, readResults } from './results/reader.js';

export type * from './analysis/types.js';
export { ANALYSIS_SCHEMA_VERSION } from './analysis/types.js';
