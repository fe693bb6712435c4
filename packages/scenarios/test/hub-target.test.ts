import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResults } from '@mlperf/core';
import { type HubHandle, startHub } from '@mlperf/hub';
import { runTest, standardSuite } from '@mlperf/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
  it('meets the seed criteria: success > 99.5%, p95 < 300 ms, p99 < 500 ms, ~1000 TPS achieved', async () => {
    await hub.reset();
    const r = await runTest({
      suite: standardSuite(),
      profile: 'quick',
      test: 'target-1000tps',
      target: { url: hub.url, adminUrl: hub.adminUrl, kind: 'embedded', hubProfile: 'healthy' },
      out,
      minFreeBytes: 0,
    });
    const by = (kind: string) => r.criteria.find((c) => c.criterion.kind === kind && c.status !== 'skipped');
    const d = readResults(r.dir);
    expect(d.problems).toEqual([]);
    expect(r.status).toBe('completed');
    // 30 s of 1000 TPS planned; everything started ends.
    expect(r.totals.offered).toBe(30_000);
    expect(r.totals.unfinished).toBe(0);
    const detail = r.criteria.map((c) => `${c.criterion.kind}: ${c.status} ${c.detail}`).join('\n');
    expect(by('success-rate')?.status, detail).toBe('passed');
    expect(by('achieved-rate')?.status, detail).toBe('passed');
    for (const c of r.criteria.filter((x) => x.criterion.kind === 'latency'))
      expect(c.status, detail).toBe('passed');
    const achieved = (by('achieved-rate')?.actual ?? 0) as number;
    expect(Math.abs(achieved - 1)).toBeLessThan(0.01);
  }, 120_000);
});
