import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResults } from '@mlperf/core';
import { runTest } from '@mlperf/scenarios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type StubHub, startStubHub } from './support/stub-hub.js';
import { suiteWith } from './support/suite.js';

let hub: StubHub;
let out: string;
beforeEach(async () => {
  hub = await startStubHub();
  out = mkdtempSync(join(tmpdir(), 'mlperf-engine-'));
});
afterEach(async () => {
  await hub.close();
  rmSync(out, { recursive: true, force: true });
});

describe('runTest against a stub hub', () => {
  it('runs a constant stage and writes a readable results directory', async () => {
    const r = await runTest({
      suite: suiteWith([{ kind: 'constant', rate: 200, duration: '2s' }]),
      test: 'probe',
      target: { url: hub.url, adminUrl: hub.adminUrl },
      out,
      minFreeBytes: 0,
    });
    expect(r.status).toBe('completed');
    expect(r.totals.offered).toBe(400);
    expect(r.totals.succeeded).toBe(400);
    const d = readResults(r.dir);
    expect(d.problems).toEqual([]);
    expect(d.timeseries.length).toBeGreaterThanOrEqual(2);
  });
});
