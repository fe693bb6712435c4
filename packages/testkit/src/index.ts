export { FspiopSpec } from './fspiop-spec.js';
export { HUB_CAUSES } from './findings.js';
export type { HttpMessage } from './fspiop-spec.js';
export { parseMetrics, scrape, sum } from './prometheus.js';
export type { Sample } from './prometheus.js';
export { publicApi } from './public-api.js';
export type { PublicApi } from './public-api.js';
export { untilScraped } from './prometheus-wait.js';
export type { ScrapeWait } from './prometheus-wait.js';
