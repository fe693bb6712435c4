import { ExitCode, planSuite, readSuiteFile, suiteProblems, validateSuite } from '@mlperf/core';
import * as scenarios from '@mlperf/scenarios';
import { defineCommand } from 'citty';
import { int } from './_text.js';

export const validateCommand = defineCommand({
  meta: {
    name: 'validate',
    description: 'Check a suite file and list every problem with its path and a hint (exit 2 when invalid).',
  },
  args: {
    file: {
      type: 'positional',
      required: true,
      description: 'Suite file: .ts, .mts, .js, .mjs, .json, .yaml or .yml',
      valueHint: 'file',
    },
    json: { type: 'boolean', description: 'Print the result as JSON' },
    'normalise-weights': {
      type: 'boolean',
      description: 'Scale corridor weights that do not sum to 1, with a warning',
    },
  },
  async run({ args }) {
    const raw = await readSuiteFile(args.file, { modules: { '@mlperf/scenarios': scenarios } });
    const options = {
      source: `suite file ${args.file}`,
      normaliseWeights: args['normalise-weights'] === true,
    };
    if (args.json) {
      try {
        const { suite, warnings } = validateSuite(raw, options);
        const plan = planSuite(suite);
        console.log(
          JSON.stringify(
            { valid: true, suite: suite.name, problems: [], warnings, flags: plan.flags },
            null,
            2,
          ),
        );
        return ExitCode.ok;
      } catch (err) {
        const problems = suiteProblems(err);
        if (problems.length === 0) throw err;
        console.log(JSON.stringify({ valid: false, problems }, null, 2));
        return ExitCode.badInput;
      }
    }
    const { suite, warnings } = validateSuite(raw, options);
    const plan = planSuite(suite);
    const transfers = `${plan.upperBound ? '<= ' : ''}${int(plan.transfers)}`;
    console.log(
      `${args.file}: suite "${suite.name}" is valid: ${suite.dfsps.length} DFSPs, ${suite.corridors.length} corridors, ${suite.tests.length} tests, ${transfers} planned transfers`,
    );
    for (const w of warnings)
      console.log(`  warning: ${w.path}: ${w.message}${w.hint ? `\n    hint: ${w.hint}` : ''}`);
    for (const f of plan.flags)
      console.log(
        `  ${f.severity === 'infeasible' ? 'INFEASIBLE' : 'warning'}: ${f.message}\n    hint: ${f.hint}`,
      );
    return ExitCode.ok;
  },
});
