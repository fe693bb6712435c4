import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MlperfError, resolveProfile } from '@mlperf/core';
import { describe, expect, it } from 'vitest';
import { standardSuite } from '../../src/standard-suite.js';
import { formatSuiteEvent, readSuiteManifest, runSuite } from '../../src/suite-run/index.js';
import type { SuiteEvent, SuiteRunDeps } from '../../src/suite-run/types.js';
import { analysis, checkReport, fakeEngine, second, tempDir } from './helpers.js';

const suite = resolveProfile(standardSuite(), { profile: 'quick' });
const steady = () => Array.from({ length: 5 }, (_, s) => second(s, 100, 100));

function deps(
  over: Partial<SuiteRunDeps> = {},
  verdicts: Record<string, 'pass' | 'fail' | 'inconclusive'> = {},
) {
  const engine = fakeEngine(steady);
  const events: SuiteEvent[] = [];
  const sleeps: number[] = [];
  const d: SuiteRunDeps = {
    reset: async () => {},
    check: async () => checkReport('pass'),
    runTest: engine.runTest,
    analyzeRun: async (dir) => {
      const testId = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).testId as string;
      return analysis(verdicts[testId] ?? 'pass');
    },
    reportRun: async (dir) => {
      writeFileSync(join(dir, 'analysis-report.html'), '<html></html>');
      return join(dir, 'analysis-report.html');
    },
    reportSuite: async (dir) => {
      writeFileSync(join(dir, 'suite-report.html'), '<html></html>');
      return join(dir, 'suite-report.html');
    },
    packageSuite: async (dir) => {
      writeFileSync(join(dir, 'results.tar.gz'), 'x');
      return join(dir, 'results.tar.gz');
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onEvent: (e) => events.push(e),
    ...over,
  };
  return { d, engine, events, sleeps };
}

describe('runSuite (injected engine, analyzer and report)', () => {
  it('runs reset -> check -> the progression with cool-downs, then the suite report and package', async () => {
    using tmp = tempDir();
    const { d, engine, events, sleeps } = deps();
    const r = await runSuite(suite, { outDir: tmp.dir, target: { kind: 'embedded' } }, d);
    expect(r.exitCode).toBe(0);
    expect(engine.calls).toEqual([
      'baseline-100tps',
      'scale-500tps',
      'target-1000tps',
      'endurance-1000tps',
      'stress-test',
    ]);
    expect(sleeps).toEqual([3000, 3000, 3000, 3000]);
    const m = readSuiteManifest(r.suiteDir);
    expect(m).toMatchObject({
      status: 'completed',
      verdict: 'pass',
      report: 'suite-report.html',
      package: 'results.tar.gz',
    });
    expect(m.check).toMatchObject({ status: 'pass', failed: [] });
    expect(m.tests.map((t) => [t.testId, t.status, t.verdict, t.runDir])).toEqual([
      ['baseline-100tps', 'completed', 'pass', 'baseline-100tps-1'],
      ['scale-500tps', 'completed', 'pass', 'scale-500tps-2'],
      ['target-1000tps', 'completed', 'pass', 'target-1000tps-3'],
      ['endurance-1000tps', 'completed', 'pass', 'endurance-1000tps-4'],
      ['stress-test', 'completed', 'pass', 'stress-test-5'],
    ]);
    expect(m.tests[0]?.report).toBe('baseline-100tps-1/analysis-report.html');
    expect(m.timings.remainingMs).toBe(0);
    expect(m.timings.plannedDurationMs).toBeGreaterThan(0);
    expect(existsSync(join(r.suiteDir, 'check.json'))).toBe(true);
    expect(events.flatMap(formatSuiteEvent).slice(0, 5)).toMatchInlineSnapshot(`
      [
        "Resetting test data (DFSP positions to their initial state)",
        "Pre-test check",
        "  ✅ All services healthy: 1 of 1 healthy",
        "[1/5] Baseline (100 TPS): running (planned 5 s)",
        "  ✓ Baseline (100 TPS): pass - verdict pass",
      ]
    `);
  });

  it('stops after the test that fails its gate; later tests are skipped with the reason', async () => {
    using tmp = tempDir();
    const { d, engine } = deps({}, { 'target-1000tps': 'fail' });
    const r = await runSuite(suite, { outDir: tmp.dir, target: { kind: 'embedded' } }, d);
    expect(r.exitCode).toBe(1);
    expect(engine.calls).toEqual(['baseline-100tps', 'scale-500tps', 'target-1000tps']);
    const m = readSuiteManifest(r.suiteDir);
    expect(m.status).toBe('failed');
    expect(m.statusReason).toBe('Target Test (1000 TPS) failed its criteria (gate)');
    expect(m.tests.slice(3).map((t) => [t.status, t.reason])).toEqual([
      ['skipped', 'Target Test (1000 TPS) failed its criteria (gate)'],
      ['skipped', 'Target Test (1000 TPS) failed its criteria (gate)'],
    ]);
    expect(m.report).toBe('suite-report.html');
    expect(m.verdict).toBe('fail');
  });

  it('--continue-on-fail runs every test; an inconclusive verdict does not stop the suite', async () => {
    using tmp = tempDir();
    const { d, engine } = deps({}, { 'scale-500tps': 'fail', 'target-1000tps': 'inconclusive' });
    const r = await runSuite(
      suite,
      { outDir: tmp.dir, target: { kind: 'embedded' }, continueOnFail: true },
      d,
    );
    expect(engine.calls).toHaveLength(5);
    expect(r.exitCode).toBe(1);
    expect(readSuiteManifest(r.suiteDir).status).toBe('completed');
  });

  it('one inconclusive test (the rest passed) makes the suite inconclusive: exit 4, never 0', async () => {
    using tmp = tempDir();
    const { d, engine } = deps({}, { 'endurance-1000tps': 'inconclusive' });
    const r = await runSuite(suite, { outDir: tmp.dir, target: { kind: 'embedded' } }, d);
    expect(engine.calls).toHaveLength(5);
    expect(r.exitCode).toBe(4);
    expect(readSuiteManifest(r.suiteDir)).toMatchObject({ status: 'completed', verdict: 'inconclusive' });
  });

  it('a failed check stops before any load (exit 1, or 3 when the target is unreachable) unless --force', async () => {
    using tmp = tempDir();
    const { d, engine } = deps({ check: async () => checkReport('fail', 3) });
    const r = await runSuite(suite, { outDir: tmp.dir, target: { kind: 'embedded' } }, d);
    expect(r.exitCode).toBe(3);
    expect(engine.calls).toEqual([]);
    expect(readSuiteManifest(r.suiteDir)).toMatchObject({
      status: 'check-failed',
      check: { failed: ['All services healthy: hub unreachable at http://127.0.0.1:1/health'] },
    });
    const forced = await runSuite(
      suite,
      { outDir: join(tmp.dir, 'f'), target: { kind: 'embedded' }, force: true },
      d,
    );
    expect(forced.exitCode).toBe(0);
    expect(engine.calls).toHaveLength(5);
  });

  it('a test that errors keeps the earlier results and stops the suite with its exit code', async () => {
    using tmp = tempDir();
    const engine = fakeEngine(steady);
    const { d } = deps({
      runTest: async (a) => {
        if (a.test.id === 'scale-500tps') {
          throw new MlperfError('HUB_UNREACHABLE', 'http://127.0.0.1:1: connection refused', {
            exitCode: 3,
            hint: 'start the hub',
          });
        }
        return engine.runTest(a);
      },
    });
    const r = await runSuite(suite, { outDir: tmp.dir, target: { kind: 'embedded' } }, d);
    expect(r.exitCode).toBe(3);
    const m = readSuiteManifest(r.suiteDir);
    expect(m.tests[0]).toMatchObject({ status: 'completed', verdict: 'pass', runDir: 'baseline-100tps-1' });
    expect(existsSync(join(r.suiteDir, 'baseline-100tps-1', 'timeseries.ndjson'))).toBe(true);
    expect(m.tests[1]).toMatchObject({ status: 'error', reason: expect.stringContaining('HUB_UNREACHABLE') });
    expect(m.tests[2]?.status).toBe('skipped');
  });

  it('Ctrl-C leaves the suite resumable; --resume skips completed tests and re-runs the interrupted one', async () => {
    using tmp = tempDir();
    const ac = new AbortController();
    const engine = fakeEngine(() => Array.from({ length: 50 }, (_, s) => second(s, 100, 100)), {
      delayMs: 2,
    });
    const { d } = deps({
      runTest: async (a) => {
        if (a.test.id === 'scale-500tps') setTimeout(() => ac.abort(), 20);
        return engine.runTest(a);
      },
    });
    const first = await runSuite(
      suite,
      { outDir: tmp.dir, target: { kind: 'embedded' }, signal: ac.signal },
      d,
    );
    expect(first.exitCode).toBe(1);
    let m = readSuiteManifest(first.suiteDir);
    expect(m.status).toBe('interrupted');
    expect(m.statusReason).toContain(`--resume ${first.suiteDir}`);
    expect(m.tests.map((t) => t.status)).toEqual(['completed', 'aborted', 'pending', 'pending', 'pending']);

    const again = deps();
    const second_ = await runSuite(
      undefined,
      { outDir: tmp.dir, target: { kind: 'embedded' }, resume: first.suiteDir },
      again.d,
    );
    expect(second_.exitCode).toBe(0);
    expect(again.engine.calls).toEqual([
      'scale-500tps',
      'target-1000tps',
      'endurance-1000tps',
      'stress-test',
    ]);
    m = readSuiteManifest(first.suiteDir);
    expect(m.resumes).toBe(1);
    expect(m.status).toBe('completed');
    expect(m.tests[0]?.runDir).toBe('baseline-100tps-1');
    expect(m.tests[1]?.attempts).toEqual([
      { runDir: 'scale-500tps-2', status: 'aborted', reason: 'interrupted (Ctrl-C)' },
    ]);
  });

  it('says live when TPS plateaus below the offered rate, with the likely cause', async () => {
    using tmp = tempDir();
    const plateau = (id: string) =>
      Array.from({ length: 30 }, (_, s) =>
        id === 'baseline-100tps' && s > 5 ? second(s, 100, 60) : second(s, 100, 100),
      );
    const engine = fakeEngine(plateau, { delayMs: 3 });
    const { d, events } = deps({
      runTest: engine.runTest,
      explainIssue: async () => [
        {
          kind: 'db-pool-exhausted',
          title: 'Database connection pool exhausted',
          subject: 'mysql',
          fix: 'scale DB connections',
          runbookScript: './scale-db-connections.sh',
        },
      ],
    });
    const r = await runSuite(suite, { outDir: tmp.dir, target: { kind: 'embedded' }, pollMs: 5 }, d);
    const live = events.filter((e) => e.kind === 'live-issue');
    expect(live).toHaveLength(1);
    expect(live.flatMap(formatSuiteEvent)).toMatchInlineSnapshot(`
      [
        "  ! TPS plateaus below target (critical, at 6s): achieved 87 TPS against 100 offered (87%) over the last 3 s",
        "      likely cause: Database connection pool exhausted [mysql]",
        "        fix: scale DB connections (./scale-db-connections.sh)",
      ]
    `);
    expect(readSuiteManifest(r.suiteDir).tests[0]?.liveIssues?.[0]).toMatchObject({
      kind: 'tps-plateau',
      severity: 'critical',
    });
  });

  it('rejects a directory that is not a suite', async () => {
    using tmp = tempDir();
    await expect(
      runSuite(undefined, { outDir: tmp.dir, target: { kind: 'embedded' }, resume: tmp.dir }, deps().d),
    ).rejects.toThrow(/suite.json is missing/);
  });
});
