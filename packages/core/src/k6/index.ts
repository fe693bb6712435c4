export { importK6Ndjson } from './import.js';
export type { K6NdjsonImport, K6NdjsonOptions } from './import.js';
export { readK6Summary } from './summary.js';
export type { K6SummaryImport } from './summary.js';
export type { K6ThresholdResult } from './thresholds.js';
export { addToSnapshot, latencySnapshot } from './snapshot.js';
