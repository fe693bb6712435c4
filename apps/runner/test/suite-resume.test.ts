import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunManifest, TestDefinition } from '@mlperf/core';
import { type SuiteRunManifest, standardSuite } from '@mlperf/scenarios';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './_cli.js';

const out = mkdtempSync(join(tmpdir(), 'mlperf-suite-resume-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const test = (id: string, seconds: number, after?: string): TestDefinition => ({
  id,
  name: id,
  kind: 'custom',
  ...(after ? { after } : {}),
  stages: [{ kind: 'constant', rate: 20, duration: `${seconds}s` }],
  warmup: '1s',
  cooldown: '1s',
  criteria: [{ kind: 'success-rate', min: 0.99 }],
});

function latestSuite(base: string): string | undefined {
  if (!existsSync(base)) return undefined;
  const dirs = readdirSync(base).filter((d) => d.startsWith('suite-'));
  return dirs.length ? join(base, dirs.sort().at(-1) as string) : undefined;
}

describe('mlperf suite run: Ctrl-C and --resume (embedded hub, no Prometheus)', () => {
  it('Ctrl-C during the second test leaves a resumable suite; --resume runs only what is left', async () => {
    const file = join(out, 'two-tests.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...standardSuite(),
        name: 'two-tests',
        cooldownBetweenTests: '1s',
        criteria: [{ kind: 'all-tests-completed' }],
        tests: [test('first', 3), test('second', 8, 'first')],
      }),
    );
    const base = join(out, 'results');
    // press Ctrl-C once the second test has written a few seconds
    const timer = setInterval(() => {
      const dir = latestSuite(base);
      if (!dir || !existsSync(join(dir, 'suite.json'))) return;
      const m = JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')) as SuiteRunManifest;
      const second = m.tests[1];
      if (second?.status !== 'running' || !second.runDir) return;
      const ts = join(dir, second.runDir, 'timeseries.ndjson');
      if (existsSync(ts) && readFileSync(ts, 'utf8').split('\n').length > 3) {
        clearInterval(timer);
        process.emit('SIGINT', 'SIGINT');
      }
    }, 200);
    const first = await cli(
      'suite',
      'run',
      '--suite',
      file,
      '--no-private-prometheus',
      '--skip-check',
      '--out',
      base,
    );
    clearInterval(timer);
    expect(first.code, first.stdout).toBe(1);
    const dir = latestSuite(base) as string;
    let m = JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')) as SuiteRunManifest;
    expect(m.status).toBe('interrupted');
    expect(m.statusReason).toContain(`--resume ${dir}`);
    expect(m.tests.map((t) => t.status)).toEqual(['completed', 'aborted']);
    const aborted = JSON.parse(
      readFileSync(join(dir, m.tests[1]?.runDir ?? '?', 'run.json'), 'utf8'),
    ) as RunManifest;
    expect(aborted.status).toBe('aborted');
    const firstRun = m.tests[0]?.runDir;

    const again = await cli('suite', 'run', '--resume', dir, '--no-private-prometheus', '--skip-check');
    m = JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')) as SuiteRunManifest;
    expect(again.stdout).toContain('first: already completed (pass), skipped on resume');
    expect(m.resumes).toBe(1);
    expect(m.tests.map((t) => [t.status, t.verdict])).toEqual([
      ['completed', 'pass'],
      ['completed', 'pass'],
    ]);
    expect(m.tests[0]?.runDir).toBe(firstRun);
    expect(m.tests[1]?.attempts?.[0]).toMatchObject({ status: 'aborted', reason: 'interrupted (Ctrl-C)' });
    expect(again.code, again.stdout).toBe(0);
  }, 120_000);
});
