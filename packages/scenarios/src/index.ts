export { standardDfsps, standardSuite, standardTestFileName } from './standard-suite.js';

export { runTest, ENGINE_VERSION } from './run-test.js';
export type { LiveSecond, RunTestOptions, RunTestResult } from './run-test.js';
export type { CriterionResult } from './engine/criteria.js';
export type { ThresholdResult } from './engine/thresholds.js';
export type { StopEvent } from './engine/load-engine.js';
export { parseThresholds, thresholdsFromCriteria, SUMMARY_METRICS } from './engine/thresholds.js';
export { decodeSnapshot } from './engine/histograms.js';
export { checkTarget } from './target.js';
export { HubAdmin, formatMoney, TRANSFER_ENDPOINT_TYPES } from './hub-admin.js';
export type { DfspPosition } from './hub-admin.js';

export { conditionOf, deriveFulfilment, fulfilmentMatches } from './fspiop/crypto.js';
export { decodeIlpPrepare } from './fspiop/ilp.js';
export { newTransferId, ulid, uuid } from './fspiop/ids.js';
export type { IdKind } from './fspiop/ids.js';
export { canonicalAmount, TRANSFERS_ACCEPT, TRANSFERS_CONTENT_TYPE } from './fspiop/messages.js';
export { abortOnSignals } from './signals.js';
