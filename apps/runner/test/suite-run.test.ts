import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPrometheusBinary } from '@mlperf/core/promql';
import type { TestDefinition } from '@mlperf/core';
import { type SuiteRunManifest, standardSuite } from '@mlperf/scenarios';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './_cli.js';

const hasPrometheus = findPrometheusBinary() !== undefined;
const out = mkdtempSync(join(tmpdir(), 'mlperf-suite-run-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function suiteDirOf(stdout: string): string {
  const m = /^Suite directory: (.+)$/m.exec(stdout);
  if (!m?.[1]) throw new Error(`no suite directory in:\n${stdout}`);
  return m[1];
}

const manifestOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')) as SuiteRunManifest;

describe.skipIf(!hasPrometheus)(
  'mlperf suite run: end to end against the embedded hub with a private Prometheus',
  () => {
    it('runs the whole compressed suite and leaves the suite directory, reports and package', async () => {
      const r = await cli(
        'suite',
        'run',
        '--profile',
        'quick',
        '--time-scale',
        '1/1200',
        '--rate-cap',
        '50',
        '--continue-on-fail',
        '--out',
        join(out, 'e2e'),
      );
      const dir = suiteDirOf(r.stdout);
      const m = manifestOf(dir);
      expect(m.status).toBe('completed');
      expect(m.check?.status).not.toBe('fail');
      expect(m.tests.map((t) => [t.testId, t.status, t.runStatus])).toEqual([
        ['baseline-100tps', 'completed', 'completed'],
        ['scale-500tps', 'completed', 'completed'],
        ['target-1000tps', 'completed', 'completed'],
        ['endurance-1000tps', 'completed', 'completed'],
        ['stress-test', 'completed', 'completed'],
      ]);
      for (const t of m.tests) {
        const run = join(dir, t.runDir ?? '?');
        expect(t.verdict).toMatch(/^(pass|fail|unknown)$/);
        for (const f of [
          'run.json',
          'timeseries.ndjson',
          'k6-summary.json',
          'analysis.json',
          'analysis-report.html',
        ]) {
          expect(existsSync(join(run, f)), `${t.testId}/${f}`).toBe(true);
        }
        // the private Prometheus scraped hub and engine: the validation queries were exported
        expect(readdirSync(join(run, 'metrics')).length, `${t.testId}/metrics`).toBeGreaterThan(0);
      }
      expect(existsSync(join(dir, 'check.json'))).toBe(true);
      expect(existsSync(join(dir, 'analysis.json'))).toBe(true);
      expect(m.report).toBe('suite-report.html');
      expect(readFileSync(join(dir, 'suite-report.html'), 'utf8')).toContain('mojaloop-1000tps');
      expect(m.package).toBe('mojaloop-1000tps-results.tar.gz');
      const entries = execFileSync('tar', ['tzf', join(dir, m.package ?? '')], { encoding: 'utf8' }).split(
        '\n',
      );
      expect(entries).toContain(`${m.suiteRunId}/suite.json`);
      expect(entries).toContain(`${m.suiteRunId}/${m.tests[2]?.runDir}/run.json`);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^Suite report: .*suite-report\.html$/);
      expect([0, 1]).toContain(r.code);
      expect(r.code).toBe(m.verdict === 'pass' ? 0 : 1);

      // a second terminal: the monitor shows the finished suite and stops
      const mon = await cli('monitor', dir, '--once', '--plain');
      expect(mon.code).toBe(0);
      expect(mon.stdout).toContain('suite 5/5 completed');
    }, 180_000);

    it('a bottleneck profile fails the gate: the suite stops after the failing test, with the cause', async () => {
      // a small suite whose gate can only fail through the hub's capacity: ~250 TPS with a 5-connection pool
      const base = standardSuite();
      const test = (
        id: string,
        name: string,
        rate: number,
        after?: string,
        duration = '8s',
      ): TestDefinition => ({
        id,
        name,
        kind: 'custom',
        ...(after ? { after } : {}),
        stages: [{ kind: 'constant', rate, duration }],
        warmup: '3s',
        cooldown: '1s',
        criteria: [
          { kind: 'achieved-rate', minRatio: 0.9 },
          { kind: 'success-rate', min: 0.99 },
        ],
      });
      const file = join(out, 'bottleneck-suite.json');
      writeFileSync(
        file,
        JSON.stringify({
          ...base,
          name: 'bottleneck',
          cooldownBetweenTests: '1s',
          criteria: [{ kind: 'all-tests-completed' }],
          tests: [
            test('light-40tps', 'Light load (40 TPS)', 40),
            // long enough for the live detector's 5 s warm-up and 10 s window
            test('heavy-600tps', 'Heavy load (600 TPS)', 600, 'light-40tps', '16s'),
            test('after-heavy', 'After the heavy test', 40, 'heavy-600tps'),
          ],
        }),
      );
      const r = await cli(
        'suite',
        'run',
        '--suite',
        file,
        '--hub-profile',
        'db-pool-exhausted',
        '--force',
        '--out',
        join(out, 'bottleneck'),
      );
      const dir = suiteDirOf(r.stdout);
      const m = manifestOf(dir);
      expect(r.code, r.stdout).toBe(1);
      expect(m.status).toBe('failed');
      expect(m.tests.map((t) => [t.testId, t.status, t.verdict])).toEqual([
        ['light-40tps', 'completed', 'pass'],
        ['heavy-600tps', 'completed', 'fail'],
        ['after-heavy', 'skipped', undefined],
      ]);
      expect(m.statusReason).toBe('Heavy load (600 TPS) failed its criteria (gate)');
      expect(m.tests[2]?.reason).toBe('Heavy load (600 TPS) failed its criteria (gate)');
      expect(m.tests[1]?.findings?.map((f) => f.kind)).toContain('db-pool-exhausted');
      // said live, while the heavy test ran: the seed's "TPS plateaus below target"
      expect(m.tests[1]?.liveIssues?.map((i) => i.kind)).toContain('tps-plateau');
      expect(r.stdout).toContain('! TPS plateaus below target');
      expect(r.stdout).toContain('./scale-db-connections.sh');
      expect(existsSync(join(dir, 'suite-report.html'))).toBe(true);
    }, 180_000);
  },
);

describe('mlperf suite run / check: bad input and an unreachable target', () => {
  it('a failed check stops the suite before any load (exit 3 when the hub is unreachable)', async () => {
    const r = await cli(
      'suite',
      'run',
      '--target',
      'http://127.0.0.1:1',
      '--admin-url',
      'http://127.0.0.1:1',
      '--out',
      join(out, 'down'),
      '--no-probe',
    );
    expect(r.code).toBe(3);
    expect(r.stderr + r.stdout).toMatch(/127\.0\.0\.1:1/);
  });

  it('check against an unreachable real hub exits 3 and names the service', async () => {
    const r = await cli('check', '--target', 'http://127.0.0.1:1', '--no-probe');
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(
      '❌ All services healthy: ml-api-adapter unreachable at http://127.0.0.1:1/health',
    );
    expect(r.stdout).toContain('NOT READY');
  });

  it('--resume of a directory that is not a suite is bad input', async () => {
    const r = await cli('suite', 'run', '--resume', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('SUITE_INVALID');
  });
});
