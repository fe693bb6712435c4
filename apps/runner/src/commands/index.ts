import type { CommandDef } from 'citty';

/** Every `mlperf` sub-command: one line each, lazily loaded. */
// biome-ignore lint/suspicious/noExplicitAny: citty's sub-commands differ in their argument types
export type AnyCommand = CommandDef<any>;
export const commands: Record<string, () => Promise<AnyCommand>> = {
  hub: () => import('./hub.js').then((m) => m.hubCommand),
  suite: () => import('./suite.js').then((m) => m.suiteCommand),
  validate: () => import('./validate.js').then((m) => m.validateCommand),
  promql: () => import('./promql.js').then((m) => m.default),
  monitor: () => import('./monitor.js').then((m) => m.monitorCommand),
};
