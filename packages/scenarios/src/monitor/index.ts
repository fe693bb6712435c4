export { LiveIssueDetector } from './live-issues.js';
export type { DetectorOptions, LikelyCause, LiveIssue, LiveIssueKind } from './live-issues.js';
export { TimeseriesTail } from './tail.js';
export { MonitorState, newestRunDirectory } from './snapshot.js';
export type { KeyMetricValue, MonitorSnapshot, MonitorSources } from './snapshot.js';
export { renderMonitorFrame, renderMonitorLine } from './render.js';
export { runMonitor } from './monitor.js';
export type { MonitorOptions } from './monitor.js';
