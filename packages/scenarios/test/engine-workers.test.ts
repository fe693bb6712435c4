import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResults, type TimeseriesRecord } from '@mlperf/core';
import { runTest, standardSuite } from '@mlperf/scenarios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { CorridorPicker } from '../src/engine/arrivals.js';
import { newHistogram, recordMs } from '../src/engine/histograms.js';
import { addHdrWire, hdrToWire } from '../src/engine/period-wire.js';
import { type StubHub, startStubHub } from './support/stub-hub.js';
import { suiteWith } from './support/suite.js';

let hub: StubHub | undefined;
let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'mlperf-workers-'));
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  rmSync(out, { recursive: true, force: true });
});

describe('the engine as worker threads', () => {
  it('keeps the arrivals and the corridor mix exact across 2 workers, in one results directory', async () => {
    hub = await startStubHub();
    const rate = 400;
    const r = await runTest({
      suite: suiteWith([{ kind: 'constant', rate, duration: '3s' }], { transfer: { expiration: '5s' } }),
      test: 'probe',
      target: { url: hub.url, adminUrl: hub.adminUrl },
      out,
      minFreeBytes: 0,
      engineWorkers: 2,
    });
    expect(r.status).toBe('completed');
    const t = r.totals;
    expect(t.offered).toBe(3 * rate);
    expect(t.started + t.dropped).toBe(t.offered);
    expect(t.unfinished).toBe(0);
    expect(t.succeeded + Object.values(t.failed).reduce((a, b) => a + b, 0)).toBe(t.started);
    // every prepare reached the stub, but those a starved machine lost on the connection
    expect(hub.prepares).toBeLessThanOrEqual(t.started);
    expect(hub.prepares).toBeGreaterThanOrEqual(t.started - (t.failed.connection ?? 0));
    const d = readResults(r.dir);
    expect(d.problems).toEqual([]);
    expect(d.manifest.executor.settings?.engineWorkers).toBe(2);
    const records = readFileSync(join(r.dir, 'timeseries.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TimeseriesRecord);
    expect(records.map((x) => x.s)).toEqual(records.map((_, i) => i));
    expect(records[0]?.engine?.workers).toBe(2);
    // The same corridor of the same arrival as one engine would pick: second by second, exactly.
    const corridors = standardSuite().corridors;
    const picker = new CorridorPicker(corridors);
    const names = corridors.map((c) => c.name ?? `${c.payer}->${c.payee}`);
    for (let s = 0; s < 3; s++) {
      const expected: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
      for (let k = 0; k < rate; k++) {
        const n = names[picker.next()] as string;
        expected[n] = (expected[n] ?? 0) + 1;
      }
      const rec = records[s] as TimeseriesRecord;
      expect(rec.offered, `second ${s}`).toBe(rate);
      const offered = Object.fromEntries(Object.entries(rec.corridors).map(([n, c]) => [n, c.offered]));
      expect(offered, `second ${s}`).toEqual(expected);
      // each second's outcomes are all there, merged from both workers
      expect(rec.succeeded + Object.values(rec.failed).reduce((a, b) => a + b, 0)).toBe(rec.started);
      expect(rec.latency.e2e?.count ?? 0).toBe(rec.succeeded);
    }
  }, 60_000);

  it('refuses several workers when the callbacks cannot be split (a fixed callback URL)', async () => {
    hub = await startStubHub();
    await expect(
      runTest({
        suite: suiteWith([{ kind: 'constant', rate: 10, duration: '1s' }]),
        test: 'probe',
        target: { url: hub.url, adminUrl: hub.adminUrl },
        out,
        minFreeBytes: 0,
        engineWorkers: 2,
        callback: { publicUrl: 'http://127.0.0.1:9' },
      }),
    ).rejects.toMatchObject({ code: 'ENGINE_WORKERS_CALLBACKS' });
  });
});

describe("a worker's histogram on its way to the coordinator", () => {
  it('merges exactly as HDR add does, across a structured clone and a resize', () => {
    const a = newHistogram();
    const b = newHistogram();
    for (let i = 0; i < 3000; i++) recordMs(a, (i % 997) * 0.05);
    recordMs(a, 90_000); // beyond the initial range: the receiving side resizes
    for (let i = 0; i < 500; i++) recordMs(b, 0.5 + (i % 13));
    const viaAdd = newHistogram();
    viaAdd.add(a);
    viaAdd.add(b);
    const viaWire = newHistogram();
    for (const h of [a, b]) {
      const w = hdrToWire(h);
      if (w) addHdrWire(viaWire, structuredClone(w));
    }
    expect(encodeIntoCompressedBase64(viaWire)).toBe(encodeIntoCompressedBase64(viaAdd));
    expect([viaWire.totalCount, viaWire.minNonZeroValue, viaWire.maxValue]).toEqual([
      viaAdd.totalCount,
      viaAdd.minNonZeroValue,
      viaAdd.maxValue,
    ]);
    expect(hdrToWire(newHistogram())).toBeUndefined();
  });
});
