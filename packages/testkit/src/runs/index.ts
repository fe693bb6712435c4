// Results directories and analyses with fixed numbers, for report and CLI tests.
export * from './make-run.js';
export * from './analyses.js';
export * from './long-analyses.js';
export * from './suite-analysis.js';
export * from './k6-import.js';
