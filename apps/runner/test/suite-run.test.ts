import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  // the whole compressed suite runs in main-job.acceptance.test.ts
  'mlperf suite run: end to end against the embedded hub with a private Prometheus',
  () => {
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
      // said live, while the heavy test ran: the Phase-07 plan's "TPS plateaus below target"
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
