import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readResults, type TimeseriesRecord } from '@mlperf/core';
import { type HubHandle, startHub } from '@mlperf/hub';
import { cleanTemp, tempDir } from '@mlperf/testkit/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbeTest, suiteWith } from './support/suite.js';

let hub: HubHandle;
let out: string;
beforeAll(async () => {
  // one commit in ten: the hub commits the transfer but never sends the payer its fulfil notification
  hub = await startHub({ knobs: { faults: { lostCallbackRatio: 0.1 } } });
  out = tempDir('lookup');
});
afterAll(async () => {
  await hub?.stop();
  cleanTemp();
});

const suite = suiteWith([{ kind: 'constant', rate: 50, duration: '2s' }], { transfer: { expiration: '2s' } });

/** A run, with the callbacks the hub lost and the transfers it committed meanwhile. */
async function run(lookupWaitMs: number) {
  const before = await hub.ledger();
  const r = await runProbeTest(hub, suite, out, { timeoutGraceMs: 500, lookupWaitMs });
  const after = await hub.ledger();
  const lost = after.lostCallbacks - before.lostCallbacks;
  return { r, lost, committed: after.committed - before.committed };
}

describe('a transfer with no callback at its timeout is looked up first (GET /transfers/{id})', () => {
  it('counts the lost-callback transfers the hub committed as successes, at their commit time', async () => {
    const { r, lost, committed } = await run(3000);
    expect(lost).toBeGreaterThan(0);
    expect(committed).toBe(r.totals.started);
    expect(r.totals.succeeded).toBe(r.totals.started);
    expect(r.totals.failed).toEqual({});
    expect(r.totals.lookups).toEqual({ sent: lost, committed: lost, failed: 0, timedOut: 0, skipped: 0 });
    const d = readResults(r.dir);
    expect(d.problems).toEqual([]);
    expect(d.manifest.totals?.lookups?.committed).toBe(lost);
    // the looked-up transfers' latency is the hub's commit time, not the 2.5 s timeout plus the lookup
    const records = readFileSync(join(r.dir, 'timeseries.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TimeseriesRecord);
    for (const rec of records) expect(rec.latency.e2e?.count ?? 0).toBe(rec.succeeded);
    const maxE2e = Math.max(...records.map((x) => x.latency.e2e?.max ?? 0));
    expect(maxE2e).toBeLessThan(2500);
    const log = readFileSync(join(r.dir, 'logs', 'engine.log'), 'utf8');
    expect(log).toContain(`lookups: ${lost} transfers looked up at their timeout`);
  }, 60_000);

  it('without the lookup the same lost callbacks are timeouts (the control)', async () => {
    const { r, lost } = await run(0);
    expect(lost).toBeGreaterThan(0);
    expect(r.totals.failed).toEqual({ timeout: lost });
    expect(r.totals.succeeded).toBe(r.totals.started - lost);
    expect(r.totals.lookups?.sent).toBe(0);
  }, 60_000);

  it('a prepare the ledger does not hold yet (3208) is asked about again, and commits', async () => {
    // the prepare handler holds each message 800 ms; the engine's timeout is 300 ms after the send
    await using slow = await startHub({ knobs: { faults: { latencyMs: 800, latencyStage: 'prepare' } } });
    const slowSuite = suiteWith([{ kind: 'constant', rate: 20, duration: '1s' }], {
      transfer: { expiration: '10s' },
    });
    const r = await runProbeTest(slow, slowSuite, out, { timeoutGraceMs: -9_700, lookupWaitMs: 4000 });
    expect(r.totals.failed).toEqual({});
    expect(r.totals.succeeded).toBe(r.totals.started);
    expect(r.totals.lookups).toMatchObject({ sent: r.totals.started, committed: r.totals.started });
    const log = readFileSync(join(r.dir, 'logs', 'engine.log'), 'utf8');
    expect(log).not.toContain('fspiop:3208');
  }, 60_000);
});
