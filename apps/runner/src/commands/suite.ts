import { defineCommand } from 'citty';
import type { AnyCommand } from './index.js';

/** `mlperf suite <command>`: one line per sub-command. */
export const suiteSubCommands: Record<string, () => Promise<AnyCommand>> = {
  show: () => import('./suite-show.js').then((m) => m.suiteShowCommand),
  run: () => import('./suite-run.js').then((m) => m.suiteRunCommand),
};

export const suiteCommand = defineCommand({
  meta: { name: 'suite', description: 'The performance test suite: show its plan (and run it).' },
  subCommands: suiteSubCommands,
});
