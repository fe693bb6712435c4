export { ExitCode, MlperfError, isMlperfError } from './errors.js';
export type { MlperfErrorOptions } from './errors.js';
export type * from './model/types.js';
export type * from './results/types.js';
export { RESULTS_SCHEMA_VERSION } from './results/types.js';
export type * from './analysis/types.js';
export { ANALYSIS_SCHEMA_VERSION } from './analysis/types.js';
