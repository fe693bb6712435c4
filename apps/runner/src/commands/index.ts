import type { CommandDef } from 'citty';

/** Every `mlperf` sub-command: one line each, lazily loaded. */
// biome-ignore lint/suspicious/noExplicitAny: citty's sub-commands differ in their argument types
export type AnyCommand = CommandDef<any>;
export const commands: Record<string, () => Promise<AnyCommand>> = {
  hub: () => import('./hub.js').then((m) => m.hubCommand),
  analyze: () => import('./analyze.js').then((m) => m.analyzeCommand),
  compare: () => import('./compare.js').then((m) => m.compareCommand),
  suite: () => import('./suite.js').then((m) => m.suiteCommand),
  validate: () => import('./validate.js').then((m) => m.validateCommand),
  promql: () => import('./promql.js').then((m) => m.default),
  run: () => import('./run.js').then((m) => m.runCommand),
  reset: () => import('./reset.js').then((m) => m.resetCommand),
  positions: () => import('./positions.js').then((m) => m.positionsCommand),
  report: () => import('./report.js').then((m) => m.reportCommand),
  collect: () => import('./collect.js').then((m) => m.collectCommand),
  package: () => import('./package.js').then((m) => m.packageCommand),
  dashboards: () => import('./dashboards.js').then((m) => m.dashboardsCommand),
  manifests: () => import('./manifests.js').then((m) => m.manifestsCommand),
  check: () => import('./check.js').then((m) => m.checkCommand),
  monitor: () => import('./monitor.js').then((m) => m.monitorCommand),
};
