import { ExitCode } from '@mlperf/core';
import { HubAdmin } from '@mlperf/scenarios';
import { defineCommand } from 'citty';
import { adminArgs, adminUrlFrom, positionLines } from './_admin.js';
import { resolveSuiteFromFlags } from './_suite-source.js';

export const resetCommand = defineCommand({
  meta: {
    name: 'reset',
    description:
      "Reset DFSP funds, limits and positions to the suite's opening state (reset-test-data), then show them.",
  },
  args: adminArgs,
  async run({ args }) {
    const admin = new HubAdmin(adminUrlFrom(args['admin-url']));
    const { suite } = await resolveSuiteFromFlags({ ...(args.suite ? { suite: args.suite } : {}) }, 'full');
    const { mode, warnings } = await admin.reset(suite.dfsps);
    const rows = await admin.positions(suite.dfsps);
    if (args.json) {
      console.log(JSON.stringify({ mode, warnings, positions: rows }, null, 2));
      return ExitCode.ok;
    }
    console.log(
      `Reset ${suite.dfsps.length} DFSPs (${mode === 'embedded' ? 'embedded hub' : 'central-ledger: limits and settlement funds'})`,
    );
    for (const w of warnings) console.log(`  warning: ${w}`);
    console.log('');
    for (const line of positionLines(rows)) console.log(line);
    return ExitCode.ok;
  },
});
