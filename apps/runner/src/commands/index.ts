import type { CommandDef } from 'citty';

/** Every `mlperf` sub-command: one line each, lazily loaded. */
// biome-ignore lint/suspicious/noExplicitAny: citty's sub-commands differ in their argument types
export type AnyCommand = CommandDef<any>;
export const commands: Record<string, () => Promise<AnyCommand>> = {
  suite: () => import('./suite.js').then((m) => m.suiteCommand),
  validate: () => import('./validate.js').then((m) => m.validateCommand),
  manifests: () => import('./manifests.js').then((m) => m.manifestsCommand),
  'dfsp-sim': () => import('./dfsp-sim.js').then((m) => m.dfspSimCommand),
  run: () => import('./run.js').then((m) => m.runCommand),
  reset: () => import('./reset.js').then((m) => m.resetCommand),
  positions: () => import('./positions.js').then((m) => m.positionsCommand),
};
