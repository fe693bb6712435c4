import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRun } from '@mlperf/analysis';
import { readResults } from '@mlperf/core';
import { type HubHandle, startHub } from '@mlperf/hub';
import { runTest, standardSuite } from '@mlperf/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const LIMITS = new Set(['generator-saturated', 'host-contention']);

let hub: HubHandle;
let out: string;
beforeAll(async () => {
  hub = await startHub({ isolation: 'process', profile: 'healthy' });
  out = mkdtempSync(join(tmpdir(), 'mlperf-hub-'));
});
afterAll(async () => {
  await hub?.stop();
  if (!process.env.KEEP) rmSync(out, { recursive: true, force: true });
});

describe('the quick target test against the embedded hub (own process)', () => {
  it('meets the Phase-07 plan criteria (success > 99.5%, p95 < 300 ms, p99 < 500 ms, achieved within 1% of 1000 TPS), or names the starved machine and judges nothing', {
    retry: 1,
    timeout: 150_000,
  }, async () => {
    await hub.reset();
    const r = await runTest({
      suite: standardSuite(),
      profile: 'quick',
      test: 'target-1000tps',
      target: { url: hub.url, adminUrl: hub.adminUrl, kind: 'embedded', hubProfile: 'healthy' },
      out,
      minFreeBytes: 0,
    });
    const d = readResults(r.dir);
    expect(d.problems).toEqual([]);
    expect(r.status).toBe('completed');
    // 30 s of 1000 TPS planned; every started transfer ends in one outcome.
    expect(r.totals.offered).toBe(30_000);
    expect(r.totals.unfinished).toBe(0);
    const failed = Object.values(r.totals.failed).reduce((a, b) => a + b, 0);
    expect(r.totals.succeeded + failed).toBe(r.totals.started);
    // judged by the one criteria engine, on the steady state, as `mlperf run` and `mlperf analyze` do
    const a = analyzeRun(r.dir, { write: false });
    const limit = a.findings.find((f) => LIMITS.has(f.kind));
    if (limit) {
      // A starved machine (the generator fell behind, or other processes took the host) says nothing
      // about the hub: the analyzer names that limit first and does not pass or fail the hub.
      console.warn(
        `load ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs: ${limit.title}; the hub is not judged`,
      );
      expect(a.findings[0]?.kind).toBe(limit.kind);
      expect(a.verdict).toBe('inconclusive');
      return;
    }
    const detail = a.criteria.map((c) => `${c.id}: ${c.status} ${c.detail}`).join('\n');
    const by = (id: string) => a.criteria.filter((c) => c.id.startsWith(id));
    expect(by('success-rate')[0]?.status, detail).toBe('pass');
    for (const c of by('latency')) expect(c.status, detail).toBe('pass');
    const achieved = by('achieved-rate')[0]?.value ?? 0;
    expect(Math.abs(achieved / 1000 - 1), detail).toBeLessThan(0.01);
  });
});
