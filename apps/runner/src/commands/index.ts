import type { CommandDef } from 'citty';

/** Every `mlperf` sub-command: one line each, lazily loaded. */
// biome-ignore lint/suspicious/noExplicitAny: citty's sub-commands differ in their argument types
type AnyCommand = CommandDef<any>;
export const commands: Record<string, () => Promise<AnyCommand>> = {
  report: () => import('./report.js').then((m) => m.default),
  collect: () => import('./collect.js').then((m) => m.default),
  package: () => import('./package.js').then((m) => m.default),
  dashboards: () => import('./dashboards.js').then((m) => m.default),
};
