import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveProfile } from '@mlperf/core';
import { afterAll, describe, expect, it } from 'vitest';
import { standardSuite } from '../../src/standard-suite.js';
import { resetAndCheck } from '../../src/suite-run/phases/check.js';
import { analyseSuite, conclude, writeArtefacts } from '../../src/suite-run/phases/conclude.js';
import { gateReason, stopReasonAfter } from '../../src/suite-run/phases/gate.js';
import { analyseTest } from '../../src/suite-run/phases/test-analysis.js';
import { openSession } from '../../src/suite-run/session.js';
import type { SuiteEvent, SuiteRunDeps, SuiteTestEntry } from '../../src/suite-run/types.js';
import { analysis, checkReport, tempDir } from './helpers.js';

const suite = resolveProfile(standardSuite(), { profile: 'quick' });
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function session(
  over: Partial<SuiteRunDeps> = {},
  options: { force?: boolean; continueOnFail?: boolean } = {},
) {
  const events: SuiteEvent[] = [];
  const deps: SuiteRunDeps = {
    reset: async () => {},
    check: async () => checkReport('pass'),
    runTest: async () => {
      throw new Error('no test runs in a phase test');
    },
    analyzeRun: async () => analysis('pass'),
    onEvent: (e) => events.push(e),
    ...over,
  };
  const outDir = tempDir().dir;
  dirs.push(outDir);
  const s = openSession(suite, { outDir, target: { kind: 'embedded' }, ...options }, deps);
  return { s, events, saved: () => JSON.parse(readFileSync(join(s.dir, 'suite.json'), 'utf8')) };
}

const entry = (over: Partial<SuiteTestEntry>): SuiteTestEntry => ({
  testId: 't',
  name: 'T',
  kind: 'custom',
  status: 'completed',
  plannedDurationMs: 1000,
  ...over,
});

describe('suite run phases, one at a time', () => {
  it('reset and check: a failed check stops the suite (exit 3 when unreachable); --force goes on', async () => {
    const failed = session({ check: async () => checkReport('fail', 3) });
    const stopped = await resetAndCheck(failed.s, {});
    expect(stopped?.exitCode).toBe(3);
    expect(failed.saved().status).toBe('check-failed');
    const forced = session({ check: async () => checkReport('fail', 3) }, { force: true });
    expect(await resetAndCheck(forced.s, {})).toBeUndefined();
    expect(forced.events.map((e) => e.kind)).toContain('note');
    const skipped = session({ check: async () => checkReport('fail', 3) });
    expect(await resetAndCheck(skipped.s, { skipCheck: true })).toBeUndefined();
  });

  it('the gate: skipped after a test that did not pass, unless --continue-on-fail; why the suite stops', () => {
    const { s } = session();
    const [baseline, scale] = s.m.tests as [SuiteTestEntry, SuiteTestEntry];
    baseline.status = 'completed';
    baseline.verdict = 'fail';
    expect(gateReason(s.m, scale, undefined, false)).toBe(`runs after ${baseline.name}, which did not pass`);
    expect(gateReason(s.m, scale, undefined, true)).toBeUndefined();
    expect(gateReason(s.m, scale, 'stopped', true)).toBe('stopped');
    baseline.verdict = 'inconclusive';
    expect(gateReason(s.m, scale, undefined, false)).toBeUndefined();
    expect(stopReasonAfter(entry({ verdict: 'fail' }))).toBe('T failed its criteria (gate)');
    expect(stopReasonAfter(entry({ status: 'error', reason: 'hub down' }))).toBe('T could not run: hub down');
    expect(stopReasonAfter(entry({ status: 'aborted', runStatus: 'aborted' }))).toBe('T ended aborted');
    expect(stopReasonAfter(entry({ verdict: 'pass' }))).toBeUndefined();
  });

  it('per-test analysis: verdict, failed criteria with values, findings; a failing analyzer is said', async () => {
    const e = entry({});
    const failing = analysis('fail', {
      criteria: [
        {
          id: 'latency-p95',
          label: 'P95 latency < 300ms',
          status: 'fail',
          value: 412.3456,
          unit: 'ms',
          detail: '',
        },
        { id: 'success-rate', label: 'Success rate > 99.5%', status: 'pass', value: 1, detail: '' },
      ],
    });
    await analyseTest(e, '/nowhere', '/', { analyzeRun: async () => failing });
    expect(e.verdict).toBe('fail');
    expect(e.failedCriteria).toEqual(['P95 latency < 300ms: 412 ms']);
    const broken = entry({});
    await analyseTest(broken, '/nowhere', '/', {
      analyzeRun: async () => {
        throw new Error('damaged run.json');
      },
    });
    expect(broken.verdict).toBe('inconclusive');
    expect(broken.reason).toBe('analysis failed: damaged run.json');
  });

  it('suite analysis, artefacts and the exit code', async () => {
    const { s, events } = session({
      analyzeSuite: async () =>
        ({ ...analysis('pass'), kind: 'suite', suiteName: 'x', tests: [], generatedAt: '' }) as never,
      reportSuite: async (dir) => join(dir, 'suite-report.html'),
      packageSuite: async () => {
        throw new Error('disk full');
      },
    });
    for (const t of s.m.tests) Object.assign(t, { status: 'completed', verdict: 'pass' });
    expect(await analyseSuite(s)).toBe('pass');
    await writeArtefacts(s);
    expect(s.m.report).toBe('suite-report.html');
    expect(s.m.package).toBeUndefined();
    expect(events).toContainEqual({ kind: 'note', message: 'suite package failed: disk full' });
    expect(conclude(s, { interrupted: false }, 'pass').exitCode).toBe(0);
    expect(conclude(s, { interrupted: false, stopReason: 'gate' }, 'pass').exitCode).toBe(1);
    expect(conclude(s, { interrupted: false, errorExit: 3 }, 'fail').exitCode).toBe(3);
  });
});
