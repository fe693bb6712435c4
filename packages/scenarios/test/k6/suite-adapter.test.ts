import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub } from '@mlperf/hub';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveProfile } from '@mlperf/core';
import { findK6, k6ClusterNeed, k6SuiteRunTest, standardSuite } from '@mlperf/scenarios';

const k6 = findK6();
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('k6 executors for the suite orchestration', () => {
  it('size the cluster need of a suite by its biggest test (the stress test)', () => {
    expect(k6ClusterNeed(standardSuite())).toEqual({
      cpuCores: 50,
      memoryBytes: 25 * 1728 * 2 ** 20,
      source: 'stress-test: 25 k6 runners x 2000m CPU / 1728Mi',
    });
    expect(k6ClusterNeed(standardSuite(), { parallelism: 2 }).cpuCores).toBe(4);
  });

  it.skipIf(!k6)(
    `real k6${k6 ? '' : ' (skipped: no k6 binary; set MLPERF_K6)'}: runTest writes the results directory into the suite directory and reports it`,
    async () => {
      const hub = await startHub({ profile: 'healthy' });
      cleanups.push(() => hub.stop());
      const suiteDir = mkdtempSync(join(tmpdir(), 'mlperf-suite-k6-'));
      cleanups.push(() => rmSync(suiteDir, { recursive: true, force: true }));
      const suite = resolveProfile(standardSuite(), { profile: 'quick' });
      const started: string[] = [];
      const run = (k6Args: string[]) =>
        k6SuiteRunTest({
          kind: 'k6',
          options: { hubUrl: hub.url, adminUrl: hub.adminUrl, k6Args },
        })({
          suite,
          test: suite.tests[0]!,
          suiteDir,
          suiteRunId: 'suite-1',
          signal: new AbortController().signal,
          onStart: (d) => started.push(d),
        });
      const ok = await run([]);
      expect(ok).toEqual({ runDir: started[0], status: 'completed' });
      expect(ok.runDir.startsWith(suiteDir)).toBe(true);
      const failed = await run(['--no-such-k6-flag']);
      expect(failed).toMatchObject({
        runDir: started[1],
        status: 'failed',
        reason: expect.stringContaining('K6_FAILED'),
      });
    },
    120_000,
  );
});
