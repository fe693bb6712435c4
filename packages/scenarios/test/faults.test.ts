import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMlperfError, readResults } from '@mlperf/core';
import { runTest } from '@mlperf/scenarios';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type StubHub, startStubHub } from './support/stub-hub.js';
import { suiteWith } from './support/suite.js';

let out: string;
let hub: StubHub | undefined;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'mlperf-faults-'));
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  rmSync(out, { recursive: true, force: true });
});

async function failure(
  p: Promise<unknown>,
): Promise<{ code: string; exitCode: number; message: string; hint?: string }> {
  try {
    await p;
  } catch (err) {
    if (isMlperfError(err))
      return {
        code: err.code,
        exitCode: err.exitCode,
        message: err.message,
        ...(err.hint ? { hint: err.hint } : {}),
      };
    throw err;
  }
  throw new Error('expected a failure');
}

const probe = suiteWith([{ kind: 'constant', rate: 50, duration: '1s' }]);

describe('bad input and faults fail before any load, clearly', () => {
  it('an unreachable target: exit 3, nothing written', async () => {
    const e = await failure(
      runTest({ suite: probe, test: 'probe', target: { url: 'http://127.0.0.1:1' }, out, minFreeBytes: 0 }),
    );
    expect(e.code).toBe('TARGET_UNREACHABLE');
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/--target http:\/\/127.0.0.1:1: ECONNREFUSED/);
    expect(readdirSync(out)).toEqual([]);
  });

  it('an unknown test, a bad threshold, an unwritable --out: exit 2', async () => {
    hub = await startStubHub();
    const target = { url: hub.url, adminUrl: hub.adminUrl };
    const unknown = await failure(runTest({ suite: probe, test: 'nope', target, out, minFreeBytes: 0 }));
    expect(unknown).toMatchObject({ code: 'TEST_UNKNOWN', exitCode: 2 });
    expect(unknown.hint).toMatch(/baseline-100tps, .*probe/);
    const badThreshold = suiteWith([{ kind: 'constant', rate: 50, duration: '1s' }], {
      thresholds: { transfer_duration: ['p95 < 300'] },
    });
    expect(
      await failure(runTest({ suite: badThreshold, test: 'probe', target, out, minFreeBytes: 0 })),
    ).toMatchObject({
      code: 'THRESHOLD_INVALID',
      exitCode: 2,
    });
    const file = join(out, 'a-file');
    writeFileSync(file, 'x');
    expect(
      await failure(runTest({ suite: probe, test: 'probe', target, out: file, minFreeBytes: 0 })),
    ).toMatchObject({
      code: 'RESULTS_UNWRITABLE',
      exitCode: 2,
    });
    expect(hub.prepares).toBe(0);
  });

  it('a target that dies mid-test: errors by type, the run goes on and keeps its results', async () => {
    hub = await startStubHub();
    const h = hub;
    const run = runTest({
      // Transfers the dying hub accepted but never finished end as timeouts: keep that wait short.
      suite: suiteWith([{ kind: 'constant', rate: 100, duration: '3s' }], { transfer: { expiration: '2s' } }),
      test: 'probe',
      target: { url: h.url, adminUrl: h.adminUrl },
      out,
      minFreeBytes: 0,
      timeoutGraceMs: 500,
    });
    // the hub dies once it has taken half a second of prepares, whenever the machine gets there
    await vi.waitFor(() => expect(h.prepares).toBeGreaterThanOrEqual(50), { timeout: 10_000, interval: 20 });
    await h.close();
    const r = await run;
    expect(r.status).toBe('completed');
    expect(r.totals.failed.connection).toBeGreaterThan(100);
    const failed = Object.values(r.totals.failed).reduce((a, b) => a + b, 0);
    expect(r.totals.succeeded + failed).toBe(r.totals.started);
    expect(r.exitCode).toBe(0);
    expect(readResults(r.dir).problems).toEqual([]);
  });

  it('with --abort-on-target-down it stops, status aborted, exit 3, results kept', async () => {
    hub = await startStubHub();
    const h = hub;
    const run = runTest({
      suite: suiteWith([{ kind: 'constant', rate: 100, duration: '20s' }]),
      test: 'probe',
      target: { url: h.url, adminUrl: h.adminUrl },
      out,
      minFreeBytes: 0,
      abortOnTargetDown: true,
    });
    await vi.waitFor(() => expect(h.prepares).toBeGreaterThanOrEqual(50), { timeout: 10_000, interval: 20 });
    await h.close();
    const r = await run;
    expect(r.status).toBe('aborted');
    expect(r.exitCode).toBe(3);
    expect(r.reason).toMatch(/target unreachable/);
    expect(r.totals.offered).toBeLessThan(1000);
    expect(readResults(r.dir).manifest.status).toBe('aborted');
  });
});

describe('the stress test stop rule and its recovery phase', () => {
  it('fires on the error rate, cuts the ramp, holds the recovery rate, and records the breaking point', async () => {
    hub = await startStubHub({ rejectEvery: { n: 4, status: 500 } });
    const r = await runTest({
      suite: suiteWith([{ kind: 'open-ramp', from: 100, stepPerMinute: 3000, maxDuration: '30s' }], {
        kind: 'stress',
        stopRule: { maxErrorRate: 0.1, window: '2s' },
        recovery: { rate: 40, duration: '2s' },
      }),
      test: 'probe',
      target: { url: hub.url, adminUrl: hub.adminUrl },
      out,
      minFreeBytes: 0,
    });
    expect(r.status).toBe('completed');
    expect(r.stop?.reason).toMatch(/^error rate \d+\.\d% over 2s > 10.0%$/);
    expect(r.stop?.atS).toBeLessThan(10);
    expect(r.stages.map((s) => s.name)).toEqual(['open ramp from 100 TPS +3000/min', 'recovery']);
    const [ramp, recovery] = r.stages;
    expect(ramp?.endS).toBeCloseTo(recovery?.startS ?? -1, 0);
    expect(recovery?.fromRate).toBe(40);
    const d = readResults(r.dir);
    expect(d.manifest.stopped?.rate).toBeGreaterThan(100);
    expect(d.manifest.statusReason).toMatch(/stop rule fired/);
    const recoverySeconds = d.timeseries.filter((x) => x.stage === recovery?.index && x.offered > 0);
    expect(recoverySeconds.length).toBeGreaterThanOrEqual(1);
    for (const s of recoverySeconds.slice(0, -1)) expect(s.offeredRate).toBe(40);
  });
});
