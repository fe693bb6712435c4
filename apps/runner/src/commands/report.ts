import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  analyzeData,
  analyzeRun,
  analyzeSuite,
  detectK6Input,
  findRuns,
  k6NdjsonData,
  k6SummaryData,
  type RunData,
} from '@mlperf/analysis';
import { ExitCode, isResultsDirectory, MlperfError } from '@mlperf/core';
import {
  type ImportedRun,
  printPdf,
  type RenderedReport,
  renderImportedReport,
  renderReport,
} from '@mlperf/report';
import { defineCommand } from 'citty';

/** `mlperf report <k6 output file>`: imports it through the analyzer and writes its report. */
async function reportK6(
  path: string,
  out: string | undefined,
  targetTps: number | undefined,
): Promise<RenderedReport> {
  const opts = targetTps ? { targetTps } : {};
  const data: RunData =
    detectK6Input(path) === 'ndjson' ? await k6NdjsonData(path, opts) : k6SummaryData(path, opts);
  const analysis = analyzeData(data, opts);
  const status = (['completed', 'aborted', 'failed'] as const).find((s) => s === data.status) ?? 'aborted';
  const run: ImportedRun = {
    source: path,
    runId: data.runId,
    testId: data.testId,
    testName: data.testName,
    status,
    startMs: data.startMs,
    timeseries: data.timeseries,
    metrics: data.metrics,
    corridors: data.corridors,
    executor: { kind: 'k6' },
    problems: data.problems,
  };
  return renderImportedReport(run, analysis, out ? { out } : {});
}

/** Writes analysis.json first when it is missing (a test run or a whole suite). */
function analyzeIfMissing(dir: string): void {
  if (existsSync(join(dir, 'analysis.json'))) return;
  if (isResultsDirectory(dir)) analyzeRun(dir);
  else analyzeSuite(dir);
}

export const reportCommand = defineCommand({
  meta: {
    name: 'report',
    description:
      'Write analysis-report.html for a results directory, or the suite, success and playbook reports for a suite directory',
  },
  args: {
    dir: {
      type: 'positional',
      required: true,
      description:
        'results directory of one test, a suite directory, or real k6 output (--summary-export JSON or --out json NDJSON[.gz])',
    },
    out: {
      type: 'string',
      description: 'report file for k6 output (default: analysis-report.html beside it)',
    },
    'target-tps': {
      type: 'string',
      description: 'planned TPS of a k6 run, to judge the achieved rate against',
    },
    pdf: { type: 'boolean', default: false, description: 'also print the report to PDF (needs Chromium)' },
    analyze: {
      type: 'boolean',
      default: true,
      negativeDescription: 'do not run the analysis when analysis.json is missing',
    },
    chromium: {
      type: 'string',
      description: 'Chromium binary for --pdf (default $MLPERF_CHROMIUM or /usr/bin/chromium)',
    },
  },
  async run({ args }) {
    const dir = resolve(args.dir);
    if (!existsSync(dir)) {
      throw new MlperfError('RESULTS_NOT_FOUND', `${args.dir}: no such results or suite directory`, {
        hint: 'pass a directory written by `mlperf run` or `mlperf suite`, e.g. results/target-1000tps-20261127T083512Z',
        exitCode: ExitCode.badInput,
      });
    }
    if (statSync(dir).isFile()) {
      const tps = args['target-tps'] === undefined ? undefined : Number(args['target-tps']);
      if (tps !== undefined && !(tps > 0)) {
        throw new MlperfError('USAGE', `--target-tps ${args['target-tps']}: not a positive number`, {
          hint: 'e.g. --target-tps 1000',
          exitCode: ExitCode.badInput,
        });
      }
      const report = await reportK6(dir, args.out ? resolve(args.out) : undefined, tps);
      const written = [report.path];
      if (args.pdf)
        written.push(
          (
            await printPdf(
              report.path,
              report.path.replace(/\.html$/, '.pdf'),
              args.chromium ? { chromiumPath: args.chromium } : {},
            )
          ).path,
        );
      console.log(`verdict: ${report.verdict.toUpperCase()}`);
      for (const w of written) console.log(w);
      return ExitCode.ok;
    }
    if (!isResultsDirectory(dir) && findRuns(dir).length === 0) {
      throw new MlperfError(
        'RESULTS_INVALID',
        `${args.dir}: neither a results directory (no run.json) nor a suite directory (no run directories inside)`,
        {
          hint: 'pass results/<test>-<timestamp>/ or the directory `mlperf suite run` wrote',
          exitCode: ExitCode.badInput,
        },
      );
    }
    if (args.analyze) analyzeIfMissing(dir);
    const r = renderReport(dir);
    const written: string[] = [];
    if (r.kind === 'test') {
      written.push(r.report.path);
      for (const m of r.report.missing) console.error(`missing: ${m}`);
    } else {
      written.push(...r.suite.tests.map((t) => t.path), r.suite.suiteReport);
      if (r.suite.successReport) written.push(r.suite.successReport);
      if (r.suite.playbook) written.push(r.suite.playbook.html, r.suite.playbook.markdown);
      for (const m of r.suite.missing) console.error(`missing: ${m}`);
    }
    if (args.pdf) {
      const html = r.kind === 'test' ? r.report.path : r.suite.suiteReport;
      const pdf = await printPdf(
        html,
        html.replace(/\.html$/, '.pdf'),
        args.chromium ? { chromiumPath: args.chromium } : {},
      );
      written.push(pdf.path);
    }
    const verdict = r.kind === 'test' ? r.report.verdict : r.suite.verdict;
    console.log(`verdict: ${verdict.toUpperCase()}`);
    for (const w of written) console.log(w);
    return ExitCode.ok;
  },
});
