import type { CommandDef } from 'citty';

/** Every `mlperf` sub-command: one line each, lazily loaded. */
// biome-ignore lint/suspicious/noExplicitAny: citty's sub-commands differ in their argument types
type AnyCommand = CommandDef<any>;
export const commands: Record<string, () => Promise<AnyCommand>> = {
  monitor: () => import('./monitor.js').then((m) => m.monitorCommand),
};
