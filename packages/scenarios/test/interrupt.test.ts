import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readResults } from '@mlperf/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type StubHub, startStubHub } from './support/stub-hub.js';

const here = dirname(fileURLToPath(import.meta.url));
let hub: StubHub;
let out: string;
let child: ChildProcess | undefined;
beforeEach(async () => {
  hub = await startStubHub();
  out = mkdtempSync(join(tmpdir(), 'mlperf-interrupt-'));
});
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await hub.close();
  rmSync(out, { recursive: true, force: true });
});

/** Starts the child run and resolves with its results directory once two seconds are on disk. */
async function startRun(workers?: number): Promise<string> {
  child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      join(here, 'support/run-child.ts'),
      hub.url,
      out,
      ...(workers ? [String(workers)] : []),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const dir = await new Promise<string>((resolve, reject) => {
    lines.on('line', (l) => {
      if (l.startsWith('dir ')) resolve(l.slice(4));
    });
    child?.once('exit', (code) => reject(new Error(`child exited ${code} before the run started`)));
  });
  const ts = join(dir, 'timeseries.ndjson');
  await vi.waitFor(
    () => {
      const records = existsSync(ts) ? readFileSync(ts, 'utf8').split('\n').filter(Boolean).length : 0;
      if (records < 2) throw new Error(`${records} timeseries records after 60 s, expected 2`);
    },
    { timeout: 60_000, interval: 100 },
  );
  return dir;
}

const exited = (c: ChildProcess) => new Promise<number | null>((r) => c.once('exit', (code) => r(code)));

/** Starts the child run, sends it `signal` once two seconds are on disk, and waits for its exit. */
async function interrupted(signal: NodeJS.Signals, workers?: number) {
  const dir = await startRun(workers);
  const c = child as ChildProcess;
  const done = exited(c);
  c.kill(signal);
  return { dir, code: await done };
}

/** A drained run's directory: aborted by `signal`, no problems, every started transfer accounted for. */
function expectDrained(dir: string, signal: string) {
  const d = readResults(dir);
  expect(d.manifest.status).toBe('aborted');
  expect(d.manifest.statusReason).toMatch(new RegExp(signal));
  expect(d.problems).toEqual([]);
  const t = d.manifest.totals;
  expect(t).toBeDefined();
  const failed = Object.values(t?.failed ?? {}).reduce((a, b) => a + b, 0);
  expect((t?.succeeded ?? 0) + failed + (t?.unfinished ?? 0)).toBe(t?.started);
  return { d, t: t as NonNullable<typeof t> };
}

describe('an interrupted run leaves an analyzable directory', () => {
  it('SIGINT: stops arrivals, drains, writes the summary with status aborted', async () => {
    const { dir, code } = await interrupted('SIGINT');
    expect(code).toBe(1);
    const { d, t } = expectDrained(dir, 'SIGINT');
    expect(d.timeseries.length).toBeGreaterThanOrEqual(2);
    expect(t.offered).toBeLessThan(6000);
    const k6 = d.k6Summary as { metrics: Record<string, Record<string, number>> };
    expect(k6.metrics.iterations?.count).toBe(t.started);
  }, 60_000);

  it('SIGINT with 2 engine workers: the same drain, one analyzable directory', async () => {
    const { dir, code } = await interrupted('SIGINT', 2);
    expect(code).toBe(1);
    const { d, t } = expectDrained(dir, 'SIGINT');
    expect(d.manifest.executor.settings?.engineWorkers).toBe(2);
    const fromSeconds = d.timeseries.reduce((a, r) => a + r.started, 0);
    expect(fromSeconds).toBe(t.started);
  }, 120_000);

  it('SIGTERM does the same', async () => {
    const { dir, code } = await interrupted('SIGTERM');
    expect(code).toBe(1);
    expect(readResults(dir).manifest.statusReason).toMatch(/SIGTERM/);
  }, 60_000);

  it('SIGKILL: the reader still accepts the directory and says what is missing; a torn last line is skipped', async () => {
    const { dir } = await interrupted('SIGKILL');
    appendFileSync(join(dir, 'timeseries.ndjson'), '{"t":1,"s":99,"offe');
    const d = readResults(dir);
    expect(d.manifest.status).toBe('running');
    expect(d.timeseries.length).toBeGreaterThanOrEqual(2);
    expect(d.timeseries.every((r) => r.s !== 99)).toBe(true);
    expect(d.problems.join('\n')).toMatch(/interrupted/);
    expect(d.problems.join('\n')).toMatch(/truncated/);
    expect(d.problems.join('\n')).toMatch(/k6-summary.json: missing/);
  }, 60_000);
});
