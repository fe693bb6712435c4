import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResults } from '@mlperf/core';
import { launchBrowser, renderImportedReport, renderTestReport, type HeadlessBrowser } from '@mlperf/report';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  abortedAnalysis,
  enduranceAnalysis,
  failAnalysis,
  passAnalysis,
  stressAnalysis,
} from '@mlperf/testkit/runs';
import { externalRefs, openReport } from './helpers/chromium.js';
import { importK6, K6_FIXTURES } from '@mlperf/testkit/runs';
import { makeRun, writeAnalysis } from '@mlperf/testkit/runs';

const BASE_CHARTS = [
  'tps',
  'latency',
  'rates',
  'errors',
  'corridors',
  'resources-1',
  'resources-2',
  'engine',
];
let base: string;
let hb: HeadlessBrowser;
/** Screenshots are kept here when MLPERF_KEEP_SCREENSHOTS is set (to look at them). */
const shots = process.env.MLPERF_KEEP_SCREENSHOTS;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'mlperf-report-'));
  hb = await launchBrowser();
});
afterAll(async () => {
  await hb?.close();
  rmSync(base, { recursive: true, force: true });
});

async function check(dir: string, name: string) {
  const r = renderTestReport(dir);
  const html = readFileSync(r.path, 'utf8');
  expect(externalRefs(html)).toEqual([]);
  const shot = join(shots ?? base, `${name}.png`);
  if (shots) mkdirSync(shots, { recursive: true });
  const page = await openReport(hb.browser, r.path, shot);
  expect(page.consoleErrors).toEqual([]);
  expect(page.pwned).toBe(false);
  expect(statSync(shot).size).toBeGreaterThan(10_000);
  expect(page.charts).toEqual(r.charts);
  return { r, page, html };
}

describe('analysis-report.html in real Chromium', () => {
  it('complete passing run: verdict first, every chart drawn', async () => {
    const dir = makeRun(base, { testId: 'pass', seconds: 180, tps: 1000 });
    writeAnalysis(dir, passAnalysis('pass'));
    const { page, r } = await check(dir, 'pass');
    expect(page.verdict).toBe('pass');
    expect(page.charts).toEqual(BASE_CHARTS);
    expect(r.missing).toEqual([]);
    expect(page.text).toContain('Success rate > 99.5%');
    expect(page.text).toContain('perffsp-1->perffsp-5');
  });

  it('embeds dashboard screenshots from dashboards/ so the file stays self-contained', async () => {
    const dir = makeRun(base, { testId: 'with-dashboards', seconds: 60, tps: 100 });
    writeAnalysis(dir, passAnalysis('with-dashboards'));
    const page = await hb.browser.newPage();
    await page.setViewport({ width: 400, height: 200 });
    await page.setContent('<body style="background:#123">dashboard</body>');
    await page.screenshot({ path: join(dir, 'dashboards', 'mlperf-performance-overview-peak.png') });
    await page.close();
    const { html, r } = await check(dir, 'with-dashboards');
    expect(html).toContain('alt="mlperf-performance-overview-peak.png" src="data:image/png;base64,');
    const view = await hb.browser.newPage();
    await view.goto(`file://${r.path}`);
    const widths = await view.evaluate(
      `[...document.querySelectorAll('img.dashboard')].map((i) => i.naturalWidth)`,
    );
    await view.close();
    expect(widths).toEqual([400]);
  });

  it('failing run: findings with fixes; target text with <script> shows as text', async () => {
    const dir = makeRun(base, {
      testId: 'fail',
      seconds: 120,
      tps: 1000,
      errorEvery: 5,
      errorType: '<script>window.__pwned=2</script>',
    });
    writeAnalysis(dir, failAnalysis('fail'));
    const { page, html } = await check(dir, 'fail');
    expect(page.verdict).toBe('fail');
    expect(page.charts).toEqual(BASE_CHARTS);
    expect(page.text).toContain('<script>window.__pwned = 1; console.error("xss")</script>');
    expect(page.text).toContain('./scale-db-connections.sh');
    expect(page.text).toContain('Phase 04: Mojaloop configuration');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img src=x');
  });

  it('aborted run without analysis.json still renders and marks what is missing', async () => {
    const dir = makeRun(base, {
      testId: 'aborted',
      seconds: 90,
      tps: 500,
      status: 'running',
      metrics: false,
      gapAt: 30,
    });
    const { page, r } = await check(dir, 'aborted');
    expect(page.verdict).toBe('inconclusive');
    expect(r.missing).toEqual(
      expect.arrayContaining([
        'analysis.json: missing (run `mlperf analyze` to produce it)',
        'k6-summary.json: missing (the run did not finish)',
      ]),
    );
    expect(page.text).toContain('Incomplete evidence');
    expect(page.missingCharts).toEqual(['errors', 'resources']);
    expect(page.charts).toEqual(['tps', 'latency', 'rates', 'corridors', 'engine']);
    expect(page.text).toMatch(/perffsp-1->perffsp-5\s+[\d,]+\s+40%\s+40%\s+100%/);
  });

  it('aborted run with analysis.json lists the analyzer’s missing items', async () => {
    const dir = makeRun(base, { testId: 'aborted-analysed', seconds: 120, tps: 1000, status: 'aborted' });
    writeAnalysis(dir, abortedAnalysis('aborted-analysed'));
    const cpuFile = join(dir, 'metrics', 'container_cpu.json');
    const cpu = JSON.parse(readFileSync(cpuFile, 'utf8'));
    cpu.missing = [{ start: cpu.start + 30, end: cpu.start + 60, reason: 'Prometheus unreachable' }];
    writeFileSync(cpuFile, JSON.stringify(cpu));
    const { page } = await check(dir, 'aborted-analysed');
    expect(page.verdict).toBe('inconclusive');
    expect(page.text).toContain('metrics/: no Prometheus exports (no Prometheus configured)');
    expect(page.text).toContain('stopped by the operator (SIGINT)');
    expect(page.text).toContain(
      'metrics/container_cpu: no data 2026-11-27 08:00:30 UTC – 2026-11-27 08:01:00 UTC (Prometheus unreachable)',
    );
  });

  it('endurance run: trend charts with fitted slopes', async () => {
    const dir = makeRun(base, { testId: 'endurance', kind: 'endurance', seconds: 600, tps: 1000 });
    writeAnalysis(dir, enduranceAnalysis(600, 'endurance'));
    const { page } = await check(dir, 'endurance');
    expect(page.charts).toEqual([...BASE_CHARTS, 'endurance-1', 'endurance-2', 'endurance-3']);
    expect(page.text).toContain('Theil-Sen fit');
    expect(page.text).toMatch(/Memory trend: central-ledger\s+48 MiB\/h/);
  });

  it('stress run: curve with the knee and the USL fit', async () => {
    const dir = makeRun(base, { testId: 'stress', kind: 'stress', seconds: 300, tps: 3000, capacity: 1500 });
    writeAnalysis(dir, stressAnalysis('stress'));
    const { page } = await check(dir, 'stress');
    expect(page.charts).toContain('stress');
    expect(page.text).toContain('knee 1500 TPS');
    expect(page.text).toContain('USL fit');
    expect(page.text).toContain('central-ledger (container_cpu_cfs_throttled_periods_total)');
  });

  it.skipIf(!existsSync(`${K6_FIXTURES}/out.ndjson.gz`))('real k6 output import renders', async () => {
    const dir = await importK6(base);
    const { page } = await check(dir, 'k6-import');
    expect(page.verdict).toBe('inconclusive');
    expect(page.charts).toEqual(['tps', 'latency', 'rates', 'errors', 'corridors']);
    expect(page.missingCharts).toEqual(['resources', 'engine']);
    expect(page.text).toContain('http:500');
  });

  it.skipIf(!existsSync(`${K6_FIXTURES}/out.ndjson.gz`))(
    'an imported run without a results directory renders beside its source',
    async () => {
      const timeseries = readResults(await importK6(join(base, 'k6-src'))).timeseries;
      const src = join(base, 'k6-file');
      mkdirSync(src);
      const r = renderImportedReport(
        {
          source: join(src, 'out.ndjson.gz'),
          runId: 'out',
          testId: 'k6',
          testName: 'k6 run (out.ndjson.gz)',
          status: 'completed',
          startMs: timeseries[0]?.t ?? 0,
          timeseries,
          executor: { kind: 'k6' },
          problems: ['k6 NDJSON: offered rate estimated as started + dropped iterations per second'],
        },
        undefined,
      );
      expect(r.path).toBe(join(src, 'analysis-report.html'));
      const page = await openReport(hb.browser, r.path);
      expect(page.consoleErrors).toEqual([]);
      expect(page.charts).toEqual(['tps', 'latency', 'rates', 'errors', 'corridors']);
      expect(page.text).toContain('k6 NDJSON: offered rate estimated');
    },
  );
});
