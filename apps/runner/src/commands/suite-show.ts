import { formatDuration, planSuite } from '@mlperf/core';
import { defineCommand } from 'citty';
import { costArgs, costFrom, resolveSuiteFromFlags, suiteSourceArgsFor } from './_suite-source.js';
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
    ...costArgs,
  },
  async run({ args }) {
    const { suite, warnings, source } = await resolveSuiteFromFlags(args, 'full');
    const cost = costFrom(args, suite.cost);
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
