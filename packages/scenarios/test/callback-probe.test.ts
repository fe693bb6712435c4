import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, isMlperfError } from '@mlperf/core';
import { type HubHandle, startHub } from '@mlperf/hub';
import { HubAdmin } from '@mlperf/scenarios';
import { cleanTemp, tempDir } from '@mlperf/testkit/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbeTest, suiteWith } from './support/suite.js';

let hub: HubHandle;
let out: string;
beforeAll(async () => {
  hub = await startHub();
  out = tempDir('probe');
});
afterAll(async () => {
  await hub?.stop();
  cleanTemp();
});

const suite = suiteWith([{ kind: 'constant', rate: 5, duration: '1s' }]);

describe('the callback probe before load (hub treated as a real one)', () => {
  it('proves the hub calls this process, then runs on the same port; the rejected probe moves no position', async () => {
    const admin = new HubAdmin(hub.adminUrl);
    const before = await admin.positions(suite.dfsps);
    const r = await runProbeTest(hub, suite, out);
    expect(r.totals.succeeded).toBe(r.totals.started);
    const log = readFileSync(join(r.dir, 'logs', 'engine.log'), 'utf8');
    const port = /callbacks at http:\/\/127\.0\.0\.1:(\d+)/.exec(log)?.[1];
    expect(log).toMatch(
      new RegExp(`callback probe: the hub called http://127\\.0\\.0\\.1:${port} after \\d+ ms`),
    );
    const after = await admin.positions(suite.dfsps);
    const moved = after.reduce((a, p, i) => a + Math.abs(p.position - (before[i]?.position ?? 0)), 0);
    // only the committed transfers moved positions (each moves payer and payee by its amount)
    expect(moved).toBeCloseTo(2 * r.totals.succeeded * Number(suite.transfer.amount), 6);
  });

  it('stops with exit 3 and the reason when the hub calls another address', async () => {
    const dfsps = [...new Set(suite.corridors.flatMap((c) => [c.payer, c.payee]))];
    // endpoints of a process that is gone (port 9 discards): the hub calls there, not here
    await new HubAdmin(hub.adminUrl).registerCallbacks(dfsps, (d) => `http://127.0.0.1:9/${d}`);
    const err = await runProbeTest(hub, suite, out, { registerEndpoints: false }).catch((e: unknown) => e);
    expect(isMlperfError(err)).toBe(true);
    if (!isMlperfError(err)) return;
    expect(err.code).toBe('CALLBACKS_NOT_RECEIVED');
    expect(err.exitCode).toBe(ExitCode.unavailable);
    expect(err.message).toMatch(/the hub did not call http:\/\/127\.0\.0\.1:\d+ with probe transfer/);
  });
});
