// One verdict everywhere: `run` and `analyze` agree on the same directory, an inconclusive test
// makes its suite inconclusive, nothing to judge is never exit 0, and a busy host or a saturated
// generator is named before the hub (real load, real processes).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisResult } from '@mlperf/core';
import { type HubHandle, startHub } from '@mlperf/hub';
import { standardSuite } from '@mlperf/scenarios';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { secondOf } from '@mlperf/testkit/synth';
import { constantTest, writeRun } from '@mlperf/testkit/synth';
import { HUB_CAUSES } from '@mlperf/testkit';
import { cli, hubUrlArgs } from './_cli.js';
import { shortTest } from './_hub-run.js';

const tmp = mkdtempSync(join(tmpdir(), 'mlperf-verdict-'));
let hub: HubHandle;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const verdictLine = (stdout: string) => /^Verdict: (\w+) \(exit (\d)\)$/m.exec(stdout)?.slice(1);
const resultsDir = (stdout: string) => (/results: (.*)$/m.exec(stdout) as RegExpExecArray)[1] as string;
const analysisOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8')) as AnalysisResult;

/** A one-test suite file: `rate` TPS for `seconds`. */
function suiteFile(name: string, rate: number, seconds: number): string {
  const test = shortTest({ id: 'one', name: 'one test', rate, seconds, warmup: '1s' });
  const path = join(tmp, `${name}.json`);
  writeFileSync(path, JSON.stringify({ ...standardSuite(), tests: [test], criteria: [] }));
  return path;
}

describe('run and analyze give one verdict', () => {
  it('a run whose generator drops arrivals (--max-in-flight 1) names the generator; run and analyze agree on verdict and exit code', async () => {
    const file = suiteFile('dropping', 300, 6);
    const r = await cli(
      'run',
      'one',
      '--suite',
      file,
      ...hubUrlArgs(hub),
      '--max-in-flight',
      '1',
      '--out',
      tmp,
    );
    const dir = resultsDir(r.stdout);
    const a = analysisOf(dir);
    expect(a.totals.dropped, r.stdout).toBeGreaterThan(0);
    // the generator is named (first, or right after a busy host), and the hub is not blamed
    const limits = a.findings.slice(0, 2).map((f) => f.kind);
    expect(limits, r.stdout).toContain('generator-saturated');
    expect(a.findings.filter((f) => HUB_CAUSES.has(f.kind) && f.severity !== 'info')).toEqual([]);
    expect(a.verdict).toBe('inconclusive');
    expect(verdictLine(r.stdout)).toEqual(['INCONCLUSIVE', '4']);
    expect(r.code).toBe(4);
    const again = await cli('analyze', dir);
    expect(again.code).toBe(r.code);
    expect(again.stdout.split('\n')[0]).toMatch(/: INCONCLUSIVE$/);
    // the success rate counts the dropped arrivals (succeeded / offered), and says why it is inconclusive
    const success = analysisOf(dir).criteria.find((c) => c.id === 'success-rate');
    expect(success?.detail).toMatch(/dropped by the generator before sending/);
    expect(success?.explanation).toMatch(
      /^Measured a fail, but inconclusive about the hub: (Load generator saturated|Host CPU contention)/,
    );
  }, 120_000);
});

describe('nothing to judge is never a pass', () => {
  it('analyze of a results directory without data exits 4, compare against it exits 4, an empty directory exits 2', async () => {
    const test = constantTest('t', 100, '60s', { warmup: '5s', cooldown: '5s' });
    const good = writeRun(join(tmp, 'good'), { test, seconds: 60, second: secondOf('healthy', 100) });
    const empty = writeRun(join(tmp, 'empty'), { test, seconds: 1, second: secondOf('healthy', 100) });
    writeFileSync(join(empty, 'timeseries.ndjson'), '');
    const a = await cli('analyze', empty);
    expect(a.code, a.stdout).toBe(4);
    expect(a.stdout.split('\n')[0]).toMatch(/: INCONCLUSIVE$/);
    const c = await cli('compare', good, empty);
    expect(c.code, c.stdout).toBe(4);
    expect(c.stdout).toMatch(/^INCONCLUSIVE: no metric was measured in both runs/m);
    const bare = mkdtempSync(join(tmp, 'bare-'));
    expect((await cli('analyze', bare)).code).toBe(2);
  });

  it('the monitor shows the same verdict for a finished run as analyze', async () => {
    const test = constantTest('t', 100, '60s', { warmup: '5s', cooldown: '5s' });
    const dir = writeRun(join(tmp, 'monitored'), { test, seconds: 60, second: secondOf('flaky', 100) });
    const m = await cli('monitor', dir, '--once', '--plain');
    const a = await cli('analyze', dir);
    expect(a.code).toBe(1);
    expect(m.stdout).toMatch(/ t completed \d+\/\d+s FAIL \|/);
  });

  it('a suite with one inconclusive test is inconclusive: exit 4', async () => {
    const base = join(tmp, 'suite');
    const test = (id: string) => constantTest(id, 100, '60s', { warmup: '5s', cooldown: '5s' });
    const loadOnly = (id: string) => ({
      ...test(id),
      criteria: test(id).criteria.filter((c) =>
        ['achieved-rate', 'success-rate', 'latency'].includes(c.kind),
      ),
    });
    writeRun(base, { test: loadOnly('baseline-100tps'), seconds: 60, second: secondOf('healthy', 100) });
    // CPU criterion without a Prometheus export: cannot be judged
    writeRun(base, { test: test('scale-100tps'), seconds: 60, second: secondOf('healthy', 100, 3) });
    const r = await cli('analyze', base);
    expect(r.code, r.stdout).toBe(4);
    const suite = JSON.parse(readFileSync(join(base, 'analysis.json'), 'utf8'));
    expect(suite.verdict).toBe('inconclusive');
    expect(
      suite.tests.map((t: { testId: string; verdict: string }) => `${t.testId}:${t.verdict}`).sort(),
    ).toEqual(['baseline-100tps:pass', 'scale-100tps:inconclusive']);
    expect(suite.headline).toMatch(/^INCONCLUSIVE: scale-100tps could not be judged; suite criteria: /);
  });
});

describe('a busy host is not blamed on the hub', () => {
  const hogs: ChildProcess[] = [];
  afterEach(() => {
    for (const h of hogs.splice(0)) if (h.pid && h.exitCode === null) process.kill(h.pid);
  });

  it('a healthy run with CPU hogs on every core names host contention and no hub cause', async () => {
    // bounded: each hog ends itself after 60 s even if this test dies; killed by pid afterwards
    for (let i = 0; i < availableParallelism(); i++)
      hogs.push(
        spawn(process.execPath, ['-e', 'const end = Date.now() + 60000; while (Date.now() < end) {}'], {
          stdio: 'ignore',
        }),
      );
    const r = await cli('run', 'baseline-100tps', '--profile', 'quick', '--out', tmp);
    expect([0, 4], r.stdout).toContain(r.code);
    const a = analysisOf(resultsDir(r.stdout));
    const kinds = a.findings.map((f) => f.kind);
    expect(kinds, r.stdout).toContain('host-contention');
    expect(['host-contention', 'generator-saturated']).toContain(kinds[0]);
    expect(a.findings.find((f) => f.kind === 'host-contention')?.title).toMatch(
      /^Host CPU contention: \d+% used by other processes$/,
    );
    expect(
      a.findings.filter((f) => HUB_CAUSES.has(f.kind) && f.severity !== 'info'),
      r.stdout,
    ).toEqual([]);
  }, 150_000);
});
