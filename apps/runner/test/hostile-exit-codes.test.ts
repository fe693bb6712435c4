import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyFailure } from '../src/_failure.js';
import { makeRun } from '@mlperf/testkit/runs';
import { cli } from './_cli.js';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'mlperf-hostile-exit-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** sysfs refuses new files even to root: a real EACCES on every Linux machine. */
const UNWRITABLE = '/sys/mlperf-probe';

/** A loopback port nothing listens on (bound, then closed). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const NO_STACK = /\n\s+at |INTERNAL/;

describe('one mapping from failures to documented exit codes', () => {
  it('package to an unwritable place: exit 2 naming the path, no stack trace', async () => {
    const dir = makeRun(base, { testId: 'pkg', seconds: 5, tps: 10 });
    const r = await cli('package', dir, '--output', `${UNWRITABLE}/out.tar.gz`);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(r.stderr).toContain('/sys/mlperf-probe');
  });

  it('a lookup wait that is not a number of seconds: exit 2 naming the flag, before any hub starts', async () => {
    const r = await cli(
      'run',
      'baseline-100tps',
      '--profile',
      'quick',
      '--lookup-wait',
      'soon',
      '--out',
      base,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--lookup-wait');
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it('dashboards export into an unwritable place: exit 2 naming the path', async () => {
    const r = await cli('dashboards', 'export', '--out', `${UNWRITABLE}/dash`);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(r.stderr).toMatch(
      /^FS_E(ACCES|PERM): \/sys\/mlperf-probe.*: (permission denied|operation not permitted)\n {2}hint: /,
    );
  });

  it('analyze, report and collect where their output cannot be written: exit 2, never INTERNAL', async () => {
    for (const [cmd, output] of [
      ['analyze', 'analysis.json'],
      ['report', 'analysis-report.html'],
      ['collect', 'summary.txt'],
    ] as const) {
      const dir = makeRun(base, { testId: `blocked-${cmd}`, seconds: 20, tps: 10 });
      mkdirSync(join(dir, output));
      const argv = [cmd, dir];
      const r = await cli(...argv);
      expect(r.code, `${argv[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).not.toMatch(NO_STACK);
      expect(r.stderr).toContain(dir);
    }
  });

  it('promql query against a Prometheus that does not answer: exit 3', async () => {
    const port = await deadPort();
    const r = await cli('promql', 'query', 'up', '--prometheus-url', `http://127.0.0.1:${port}`);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it('extra positional arguments are an error, naming the first one', async () => {
    // analyze takes the several files of one k6 run: a second argument is an input, named when missing
    const r = await cli('analyze', base, 'extra-arg');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('extra-arg: no such file or directory');
    expect(r.stderr).not.toMatch(NO_STACK);
    const v = await cli('validate', 'a.yaml', 'b.yaml');
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('unexpected argument "b.yaml"');
  });

  it('maps system errors anywhere in the cause chain: filesystem -> 2, a silent service -> 3', () => {
    const fsErr = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      path: '/data/results/run.json',
    });
    expect(classifyFailure(fsErr)).toMatchObject({ code: 'FS_ENOSPC', exitCode: 2 });
    expect(classifyFailure(fsErr)?.message).toBe('/data/results/run.json: no space left on the device');
    for (const code of ['EROFS', 'EPERM', 'EACCES']) {
      expect(classifyFailure(Object.assign(new Error(code), { code, path: '/x' }))?.exitCode).toBe(2);
    }
    const fetchFailed = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyFailure(fetchFailed)).toMatchObject({ code: 'UNAVAILABLE', exitCode: 3 });
    expect(classifyFailure(new DOMException('aborted', 'TimeoutError'))?.exitCode).toBe(3);
    expect(classifyFailure(new Error('a bug'))).toBeUndefined();
  });
});
