import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '@mlperf/core';
import { loadTestReportInput, type TestReportInput } from './load.js';
import { TEST_TEMPLATE } from './templates/test.js';
import { renderTemplate } from './templates/engine.js';
import { buildTestView } from './view/test-view.js';

export const TEST_REPORT_FILE = 'analysis-report.html';
/** Screenshots larger than this are linked instead of embedded, to keep the report small. */
const MAX_EMBED_BYTES = 1_500_000;

export interface RenderedReport {
  path: string;
  bytes: number;
  verdict: 'pass' | 'fail' | 'inconclusive';
  /** Ids of the charts drawn and of those that could not be drawn. */
  charts: string[];
  missingCharts: string[];
  /** What the report marks as missing. */
  missing: string[];
}

export interface TestReportOptions {
  /** Output file; default `<dir>/analysis-report.html`. */
  out?: string;
  now?: Date;
}

/** Builds the HTML of a test report without writing it. */
export function buildTestReportHtml(input: TestReportInput, options: { now?: Date } = {}) {
  const view = buildTestView(input, { dashboards: dashboardImages(input.results.dir), ...options });
  return { html: renderTemplate(TEST_TEMPLATE, view), view };
}

/** Reads a results directory and writes its analysis-report.html (complete, failed or partial). */
export function renderTestReport(dir: string, options: TestReportOptions = {}): RenderedReport {
  const input = loadTestReportInput(dir);
  const { html, view } = buildTestReportHtml(input, options.now ? { now: options.now } : {});
  const path = options.out ?? join(dir, TEST_REPORT_FILE);
  writeFileAtomic(path, html);
  return {
    path,
    bytes: Buffer.byteLength(html),
    verdict: view.verdict,
    charts: view.charts.filter((c) => c.svg).map((c) => c.id),
    missingCharts: view.charts.filter((c) => !c.svg).map((c) => c.id),
    missing: view.missing,
  };
}

function dashboardImages(dir: string): { name: string; src: string }[] {
  const d = join(dir, 'dashboards');
  let files: string[];
  try {
    files = readdirSync(d)
      .filter((f) => /\.png$/i.test(f))
      .sort();
  } catch {
    return [];
  }
  return files.map((f) => {
    const p = join(d, f);
    const src =
      statSync(p).size <= MAX_EMBED_BYTES
        ? `data:image/png;base64,${readFileSync(p).toString('base64')}`
        : `dashboards/${encodeURIComponent(f)}`;
    return { name: f, src };
  });
}
