import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanTemp, tempDir } from '@mlperf/testkit/synth';
import { makeRun } from '@mlperf/testkit/runs';
import { cli } from './_cli.js';

let base: string;
beforeAll(() => {
  base = tempDir('hostile-pkg');
});
afterAll(cleanTemp);

describe('mlperf package refuses unsafe members, outputs and inputs', () => {
  it('a file named ..\\..\\evil.txt stays inside its top folder; GNU tar extracts it and sha256sum -c passes', async () => {
    const dir = makeRun(base, { testId: 'run1', seconds: 5, tps: 10 });
    writeFileSync(join(dir, 'logs', '..\\..\\evil.txt'), 'hostile\n');
    writeFileSync(join(dir, 'logs', 'bell\u0007.log'), 'ring\n');
    const out = join(base, 'run1.tar.gz');
    const r = await cli('package', dir, '--output', out);
    expect(r.code, r.stderr).toBe(0);
    const x = join(base, 'x');
    mkdirSync(x);
    execFileSync('tar', ['-xzf', out, '-C', x]);
    expect(readdirSync(x).sort()).toEqual(['MANIFEST.sha256', 'manifest.json', 'run1']);
    expect(readdirSync(join(x, 'run1', 'logs'))).toEqual(
      expect.arrayContaining(['.._.._evil.txt', 'bell_.log']),
    );
    const checked = execFileSync('sha256sum', ['-c', 'MANIFEST.sha256'], { cwd: x, encoding: 'utf8' });
    expect(checked).toContain('run1/logs/.._.._evil.txt: OK');
    expect(checked).not.toContain('FAILED');
    const manifest = JSON.parse(readFileSync(join(x, 'manifest.json'), 'utf8')) as {
      entries: { path: string }[];
    };
    const listed = execFileSync('tar', ['-tzf', out], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(manifest.entries.map((e) => e.path)).toEqual(listed);
  });

  it('refuses to write the package inside an input (run.json survives)', async () => {
    const dir = join(base, 'run1');
    const before = readFileSync(join(dir, 'run.json'), 'utf8');
    const r = await cli('package', dir, '--output', join(dir, 'run.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PACKAGE_OUTPUT_INSIDE_INPUT');
    expect(readFileSync(join(dir, 'run.json'), 'utf8')).toBe(before);
  });

  it('refuses to replace an existing file without --force', async () => {
    const out = join(base, 'existing.tar.gz');
    writeFileSync(out, 'precious');
    const r = await cli('package', join(base, 'run1'), '--output', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /PACKAGE_OUTPUT_EXISTS: --output .*existing\.tar\.gz: already exists\n {2}hint: .*--force/,
    );
    expect(readFileSync(out, 'utf8')).toBe('precious');
    const forced = await cli('package', join(base, 'run1'), '--output', out, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(out).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it.each([
    ['an empty directory', 'empty', () => mkdirSync(join(base, 'empty'))],
    [
      'a folder of suite files',
      'suites',
      () => {
        mkdirSync(join(base, 'suites'));
        writeFileSync(join(base, 'suites', 'standard.yaml'), 'name: x\n');
      },
    ],
    ['the root directory', '/', () => {}],
  ])('refuses %s with exit 2 and a hint', async (_what, name, setup) => {
    setup();
    const out = join(base, `refused-${name.replace('/', 'root')}.tar.gz`);
    const r = await cli('package', name.startsWith('/') ? name : join(base, name), '--output', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PACKAGE_NOT_RESULTS');
    expect(r.stderr).toContain('hint:');
    expect(existsSync(out)).toBe(false);
  });
});
