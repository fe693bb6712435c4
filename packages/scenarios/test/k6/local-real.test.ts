import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HubHandle, startHub } from '@mlperf/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults, resolveProfile } from '@mlperf/core';
import { findK6, runTestWithK6, standardSuite } from '@mlperf/scenarios';

const k6 = findK6();
const title = k6
  ? `runs the baseline with the real k6 (${k6}) against the embedded hub and the DFSP simulator`
  : 'runs the baseline with the real k6 against the embedded hub (skipped: no k6 binary on PATH or MLPERF_K6)';

describe.skipIf(!k6)('local k6 executor with a real k6 binary', () => {
  let hub: HubHandle;
  let out: string;
  beforeAll(async () => {
    hub = await startHub({ profile: 'healthy' });
    out = mkdtempSync(join(tmpdir(), 'mlperf-k6-real-'));
  });
  afterAll(async () => {
    await hub?.stop();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it(title, async () => {
    // 100 TPS for 5 s (the quick profile), every transfer through ml-api-adapter and the simulator.
    const suite = resolveProfile(standardSuite(), { profile: 'quick' });
    const r = await runTestWithK6({
      suite,
      testId: 'baseline-100tps',
      outDir: out,
      hubUrl: hub.url,
      adminUrl: hub.adminUrl,
    });
    const d = readResults(r.dir);
    expect(r.status).toBe('completed');
    expect(d.manifest.totals?.succeeded).toBeGreaterThan(400);
    expect(d.manifest.totals?.failed).toEqual({});
    expect(d.timeseries.length).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
