import { join } from 'node:path';
import { ExitCode, isResultsDirectory, MlperfError, writeFileAtomic } from '@mlperf/core';
import { playbookMarkdown } from './playbook.js';
import { type RenderedReport, renderTestReport } from './render-test.js';
import { renderTemplate } from './templates/engine.js';
import { PLAYBOOK_TEMPLATE, SUCCESS_TEMPLATE, SUITE_TEMPLATE } from './templates/suite.js';
import { buildSuiteView, hasDir } from './view/suite-view.js';

const SUITE_REPORT_FILE = 'suite-report.html';
const SUCCESS_REPORT_FILE = 'success-report.html';
const PLAYBOOK_HTML_FILE = 'tuning-playbook.html';
const PLAYBOOK_MD_FILE = 'TUNING-PLAYBOOK.md';

export interface RenderedSuite {
  suiteReport: string;
  verdict: 'pass' | 'fail' | 'inconclusive';
  /** success-report.html when the suite passed. */
  successReport?: string;
  /** tuning-playbook.html and TUNING-PLAYBOOK.md when it did not. */
  playbook?: { html: string; markdown: string; steps: number };
  tests: RenderedReport[];
  missing: string[];
}

/**
 * Renders a suite directory: every test's analysis-report.html (unless `renderTests: false`), the
 * suite report, and the success report or the tuning playbook.
 */
export function renderSuiteReport(
  suiteDir: string,
  options: { renderTests?: boolean; now?: Date } = {},
): RenderedSuite {
  if (!hasDir(suiteDir)) {
    throw new MlperfError('RESULTS_NOT_FOUND', `${suiteDir}: no such suite directory`, {
      hint: 'pass the directory `mlperf suite` wrote (it holds one results directory per test)',
      exitCode: ExitCode.badInput,
    });
  }
  const view = buildSuiteView(suiteDir, options.now ? { now: options.now } : {});
  const tests: RenderedReport[] = [];
  if (options.renderTests !== false) {
    for (const t of view.tests)
      if (t.dir) tests.push(renderTestReport(t.dir, options.now ? { now: options.now } : {}));
  }
  const suiteReport = join(suiteDir, SUITE_REPORT_FILE);
  writeFileAtomic(suiteReport, renderTemplate(SUITE_TEMPLATE, view));
  const out: RenderedSuite = { suiteReport, verdict: view.verdict, tests, missing: view.missing };
  // the success report only for a suite that passed, every test of it included
  if (view.verdict === 'pass' && view.tests.every((t) => t.verdict === 'pass')) {
    out.successReport = join(suiteDir, SUCCESS_REPORT_FILE);
    writeFileAtomic(
      out.successReport,
      renderTemplate(SUCCESS_TEMPLATE, { ...view, title: `Success report: ${view.suiteName}` }),
    );
  } else {
    const html = join(suiteDir, PLAYBOOK_HTML_FILE);
    const markdown = join(suiteDir, PLAYBOOK_MD_FILE);
    writeFileAtomic(
      html,
      renderTemplate(PLAYBOOK_TEMPLATE, { ...view, title: `Tuning playbook: ${view.suiteName}` }),
    );
    writeFileAtomic(markdown, playbookMarkdown(view.suiteName, view.headline, view.steps));
    out.playbook = { html, markdown, steps: view.steps.length };
  }
  return out;
}

/** `mlperf report <dir>`: a test results directory or a suite directory, whichever `dir` is. */
export function renderReport(
  dir: string,
  options: { now?: Date } = {},
): { kind: 'test'; report: RenderedReport } | { kind: 'suite'; suite: RenderedSuite } {
  if (isResultsDirectory(dir)) return { kind: 'test', report: renderTestReport(dir, options) };
  return { kind: 'suite', suite: renderSuiteReport(dir, options) };
}
