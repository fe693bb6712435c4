export type * from './types.js';
export { SUITE_RUN_SCHEMA_VERSION } from './types.js';
export { passedGate, remainingMs, runSuite, suiteVerdict } from './orchestrator.js';
export { isSuiteDirectory, readSuiteManifest, suiteDirName, SUITE_FILE } from './suite-file.js';
export { progression } from './progression.js';
export { formatSuiteEvent } from './format.js';
