import { type CostModel, formatDuration, planSuite } from '@mlperf/core';
import { defineCommand } from 'citty';
import { numberFlag, resolveSuiteFromFlags, suiteSourceArgsFor } from './_suite-source.js';
import { renderSuitePlan } from './_suite-text.js';

export const suiteShowCommand = defineCommand({
  meta: {
    name: 'show',
    description:
      'Show the plan of a suite: tests, stages, planned transfers, TPS per corridor, liquidity needed vs funded, duration and cost.',
  },
  args: {
    ...suiteSourceArgsFor('full'),
    json: { type: 'boolean', description: 'Print the plan as JSON' },
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
  },
  async run({ args }) {
    const { suite, warnings, source } = await resolveSuiteFromFlags(args, 'full');
    const perNodeHour = numberFlag('--cost-per-node-hour', args['cost-per-node-hour'], { min: 0 });
    const nodes = numberFlag('--nodes', args.nodes, { integer: true, min: 1 });
    let cost: CostModel | undefined;
    if (perNodeHour !== undefined || nodes !== undefined) {
      cost = {
        perNodeHour: perNodeHour ?? suite.cost?.perNodeHour ?? 0,
        nodes: nodes ?? suite.cost?.nodes ?? 1,
        currency: suite.cost?.currency ?? 'USD',
      };
    }
    const plan = planSuite(suite, cost ? { cost } : {});
    if (args.json) {
      const out = {
        suite: suite.name,
        source,
        profile: suite.profile,
        durationText: formatDuration(plan.durationMs),
        plan,
        warnings,
      };
      console.log(JSON.stringify(out, null, 2));
    } else {
      console.log(renderSuitePlan(suite, plan, warnings).join('\n'));
    }
    return 0;
  },
});
