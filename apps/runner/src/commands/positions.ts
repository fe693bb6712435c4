import { ExitCode } from '@mlperf/core';
import { HubAdmin } from '@mlperf/scenarios';
import { defineCommand } from 'citty';
import { adminArgs, adminUrlFrom, positionLines } from './_admin.js';
import { resolveSuiteFromFlags } from './_suite-source.js';

export const positionsCommand = defineCommand({
  meta: {
    name: 'positions',
    description:
      "Show each DFSP's funds available to send (liquidity minus position), as check-dfsp-positions does.",
  },
  args: adminArgs,
  async run({ args }) {
    const admin = new HubAdmin(adminUrlFrom(args['admin-url']));
    const { suite } = await resolveSuiteFromFlags({ ...(args.suite ? { suite: args.suite } : {}) }, 'full');
    const rows = await admin.positions(suite.dfsps);
    if (args.json) console.log(JSON.stringify(rows, null, 2));
    else for (const line of positionLines(rows)) console.log(line);
    return ExitCode.ok;
  },
});
