import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HeadlessBrowser, launchBrowser, renderReport, renderSuiteReport } from '@mlperf/report';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enduranceAnalysis,
  failAnalysis,
  passAnalysis,
  stressAnalysis,
  suiteAnalysis,
} from '@mlperf/testkit/runs';
import { externalRefs, openReport } from './helpers/chromium.js';
import { makeRun, writeAnalysis } from '@mlperf/testkit/runs';

let base: string;
let hb: HeadlessBrowser;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'mlperf-suite-'));
  hb = await launchBrowser();
});
afterAll(async () => {
  await hb?.close();
  rmSync(base, { recursive: true, force: true });
});

function makeSuite(name: string, verdict: 'pass' | 'fail'): string {
  const suite = join(base, name);
  mkdirSync(suite);
  const runs: Record<string, string> = {};
  const add = (testId: string, tps: number, a: object, kind?: 'stress' | 'endurance') => {
    const dir = makeRun(suite, {
      testId,
      seconds: 120,
      tps,
      ...(kind ? { kind } : {}),
      ...(kind === 'stress' ? { capacity: 1500 } : {}),
    });
    writeAnalysis(dir, a);
    runs[testId] = testId;
  };
  add('baseline-100tps', 100, { ...passAnalysis('baseline-100tps'), plannedTps: 100, achievedTps: 100 });
  add('scale-500tps', 500, { ...passAnalysis('scale-500tps'), plannedTps: 500, achievedTps: 499 });
  add('target-1000tps', 1000, verdict === 'pass' ? passAnalysis() : failAnalysis());
  if (verdict === 'pass') {
    add('endurance-1000tps', 1000, { ...enduranceAnalysis(120), verdict: 'pass' }, 'endurance');
    add('stress-test', 3000, stressAnalysis(), 'stress');
  }
  writeAnalysis(suite, suiteAnalysis(verdict, runs));
  return suite;
}

describe('suite, success and playbook reports in real Chromium', () => {
  it('a passing suite: suite report links every test report, scaling chart, success report', async () => {
    const suite = makeSuite('pass', 'pass');
    const r = renderSuiteReport(suite);
    expect(r.verdict).toBe('pass');
    expect(r.tests).toHaveLength(5);
    expect(r.playbook).toBeUndefined();
    const page = await openReport(
      hb.browser,
      r.suiteReport,
      process.env.MLPERF_SHOT ?? join(base, 'suite.png'),
    );
    expect(page.consoleErrors).toEqual([]);
    expect(page.charts).toEqual(['scaling']);
    expect(page.text).toContain('breaking point 1500 TPS');
    const html = readFileSync(r.suiteReport, 'utf8');
    // Target and endurance both ran at 1000 TPS: one label names both instead of two drawn over each other.
    expect(html).toContain('target-1000tps, endurance-1000tps');
    // the scaling criterion's value, in the analyzer's unit (achieved/offered), as a percentage
    expect(page.text).toMatch(/Performance scales linearly to 500 TPS\s+PASS\s+99(\.0)?% of offered/);
    expect(externalRefs(html)).toEqual([]);
    for (const t of [
      'baseline-100tps',
      'scale-500tps',
      'target-1000tps',
      'endurance-1000tps',
      'stress-test',
    ]) {
      expect(html).toContain(`href="${t}/analysis-report.html"`);
    }
    const success = await openReport(hb.browser, r.successReport as string);
    expect(success.consoleErrors).toEqual([]);
    expect(success.verdict).toBe('pass');
    expect(success.text).toContain('mojaloop-1000tps-results.tar.gz');
    expect(success.text).toMatch(
      /target-1000tps PASS\s+[\d,.]+ \/ [\d,.]+\s+179,990 \(120,000\)\s+99.994% \(> 99.5%\)\s+36 ms \(< 300 ms\)/,
    );
  });

  it('a failing suite: tuning playbook with bottleneck, action and phase; no success report', async () => {
    const suite = makeSuite('fail', 'fail');
    const r = renderReport(suite);
    if (r.kind !== 'suite') throw new Error('expected a suite');
    expect(r.suite.successReport).toBeUndefined();
    expect(r.suite.playbook?.steps).toBe(1);
    const md = readFileSync(r.suite.playbook?.markdown as string, 'utf8');
    expect(md).toContain('## 1. Database connection pool exhausted (central-ledger)');
    expect(md).toContain('- Script: `./scale-db-connections.sh`');
    expect(md).toContain('- Go back to: Phase 04: Mojaloop configuration');
    expect(md).not.toContain('<script>');
    const page = await openReport(hb.browser, r.suite.playbook?.html as string);
    expect(page.consoleErrors).toEqual([]);
    expect(page.pwned).toBe(false);
    expect(page.text).toContain('Go back to: Phase 04: Mojaloop configuration');
    const suitePage = await openReport(hb.browser, r.suite.suiteReport);
    expect(suitePage.text).toMatch(/Endurance Test \(1000 TPS for 2 hours\)\s+not run/);
  });

  it('a suite directory without analysis.json lists the runs it finds', async () => {
    const suite = join(base, 'bare');
    mkdirSync(suite);
    makeRun(suite, { testId: 'baseline-100tps', seconds: 30, tps: 100 });
    const r = renderSuiteReport(suite);
    expect(r.verdict).toBe('inconclusive');
    expect(r.missing[0]).toContain('analysis.json: missing');
    expect(r.tests).toHaveLength(1);
    const page = await openReport(hb.browser, r.suiteReport);
    expect(page.consoleErrors).toEqual([]);
    expect(page.missingCharts).toEqual(['scaling']);
  });
});
