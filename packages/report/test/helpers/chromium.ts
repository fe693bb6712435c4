import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';

export interface PageCheck {
  consoleErrors: string[];
  charts: string[];
  missingCharts: string[];
  verdict: string | null;
  pwned: boolean;
  text: string;
}

/** Opens a report file in real Chromium and reports what a reader would see. */
export async function openReport(
  browser: Browser,
  htmlPath: string,
  screenshot?: string,
): Promise<PageCheck> {
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('requestfailed', (r) => consoleErrors.push(`request failed: ${r.url()}`));
  try {
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    // A string, so this file needs no DOM typings: it runs in the page.
    const result = (await page.evaluate(`({
      charts: [...document.querySelectorAll('figure[data-chart]')].filter((f) => f.querySelector('svg path')).map((f) => f.getAttribute('data-chart')),
      missingCharts: [...document.querySelectorAll('figure[data-chart-missing]')].map((f) => f.getAttribute('data-chart-missing')),
      verdict: document.querySelector('[data-verdict]')?.getAttribute('data-verdict') ?? null,
      pwned: window.__pwned !== undefined,
      text: document.body.innerText,
    })`)) as Omit<PageCheck, 'consoleErrors'>;
    if (screenshot) await page.screenshot({ path: screenshot as `${string}.png`, fullPage: true });
    return { consoleErrors, ...result };
  } finally {
    await page.close();
  }
}

/** External references in an HTML file (anything the page would fetch from elsewhere). */
export function externalRefs(html: string): string[] {
  const refs: string[] = [];
  for (const m of html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/g)) {
    const v = m[1] as string;
    if (
      !v.startsWith('#') &&
      !v.startsWith('data:') &&
      !v.startsWith('dashboards/') &&
      !/^[\w.-]+\/analysis-report\.html$/.test(v)
    )
      refs.push(v);
  }
  for (const m of html.matchAll(/url\(([^)]*)\)|@import/g)) if (!m[1]?.startsWith('#')) refs.push(m[0]);
  if (/<script/i.test(html)) refs.push('<script>');
  if (/<link\b/i.test(html)) refs.push('<link>');
  return refs;
}
