import { formatCheckLine, formatCheckSummary, k6ClusterNeed, runChecks } from '@mlperf/scenarios';
import { defineCommand } from 'citty';
import { checkInput } from '../suite/wire.js';
import { executorArgs } from './_executors.js';
import { openTarget, targetArgs } from '../suite/target.js';
import { costArgs, costFrom, resolveSuiteFromFlags, suiteSourceArgsFor } from './_suite-source.js';

export const checkCommand = defineCommand({
  meta: {
    name: 'check',
    description:
      'Pre-test check (pre-test-check.sh): services healthy, uptime, utilisation < 20%, no alerts, cluster capacity, test data, a first transfer, generator capacity, estimated duration and cost. Exit 0 ready, 1 a check failed, 3 target unreachable.',
  },
  args: {
    ...suiteSourceArgsFor('full'),
    ...targetArgs,
    ...costArgs,
    'no-probe': {
      type: 'boolean',
      description: 'Do not send the first real transfers (which move positions)',
    },
    verbose: { type: 'boolean', description: 'Print the numbers behind every check' },
    executor: executorArgs.executor,
    json: { type: 'boolean', description: 'Print the report as JSON' },
  },
  async run({ args }) {
    const { suite } = await resolveSuiteFromFlags(args, 'full');
    const target = await openTarget(suite, args, { prometheus: false });
    try {
      const cost = costFrom(args, suite.cost);
      const input = checkInput(suite, target, { ...(cost ? { cost } : {}), probe: !args['no-probe'] });
      if (args.executor === 'k8s') input.clusterNeed = k6ClusterNeed(suite);
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
