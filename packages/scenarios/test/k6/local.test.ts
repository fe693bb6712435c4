import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readResults, resolveProfile } from '@mlperf/core';
import { findK6, requireK6, runTestWithK6, standardSuite, type K6LocalRunOptions } from '@mlperf/scenarios';

const FAKE_K6 = fileURLToPath(new URL('./fake-k6.mjs', import.meta.url));
const suite = resolveProfile(standardSuite(), { profile: 'quick' });
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A stand-in DFSP simulator: a real server on port 0 that only says it is healthy. */
async function healthOnlySim() {
  const server = createServer((_req, res) => res.end('{"status":"OK"}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    handle: {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () =>
        new Promise<void>((r) => {
          closed = true;
          server.close(() => r());
        }),
    },
  };
}

async function setup(env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'mlperf-k6-local-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const sim = await healthOnlySim();
  const options: K6LocalRunOptions = {
    suite,
    testId: 'baseline-100tps',
    outDir: dir,
    hubUrl: 'http://127.0.0.1:9',
    k6Path: FAKE_K6,
    startDfspSim: async () => sim.handle,
    env: { MLPERF_HUB_AUTHORIZATION: 'Bearer very-secret', ...env },
  };
  return { dir, sim, options };
}

describe('local k6 executor', () => {
  it('finds k6 on PATH or MLPERF_K6, and says how to get it when absent', () => {
    const empty = mkdtempSync(join(tmpdir(), 'mlperf-nok6-'));
    cleanups.push(() => rmSync(empty, { recursive: true, force: true }));
    expect(findK6(undefined, { PATH: empty })).toBeUndefined();
    expect(findK6(undefined, { PATH: empty, MLPERF_K6: FAKE_K6 })).toBe(FAKE_K6);
    expect(() => requireK6(undefined, { PATH: empty })).toThrow('no k6 binary on PATH');
    try {
      requireK6('/nowhere/k6', {});
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({
        code: 'K6_NOT_FOUND',
        exitCode: 3,
        message: 'k6 binary /nowhere/k6 does not exist or is not executable',
      });
    }
  });

  it('fake k6: runs the rendered script and imports log, summary and per-second timeseries', async () => {
    const { options, sim } = await setup();
    const result = await runTestWithK6(options);
    expect(result).toMatchObject({ status: 'completed', thresholdsPassed: false, k6ExitCode: 99 });
    const r = readResults(result.dir);
    expect(r.problems).toEqual([]);
    expect(r.manifest).toMatchObject({
      status: 'completed',
      executor: { kind: 'k6', version: 'k6 v0.45.0 (fake for tests)' },
      totals: { started: 4999, succeeded: 4948, failed: { other: 51 } },
    });
    expect(r.timeseries.reduce((s, x) => s + x.started, 0)).toBe(4999);
    expect(r.timeseries[0]?.offeredRate).toBe(100);
    expect((r.k6Summary as { metrics: Record<string, unknown> }).metrics.transfer_success).toMatchObject({
      passes: 4948,
    });
    expect(r.logs.sort()).toEqual(['k6-script.js', 'k6.log']);
    const log = readFileSync(join(result.dir, 'logs', 'k6.log'), 'utf8');
    expect(log).toContain('fake k6 replaying fixtures');
    expect(log).toContain('fake k6 done with an authorization');
    for (const f of ['run.json', 'k6-summary.json', 'logs/k6.log', 'logs/k6-script.js']) {
      expect(readFileSync(join(result.dir, f), 'utf8')).not.toContain('very-secret');
    }
    expect(sim.closed).toBe(true);
  });

  it('fake k6: a k6 failure (script error) is exit 3 and the run ends failed', async () => {
    const { options, dir, sim } = await setup({ FAKE_K6_EXIT: '107' });
    await expect(runTestWithK6(options)).rejects.toMatchObject({ code: 'K6_FAILED', exitCode: 3 });
    const [run] = readdirSync(dir);
    expect(JSON.parse(readFileSync(join(dir, run ?? '', 'run.json'), 'utf8'))).toMatchObject({
      status: 'failed',
      statusReason: expect.stringContaining('k6 exited with code 107'),
    });
    expect(sim.closed).toBe(true);
  });

  it('fake k6: Ctrl-C stops k6 with SIGINT, keeps what it wrote, and ends the run aborted', async () => {
    const { options } = await setup({ FAKE_K6_SLEEP_MS: '20000' });
    const ctrlC = new AbortController();
    // Ctrl-C once k6 is running (its log says so), whatever the machine's load.
    const whenRunning = async (dir: string) => {
      for (let i = 0; i < 400; i++) {
        if (readFileSync(join(dir, 'logs', 'k6.log'), { encoding: 'utf8', flag: 'a+' }).includes('replaying'))
          break;
        await new Promise((r) => setTimeout(r, 25));
      }
      ctrlC.abort();
    };
    const run = runTestWithK6({ ...options, signal: ctrlC.signal, onStart: (dir) => void whenRunning(dir) });
    const result = await run;
    expect(result).toMatchObject({ status: 'aborted', k6ExitCode: 105 });
    const r = readResults(result.dir);
    expect(r.manifest).toMatchObject({ status: 'aborted', totals: { succeeded: 4948 } });
  });
});
