import type { CommandDef } from 'citty';

/** Every `mlperf` sub-command, in runbook order: one line each, lazily loaded. Keep the order when adding one. */
// biome-ignore lint/suspicious/noExplicitAny: citty's sub-commands differ in their argument types
export type AnyCommand = CommandDef<any>;
export const commands: Record<string, () => Promise<AnyCommand>> = {
  check: () => import('./check.js').then((m) => m.checkCommand),
  suite: () => import('./suite.js').then((m) => m.suiteCommand),
  run: () => import('./run.js').then((m) => m.runCommand),
  monitor: () => import('./monitor.js').then((m) => m.monitorCommand),
  reset: () => import('./reset.js').then((m) => m.resetCommand),
  positions: () => import('./positions.js').then((m) => m.positionsCommand),
  hub: () => import('./hub.js').then((m) => m.hubCommand),
  analyze: () => import('./analyze.js').then((m) => m.analyzeCommand),
  compare: () => import('./compare.js').then((m) => m.compareCommand),
  report: () => import('./report.js').then((m) => m.reportCommand),
  dashboards: () => import('./dashboards.js').then((m) => m.dashboardsCommand),
  collect: () => import('./collect.js').then((m) => m.collectCommand),
  package: () => import('./package.js').then((m) => m.packageCommand),
  promql: () => import('./promql.js').then((m) => m.default),
  manifests: () => import('./manifests.js').then((m) => m.manifestsCommand),
  'dfsp-sim': () => import('./dfsp-sim.js').then((m) => m.dfspSimCommand),
  validate: () => import('./validate.js').then((m) => m.validateCommand),
};
