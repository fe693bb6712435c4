import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResults, type TimeseriesRecord } from '@mlperf/core';
import { runTest } from '@mlperf/scenarios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type StubHub, startStubHub } from './support/stub-hub.js';
import { suiteWith } from './support/suite.js';

let hub: StubHub | undefined;
let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'mlperf-attribution-'));
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  rmSync(out, { recursive: true, force: true });
});

const failedOf = (r: TimeseriesRecord) => Object.values(r.failed).reduce((a, b) => a + b, 0);

describe('transfers are counted in the second of their intended start', () => {
  it('puts late outcomes (timeouts, a stalled hub) in the second the transfer started', async () => {
    hub = await startStubHub({ swallowEvery: 25 });
    const h = hub;
    const r = await runTest({
      suite: suiteWith([{ kind: 'constant', rate: 100, duration: '3s' }], { transfer: { expiration: '4s' } }),
      test: 'probe',
      target: { url: h.url, adminUrl: h.adminUrl },
      out,
      minFreeBytes: 0,
      timeoutGraceMs: 500,
      // a stall from 1.2 s to 2.0 s: outcomes of second 1's later transfers arrive in second 2
      onStart: () => {
        setTimeout(() => h.stall(800), 1200);
      },
    });
    expect(r.status).toBe('completed');
    expect(r.totals.unfinished).toBe(0);
    const d = readResults(r.dir);
    expect(d.problems).toEqual([]);
    expect(d.manifest.attribution).toBe('intended-start');
    const lines = readFileSync(join(r.dir, 'timeseries.ndjson'), 'utf8').trim().split('\n');
    const records = lines.map((l) => JSON.parse(l) as TimeseriesRecord);
    // appended in order, one line per second, never rewritten
    expect(records.map((x) => x.s)).toEqual(records.map((_, i) => i));
    // every second's started transfers have their outcome in that same second's record
    for (const rec of records) expect(rec.succeeded + failedOf(rec), `second ${rec.s}`).toBe(rec.started);
    expect(records.slice(0, 3).map((x) => x.offered)).toEqual([100, 100, 100]);
    // the swallowed prepares time out 4.5 s after they start, yet count where they started
    const timeouts = records.map((x) => x.failed.timeout ?? 0);
    expect(timeouts.reduce((a, b) => a + b, 0)).toBe(r.totals.failed.timeout);
    expect(r.totals.failed.timeout).toBeGreaterThan(0);
    expect(timeouts.slice(3).every((n) => n === 0)).toBe(true);
    // latency histograms count exactly the second's successes
    for (const rec of records) expect(rec.latency.e2e?.count ?? 0).toBe(rec.succeeded);
    // the stall shows in the e2e latency of second 1 (its own transfers), though it ended in second 2
    expect(records[1]?.latency.e2e?.max ?? 0).toBeGreaterThan(400);
  }, 60_000);
});
