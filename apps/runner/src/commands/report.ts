import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ExitCode, isResultsDirectory, MlperfError } from '@mlperf/core';
import { printPdf, renderReport } from '@mlperf/report';
import { defineCommand } from 'citty';

type Analyzer = { analyzeRun?: (dir: string) => unknown; analyzeSuite?: (dir: string) => unknown };

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
      description: 'results directory of one test, or a suite directory',
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
