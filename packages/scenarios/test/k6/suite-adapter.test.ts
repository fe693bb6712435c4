import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveProfile } from '@mlperf/core';
import { k6ClusterNeed, k6SuiteRunTest, standardSuite } from '@mlperf/scenarios';

const FAKE_K6 = fileURLToPath(new URL('./fake-k6.mjs', import.meta.url));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function healthySim() {
  const server = createServer((_req, res) => res.end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('k6 executors for the suite orchestration', () => {
  it('size the cluster need of a suite by its biggest test (the stress test)', () => {
    expect(k6ClusterNeed(standardSuite())).toEqual({
      cpuCores: 50,
      memoryBytes: 25 * 3328 * 2 ** 20,
      source: 'stress-test: 25 k6 runners x 2000m CPU / 3328Mi',
    });
    expect(k6ClusterNeed(standardSuite(), { parallelism: 2 }).cpuCores).toBe(4);
  });

  it('fake k6: runTest writes the results directory into the suite directory and reports it', async () => {
    const suiteDir = mkdtempSync(join(tmpdir(), 'mlperf-suite-k6-'));
    cleanups.push(() => rmSync(suiteDir, { recursive: true, force: true }));
    const suite = resolveProfile(standardSuite(), { profile: 'quick' });
    const started: string[] = [];
    const run = (env: Record<string, string>) =>
      k6SuiteRunTest({
        kind: 'k6',
        options: { hubUrl: 'http://127.0.0.1:9', k6Path: FAKE_K6, startDfspSim: healthySim, env },
      })({
        suite,
        test: suite.tests[0]!,
        suiteDir,
        suiteRunId: 'suite-1',
        signal: new AbortController().signal,
        onStart: (d) => started.push(d),
      });
    const ok = await run({});
    expect(ok).toEqual({ runDir: started[0], status: 'completed' });
    expect(ok.runDir.startsWith(suiteDir)).toBe(true);
    const failed = await run({ FAKE_K6_EXIT: '107' });
    expect(failed).toMatchObject({
      runDir: started[1],
      status: 'failed',
      reason: expect.stringContaining('K6_FAILED'),
    });
  });
});
