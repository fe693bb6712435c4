import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AnalysisResult } from '@mlperf/core';
import { ExitCode, isResultsDirectory, MlperfError } from '@mlperf/core';
import {
  type ImportedRun,
  printPdf,
  type RenderedReport,
  renderReport,
  renderImportedReport,
} from '@mlperf/report';
import { defineCommand } from 'citty';

type ImportedData = Omit<ImportedRun, 'source' | 'executor' | 'status'> & { status: string };
type Analyzer = {
  analyzeRun?: (dir: string) => unknown;
  analyzeSuite?: (dir: string) => unknown;
  detectK6Input?: (path: string) => 'summary' | 'ndjson';
  k6NdjsonData?: (path: string, o: { targetTps?: number }) => Promise<ImportedData>;
  k6SummaryData?: (path: string, o: { targetTps?: number }) => ImportedData;
  analyzeData?: (data: ImportedData, o: { targetTps?: number }) => AnalysisResult;
};

/** `mlperf report <k6 output file>`: imports it through the analyzer and writes its report. */
async function reportK6(
  path: string,
  out: string | undefined,
  targetTps: number | undefined,
): Promise<RenderedReport> {
  const a = (await import('@mlperf/analysis')) as Analyzer;
  if (!a.detectK6Input || !a.k6NdjsonData || !a.k6SummaryData || !a.analyzeData) {
    throw new MlperfError(
      'REPORT_K6_UNAVAILABLE',
      `${path}: reading k6 output needs the analyzer's k6 importer, which this build lacks`,
      {
        hint: 'pass a results directory written by `mlperf run`',
        exitCode: ExitCode.badInput,
      },
    );
  }
  const opts = targetTps ? { targetTps } : {};
  const data =
    a.detectK6Input(path) === 'ndjson' ? await a.k6NdjsonData(path, opts) : a.k6SummaryData(path, opts);
  const analysis = a.analyzeData(data, opts);
  const status = (['completed', 'aborted', 'failed'] as const).find((s) => s === data.status) ?? 'completed';
  const run: ImportedRun = {
    source: path,
    runId: data.runId,
    testId: data.testId,
    testName: data.testName,
    status,
    startMs: data.startMs,
    timeseries: data.timeseries,
    executor: { kind: 'k6' },
    problems: data.problems,
  };
  if (data.metrics) run.metrics = data.metrics;
  if (data.corridors) run.corridors = data.corridors;
  return renderImportedReport(run, analysis, out ? { out } : {});
}

/** Runs the analyzer when analysis.json is missing; false when @mlperf/analysis cannot yet. */
async function analyzeIfMissing(dir: string): Promise<boolean> {
  if (existsSync(join(dir, 'analysis.json'))) return true;
  const analysis = (await import('@mlperf/analysis')) as Analyzer;
  const fn = isResultsDirectory(dir) ? analysis.analyzeRun : analysis.analyzeSuite;
  if (typeof fn !== 'function') return false;
  fn(dir);
  return true;
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
    if (args.analyze && !(await analyzeIfMissing(dir))) {
      console.error(
        'note: analysis.json is missing and the analyzer is not available; the report marks it missing',
      );
    }
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
