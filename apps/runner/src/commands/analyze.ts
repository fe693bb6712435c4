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
      "Judge a results directory, a suite directory or real k6 output; write analysis.json. k6 output may be several files of one run: its --out json NDJSON (one per runner of a distributed run, merged by time) and its --summary-export/handleSummary JSON (k6's own threshold verdicts), e.g. `mlperf analyze out.ndjson summary.json`. Exit 0 pass, 1 fail, 2 bad input (missing, duplicate or mixed files, two summaries without NDJSON, a summary of another run), 4 inconclusive (nothing to judge, evidence missing, or the generator or host was the limit).",
  },
  args: {
    path: {
      type: 'positional',
      required: true,
      description:
        'results/<test>-<timestamp>/, a suite directory, or the k6 files of one run (--out json NDJSON[.gz] of each runner, --summary-export or handleSummary JSON)',
      valueHint: 'path...',
    },
    'target-tps': {
      type: 'string',
      description: 'Planned rate to judge against (needed for k6 input; overrides the run definition)',
      valueHint: 'tps',
    },
    out: {
      type: 'string',
      description: 'Where to write analysis.json for k6 input (default: beside the first file)',
      valueHint: 'file',
    },
    top: { type: 'string', description: 'How many findings to print (default 3)', valueHint: 'n' },
    json: { type: 'boolean', description: 'Print analysis.json instead of the table' },
  },
  async run({ args }) {
    const paths = args._.length > 0 ? args._ : [args.path];
    const targetTps = positiveNumber(args['target-tps'], 'target-tps');
    const top = positiveNumber(args.top, 'top') ?? 3;
    const opts = targetTps ? { targetTps } : {};
    for (const p of paths) {
      if (!existsSync(p)) {
        throw new MlperfError('RESULTS_NOT_FOUND', `${p}: no such file or directory`, {
          hint: 'pass a results directory written by `mlperf run`, a suite directory, or a k6 output file',
          exitCode: ExitCode.badInput,
        });
      }
    }
    const path = paths[0] as string;
    if (paths.length > 1) {
      const dir = paths.find((p) => statSync(p).isDirectory());
      if (dir !== undefined)
        throw new MlperfError('ANALYZE_MIXED_INPUT', `${dir}: a directory among ${paths.length} inputs`, {
          hint: 'analyse a results or suite directory alone; several inputs must all be k6 files of one run',
          exitCode: ExitCode.badInput,
        });
      return analyzeK6Files(paths, args.out, args.json, top, opts);
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
    return analyzeK6Files(paths, args.out, args.json, top, opts);
  },
});

async function analyzeK6Files(
  paths: string[],
  out: string | undefined,
  json: boolean | undefined,
  top: number,
  opts: { targetTps?: number },
): Promise<number> {
  const r = await analyzeK6(paths, opts);
  const file = out ?? join(dirname(paths[0] as string), 'analysis.json');
  writeFileAtomic(file, `${JSON.stringify(r, null, 2)}\n`);
  console.log(json ? JSON.stringify(r, null, 2) : `${formatAnalysis(r, top)}\n\nwrote ${file}`);
  return verdictExitCode(r.verdict);
}
