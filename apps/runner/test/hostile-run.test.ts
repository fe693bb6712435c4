import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cli, repoRoot } from './_cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlperf-hostile-run-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Child processes of this process whose command line contains `needle` (Linux /proc). */
function childPids(needle: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(needle))
        out.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe('mlperf run when things die', () => {
  it('the embedded hub process dying mid-run ends the run as aborted, saying so, exit 3', async () => {
    const out = join(dir, 'hub-dies');
    const running = cli(
      'run',
      'baseline-100tps',
      '--time-scale',
      '1/10',
      '--no-private-prometheus',
      '--out',
      out,
    );
    const runJson = () => {
      const d = existsSync(out) ? readdirSync(out)[0] : undefined;
      return d ? join(out, d, 'run.json') : undefined;
    };
    await vi.waitFor(
      () => {
        const p = runJson();
        expect(p && existsSync(p) && readFileSync(p, 'utf8').includes('"running"')).toBe(true);
        expect(childPids('hub-child').length).toBe(1);
      },
      { timeout: 60_000, interval: 100 },
    );
    for (const pid of childPids('hub-child')) process.kill(pid, 'SIGKILL');
    const r = await running;
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('HUB_EXITED: the embedded hub process exited (SIGKILL) during the run');
    const manifest = JSON.parse(readFileSync(runJson() as string, 'utf8'));
    expect(manifest.status).toBe('aborted');
    expect(manifest.statusReason).toContain('the embedded hub process exited (SIGKILL)');
  }, 120_000);

  it('a double Ctrl-C leaves no /tmp/mlperf-prometheus-* behind', async () => {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        join(repoRoot, 'apps/runner/src/cli.ts'),
        'run',
        'baseline-100tps',
        '--time-scale',
        '1/10',
        '--out',
        join(dir, 'ctrl-c'),
      ],
      {
        cwd: join(repoRoot, 'apps/runner'),
        env: { ...process.env, TMPDIR: tmp },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await vi.waitFor(
      () => {
        expect(stdout).toContain('results in');
        expect(readdirSync(tmp).some((f) => f.startsWith('mlperf-prometheus-'))).toBe(true);
      },
      { timeout: 90_000, interval: 200 },
    );
    child.kill('SIGINT');
    await vi.waitFor(() => expect(stderr).toContain('SIGINT: stopping arrivals'), { timeout: 30_000 });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(readdirSync(tmp).filter((f) => f.startsWith('mlperf-prometheus-'))).toEqual([]);
  }, 150_000);
});
