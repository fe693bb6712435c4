import { compareRuns, formatComparison } from '@mlperf/analysis';
import { ExitCode, MlperfError } from '@mlperf/core';
import { defineCommand } from 'citty';

function fraction(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) {
    throw new MlperfError('USAGE_BAD_FLAG', `--${flag} ${value}: must be a number between 0 and 1`, {
      hint: `e.g. --${flag} ${fallback}`,
      exitCode: ExitCode.badInput,
    });
  }
  return n;
}

export const compareCommand = defineCommand({
  meta: {
    name: 'compare',
    description:
      'Compare run B against baseline run A metric by metric with a significance test (a CI gate). Exit 0 no regression, 1 significant regression, 2 bad input, 4 inconclusive (a side has no data).',
  },
  args: {
    runA: {
      type: 'positional',
      required: true,
      description: 'Baseline: results directory or k6 output file',
      valueHint: 'runA',
    },
    runB: {
      type: 'positional',
      required: true,
      description: 'Candidate: results directory or k6 output file',
      valueHint: 'runB',
    },
    alpha: { type: 'string', description: 'Significance level (default 0.01)', valueHint: 'p' },
    'min-effect': {
      type: 'string',
      description: 'Smallest relative change that counts as a regression (default 0.05)',
      valueHint: 'ratio',
    },
    json: { type: 'boolean', description: 'Print the comparison as JSON' },
  },
  async run({ args }) {
    const c = await compareRuns(args.runA, args.runB, {
      alpha: fraction(args.alpha, 'alpha', 0.01),
      minEffect: fraction(args['min-effect'], 'min-effect', 0.05),
    });
    console.log(args.json ? JSON.stringify(c, null, 2) : formatComparison(c));
    if (c.verdict === 'regression') return ExitCode.criteriaFailed;
    return c.verdict === 'inconclusive' ? ExitCode.inconclusive : ExitCode.ok;
  },
});
