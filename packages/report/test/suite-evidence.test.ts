import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { renderSuiteReport, resolveRunDir } from '@mlperf/report';
import { afterAll, describe, expect, it } from 'vitest';
import { passAnalysis, suiteAnalysis } from '@mlperf/testkit/runs';
import { makeRun, writeAnalysis } from '@mlperf/testkit/runs';

const base = mkdtempSync(join(tmpdir(), 'mlperf-suite-paths-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const TESTS = ['baseline-100tps', 'scale-500tps', 'target-1000tps'] as const;

/** A suite directory whose analysis.json records each run as `record(runDir)` says. */
function makeSuite(name: string, record: (suiteDir: string, runDir: string) => string): string {
  const suite = join(base, name, 'results', 'suite-20261127T080000Z');
  mkdirSync(suite, { recursive: true });
  const runs: Record<string, string> = {};
  for (const [i, testId] of TESTS.entries()) {
    const dir = makeRun(suite, { testId, seconds: 30, tps: 100 * (i + 1) });
    writeAnalysis(dir, { ...passAnalysis(testId), plannedTps: 100 * (i + 1), achievedTps: 100 * (i + 1) });
    runs[testId] = record(suite, dir);
  }
  writeAnalysis(suite, suiteAnalysis('fail', runs));
  return suite;
}

function rowsOf(html: string): string[] {
  return [...html.matchAll(/<tr data-test="([^"]+)">.*?<\/tr>/gs)].map((m) => m[0]);
}

function expectEveryRunFound(suite: string) {
  const r = renderSuiteReport(suite, { renderTests: false });
  expect(r.missing).toEqual(['endurance-1000tps: no results directory', 'stress-test: no results directory']);
  const html = readFileSync(r.suiteReport, 'utf8');
  const rows = rowsOf(html);
  for (const testId of TESTS) {
    const row = rows.find((x) => x.includes(`data-test="${testId}"`)) ?? '';
    expect(row, testId).toMatch(new RegExp(`href="${testId}/analysis-report.html"`));
    expect(row, testId).not.toContain('not run');
  }
}

describe('suite reports find their runs wherever the suite directory is', () => {
  it('runs recorded relative to the suite directory: same report after a move', () => {
    const suite = makeSuite('relative', (s, d) => relative(s, d));
    expectEveryRunFound(suite);
    const moved = join(base, 'elsewhere', basename(suite));
    mkdirSync(join(base, 'elsewhere'));
    renameSync(suite, moved);
    expectEveryRunFound(moved);
  });

  it('older suites that recorded runs relative to the working directory still render', () => {
    // as `mlperf suite run --out results` wrote them: results/suite-.../<run>
    const suite = makeSuite('cwd', (s, d) => join('results', basename(s), basename(d)));
    expectEveryRunFound(suite);
  });

  it('older suites that recorded absolute paths: a copy uses its own runs, not the original', () => {
    const suite = makeSuite('absolute', (_s, d) => d);
    const copy = join(base, 'copy', basename(suite));
    cpSync(suite, copy, { recursive: true });
    // the copy's rows link into the copy, even though the original still exists
    expect(resolveRunDir(copy, join(suite, 'target-1000tps'))).toBe(join(copy, 'target-1000tps'));
    expectEveryRunFound(copy);
    rmSync(suite, { recursive: true });
    expectEveryRunFound(copy);
  });

  it('a test skipped by the gate is "not run" with the reason from suite.json, not missing evidence', () => {
    const suite = makeSuite('skipped', (s, d) => relative(s, d));
    writeFileSync(
      join(suite, 'suite.json'),
      JSON.stringify({
        kind: 'mlperf-suite',
        tests: [
          ...TESTS.map((testId) => ({ testId, status: 'completed' })),
          {
            testId: 'endurance-1000tps',
            status: 'skipped',
            reason: 'runs after Target Test, which did not pass',
          },
          { testId: 'stress-test', status: 'error', reason: 'hub unreachable' },
        ],
      }),
    );
    const r = renderSuiteReport(suite, { renderTests: false });
    expect(r.missing).toEqual(['stress-test: no results directory (error: hub unreachable)']);
    const html = readFileSync(r.suiteReport, 'utf8');
    const endurance = rowsOf(html).find((x) => x.includes('endurance-1000tps')) ?? '';
    expect(endurance).toContain('not run: runs after Target Test, which did not pass');
    expect(endurance).toContain('<td data-field="status">skipped</td>');
  });
});

describe('a run without Prometheus says which criteria that leaves inconclusive', () => {
  it('in the test report and in the suite report, with the reason run.json recorded', () => {
    const suite = join(base, 'no-prometheus');
    mkdirSync(suite);
    const dir = makeRun(suite, { testId: 'target-1000tps', seconds: 30, tps: 100, metrics: false });
    const runJson = join(dir, 'run.json');
    const manifest = JSON.parse(readFileSync(runJson, 'utf8'));
    manifest.metrics = {
      exported: [],
      skipped: [{ name: '*', reason: 'no private Prometheus: not installed' }],
    };
    writeFileSync(runJson, JSON.stringify(manifest));
    const a = passAnalysis('target-1000tps');
    writeAnalysis(dir, {
      ...a,
      verdict: 'unknown',
      missing: [
        'metrics/: no Prometheus exports, so CPU, memory, service health and bottleneck causes cannot be judged',
      ],
      criteria: [
        ...a.criteria.filter((c) => c.id !== 'cpu' && c.id !== 'no-memory-leak'),
        { id: 'cpu', label: 'CPU usage < 80% on all services', status: 'unknown', detail: 'no export' },
        { id: 'no-memory-leak', label: 'No memory leaks', status: 'unknown', detail: 'no export' },
      ],
    });
    writeAnalysis(suite, suiteAnalysis('fail', { 'target-1000tps': 'target-1000tps' }));
    const r = renderSuiteReport(suite);
    const line =
      'No Prometheus watched this run (no private Prometheus: not installed): CPU, memory, service health and bottleneck causes cannot be judged, and these criteria are inconclusive: CPU usage < 80% on all services, No memory leaks.';
    // One line for the gap: the report's (why, and what it leaves unjudged) replaces the analyzer's.
    expect(r.tests[0]?.missing.filter((l) => l.includes('Prometheus'))).toEqual([line]);
    expect(r.missing).toContain(`target-1000tps: ${line}`);
    expect(readFileSync(r.suiteReport, 'utf8')).toContain('No memory leaks.');
  });
});

describe('the success report tells the truth', () => {
  function passingSuite(name: string, targetVerdict: 'pass' | 'unknown'): string {
    const suite = join(base, name);
    mkdirSync(suite);
    const runs: Record<string, string> = {};
    for (const [i, testId] of TESTS.entries()) {
      const dir = makeRun(suite, { testId, seconds: 30, tps: 100 * (i + 1) });
      const a = passAnalysis(testId);
      writeAnalysis(dir, {
        ...a,
        verdict: testId === 'target-1000tps' ? targetVerdict : 'pass',
        plannedTps: 100 * (i + 1),
        achievedTps: 100 * (i + 1),
      });
      runs[testId] = testId;
    }
    const analysis = suiteAnalysis('pass', runs);
    analysis.tests = analysis.tests.filter((t) => t.runDir);
    writeAnalysis(suite, analysis);
    return suite;
  }

  it('says it measured the embedded simulator, on what machine, with expected beside measured', () => {
    const r = renderSuiteReport(passingSuite('success-embedded', 'pass'), { renderTests: false });
    const html = readFileSync(r.successReport ?? '', 'utf8');
    expect(html).toContain('Embedded simulator, not a Mojaloop deployment.');
    expect(html).toContain('demonstrates the toolchain end to end');
    expect(html).not.toContain('Mojaloop handled the target load');
    expect(html).toContain('the embedded Mojaloop hub simulator (profile healthy) at http://127.0.0.1:4000');
    expect(html).toContain('test-host (linux, 2 cores, 7.5 GiB memory)');
    const target = rowsOf(html).find((x) => x.includes('data-test="target-1000tps"')) ?? '';
    expect(target).toContain(
      '<span data-field="achieved">300</span> / <span data-field="planned">300</span>',
    );
    expect(readFileSync(r.suiteReport, 'utf8')).toContain('id="simulator-banner"');
  });

  it('is not written when a test of the suite did not pass, whatever the suite analysis says', () => {
    const r = renderSuiteReport(passingSuite('success-inconclusive', 'unknown'), { renderTests: false });
    expect(r.successReport).toBeUndefined();
    expect(r.playbook).toBeDefined();
  });
});
