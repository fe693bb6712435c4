import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  analyzeK6,
  analyzeRun,
  analyzeSuite,
  findRuns,
  formatAnalysis,
  formatSuiteAnalysis,
} from '@mlperf/analysis';
import { ExitCode, isResultsDirectory, MlperfError, verdictExitCode, writeFileAtomic } from '@mlperf/core';
import { defineCommand } from 'citty';

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new MlperfError('USAGE_BAD_FLAG', `--${flag} ${value}: must be a positive number`, {
      hint: `e.g. --${flag} 1000`,
      exitCode: ExitCode.badInput,
    });
  }
  return n;
}

export const analyzeCommand = defineCommand({
  meta: {
    name: 'analyze',
    description:
      'Judge a results directory, a suite directory or real k6 output; write analysis.json. Exit 0 pass, 1 fail, 2 bad input, 4 inconclusive (nothing to judge, evidence missing, or the generator or host was the limit).',
  },
  args: {
    path: {
      type: 'positional',
      required: true,
      description:
        'results/<test>-<timestamp>/, a suite directory, or a k6 file (--summary-export JSON, handleSummary JSON, --out json NDJSON[.gz])',
      valueHint: 'path',
    },
    'target-tps': {
      type: 'string',
      description: 'Planned rate to judge against (needed for k6 input; overrides the run definition)',
      valueHint: 'tps',
    },
    out: {
      type: 'string',
      description: 'Where to write analysis.json for k6 input (default: beside the file)',
      valueHint: 'file',
    },
    top: { type: 'string', description: 'How many findings to print (default 3)', valueHint: 'n' },
    json: { type: 'boolean', description: 'Print analysis.json instead of the table' },
  },
  async run({ args }) {
    const path = args.path;
    const targetTps = positiveNumber(args['target-tps'], 'target-tps');
    const top = positiveNumber(args.top, 'top') ?? 3;
    const opts = targetTps ? { targetTps } : {};
    if (!existsSync(path)) {
      throw new MlperfError('RESULTS_NOT_FOUND', `${path}: no such file or directory`, {
        hint: 'pass a results directory written by `mlperf run`, a suite directory, or a k6 output file',
        exitCode: ExitCode.badInput,
      });
    }
    if (statSync(path).isDirectory() && !isResultsDirectory(path)) {
      if (findRuns(path).length === 0) {
        throw new MlperfError(
          'RESULTS_INVALID',
          `${path}: neither a results directory (no run.json) nor a suite directory (no run directories inside)`,
          {
            hint: 'pass results/<test>-<timestamp>/ or the directory `mlperf suite run` wrote',
            exitCode: ExitCode.badInput,
          },
        );
      }
      const suite = analyzeSuite(path, opts);
      console.log(
        args.json
          ? JSON.stringify(suite, null, 2)
          : `${formatSuiteAnalysis(suite, top)}\n\nwrote ${join(path, 'analysis.json')}`,
      );
      return verdictExitCode(suite.verdict);
    }
    if (statSync(path).isDirectory()) {
      const r = analyzeRun(path, opts);
      console.log(
        args.json
          ? JSON.stringify(r, null, 2)
          : `${formatAnalysis(r, top)}\n\nwrote ${join(path, 'analysis.json')}`,
      );
      return verdictExitCode(r.verdict);
    }
    const r = await analyzeK6(path, opts);
    const out = args.out ?? join(dirname(path), 'analysis.json');
    writeFileAtomic(out, `${JSON.stringify(r, null, 2)}\n`);
    console.log(args.json ? JSON.stringify(r, null, 2) : `${formatAnalysis(r, top)}\n\nwrote ${out}`);
    return verdictExitCode(r.verdict);
  },
});
