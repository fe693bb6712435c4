import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnalysisResult } from '@mlperf/core';
import type { HeadlessBrowser } from '@mlperf/report';
import { expect } from 'vitest';

/** What a reader sees on one report page, read from the DOM of real Chromium. */
export interface PageDom {
  problems: string[];
  verdict: string | null;
  text: string;
  missing: string;
  links: string[];
  images: { src: string; loaded: boolean }[];
  rows: { testId: string; text: string; fields: Record<string, string> }[];
  points: string[];
  scalingText: string;
  criteria: { id: string; status: string }[];
  dashboards: number;
  banner: boolean;
}

const READ_DOM = `(() => {
  const q = (s) => [...document.querySelectorAll(s)];
  return {
    verdict: document.querySelector('[data-verdict]')?.getAttribute('data-verdict') ?? null,
    text: document.body.innerText,
    missing: document.querySelector('#missing')?.innerText ?? '',
    links: q('a[href]').map((a) => a.getAttribute('href')),
    images: q('img').map((i) => ({ src: i.getAttribute('src').slice(0, 120), loaded: i.complete && i.naturalWidth > 0 })),
    rows: q('tr[data-test]').map((r) => ({
      testId: r.getAttribute('data-test'),
      text: r.innerText,
      fields: Object.fromEntries([...r.querySelectorAll('[data-field]')].map((f) => [f.getAttribute('data-field'), f.textContent.trim()])),
    })),
    points: q('[data-chart-points="scaling"] tr[data-point]').map((r) => r.getAttribute('data-point')),
    scalingText: [...(document.querySelector('figure[data-chart="scaling"] svg')?.querySelectorAll('text') ?? [])].map((t) => t.textContent).join('|'),
    criteria: q('tr[data-criterion]').map((r) => ({ id: r.getAttribute('data-criterion'), status: r.getAttribute('data-status') })),
    dashboards: q('figure[data-dashboard] img').filter((i) => i.complete && i.naturalWidth > 0).length,
    banner: document.querySelector('#simulator-banner') !== null,
  };
})()`;

/** Opens a report in Chromium (a screenshot beside it when `shot` is given) and reads its DOM. */
export async function readPage(hb: HeadlessBrowser, file: string, shot?: string): Promise<PageDom> {
  const page = await hb.browser.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const dom = (await page.evaluate(READ_DOM)) as Omit<PageDom, 'problems'>;
    if (shot) await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
    return { problems, ...dom };
  } finally {
    await page.close();
  }
}

/** Every link and image of a page resolves to a file next to it (data: and #anchors aside). */
export function expectLinksResolve(file: string, dom: PageDom): void {
  expect(dom.problems, file).toEqual([]);
  for (const img of dom.images) expect(img.loaded, `${file}: image ${img.src}`).toBe(true);
  for (const href of dom.links) {
    if (href.startsWith('#') || href.startsWith('data:')) continue;
    expect(href, `${file}: link leaves the directory`).not.toMatch(/^[a-z]+:/i);
    const target = resolve(dirname(file), decodeURIComponent(href.split('#')[0] ?? ''));
    expect(existsSync(target), `${file}: link ${href} -> ${target}`).toBe(true);
  }
}

const num = (s: string | undefined) => Number((s ?? '').replace(/[^\d.-]/g, ''));

/** A displayed number equals the analysis value to the precision it is shown with. */
function expectShown(shown: string | undefined, value: number | undefined, digits: number, what: string) {
  if (value === undefined || !Number.isFinite(value)) {
    expect(shown, what).toBe('—');
    return;
  }
  expect(Math.abs(num(shown) - value), `${what}: shown ${shown}, analysis.json ${value}`).toBeLessThanOrEqual(
    0.5 * 10 ** -digits + 1e-9,
  );
}

/** A progression / success row shows exactly the numbers of the test's analysis.json. */
export function expectRowMatches(
  row: PageDom['rows'][number] | undefined,
  a: AnalysisResult,
  where: string,
): void {
  expect(row, `${where}: no row for ${a.testId}`).toBeDefined();
  const f = row?.fields ?? {};
  const at = `${where} ${a.testId}`;
  expect(row?.text, at).not.toMatch(/not run|missing|not analysed/i);
  expectShown(f.achieved, a.achievedTps, 1, `${at} achieved`);
  expectShown(f.planned, a.plannedTps, 1, `${at} planned`);
  expectShown(f.transfers, Math.round(a.totals.succeeded), 0, `${at} transfers`);
  const finished = a.totals.succeeded + a.totals.failed;
  expectShown(f.success, finished ? (100 * a.totals.succeeded) / finished : undefined, 3, `${at} success`);
  const crit = (id: string) => a.criteria.find((c) => c.id === id)?.value;
  expectShown(f.p95, crit('latency-p95'), 1, `${at} p95`);
  expectShown(f.p99, crit('latency-p99'), 1, `${at} p99`);
  if (f.verdict !== undefined) expect(f.verdict, `${at} verdict`).toBe(a.verdict);
}

export function readAnalysis(runDir: string): AnalysisResult {
  return JSON.parse(readFileSync(join(runDir, 'analysis.json'), 'utf8')) as AnalysisResult;
}
