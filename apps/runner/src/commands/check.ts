import type { CostModel } from '@mlperf/core';
import { formatCheckLine, formatCheckSummary, runChecks } from '@mlperf/scenarios';
import { defineCommand } from 'citty';
import { checkInput } from '../suite/wire.js';
import { openTarget, targetArgs } from '../suite/target.js';
import { numberFlag, resolveSuiteFromFlags, suiteSourceArgs } from './_suite-source.js';

/** --cost-per-node-hour / --nodes as a cost model (the seed's "Estimated cost"). */
export const costArgs = {
  'cost-per-node-hour': {
    type: 'string',
    description: 'Price of one node for one hour (with --nodes)',
    valueHint: 'amount',
  },
  nodes: {
    type: 'string',
    description: 'Number of cluster nodes (with --cost-per-node-hour)',
    valueHint: 'n',
  },
} as const;

export function costFrom(
  args: { 'cost-per-node-hour'?: string; nodes?: string },
  suiteCost: CostModel | undefined,
): CostModel | undefined {
  const perNodeHour = numberFlag('--cost-per-node-hour', args['cost-per-node-hour'], { min: 0 });
  const nodes = numberFlag('--nodes', args.nodes, { integer: true, min: 1 });
  if (perNodeHour === undefined && nodes === undefined) return undefined;
  return {
    perNodeHour: perNodeHour ?? suiteCost?.perNodeHour ?? 0,
    nodes: nodes ?? suiteCost?.nodes ?? 1,
    currency: suiteCost?.currency ?? 'USD',
  };
}

export const checkCommand = defineCommand({
  meta: {
    name: 'check',
    description:
      'Pre-test check (pre-test-check.sh): services healthy, uptime, utilisation < 20%, no alerts, cluster capacity, test data, a first transfer, generator capacity, estimated duration and cost. Exit 0 ready, 1 a check failed, 3 target unreachable.',
  },
  args: {
    ...suiteSourceArgs,
    ...targetArgs,
    ...costArgs,
    'no-probe': {
      type: 'boolean',
      description: 'Do not send the first real transfers (which move positions)',
    },
    verbose: { type: 'boolean', description: 'Print the numbers behind every check' },
    json: { type: 'boolean', description: 'Print the report as JSON' },
  },
  async run({ args }) {
    const { suite } = await resolveSuiteFromFlags(args, 'full');
    const target = await openTarget(suite, args, { prometheus: false });
    try {
      const cost = costFrom(args, suite.cost);
      const input = checkInput(suite, target, { ...(cost ? { cost } : {}), probe: !args['no-probe'] });
      if (!args.json) {
        console.log('System Ready Check\n==================');
        input.onResult = (r) =>
          console.log(formatCheckLine(r, { numbers: args.verbose === true }).join('\n'));
      }
      const report = await runChecks(input);
      if (args.json) console.log(JSON.stringify(report, null, 2));
      else console.log(formatCheckSummary(report).join('\n'));
      return report.exitCode;
    } finally {
      await target.close();
    }
  },
});
