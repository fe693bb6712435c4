import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINE_METRICS, readResults, type TimeseriesRecord } from '@mlperf/core';
import { runTest } from '@mlperf/scenarios';
import type { Histogram } from 'hdr-histogram-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newHistogram } from '../src/engine/histograms.js';
import { type StubHub, type StubHubOptions, startStubHub } from './support/stub-hub.js';
import { suiteWith } from './support/suite.js';
import { decodeSnapshot } from '../src/engine/histograms.js';

const here = dirname(fileURLToPath(import.meta.url));
let hub: StubHub | undefined;
let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'mlperf-engine-'));
});
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  rmSync(out, { recursive: true, force: true });
});

async function stub(options: StubHubOptions = {}): Promise<StubHub> {
  hub = await startStubHub(options);
  return hub;
}

function merged(records: TimeseriesRecord[], pick: (r: TimeseriesRecord) => string | undefined): Histogram {
  const h = newHistogram();
  for (const r of records) {
    const hdr = pick(r);
    if (hdr) h.add(decodeSnapshot(hdr));
  }
  return h;
}

describe('the open-model engine over real HTTP', () => {
  it('offers exactly the planned arrivals, second by second, and accounts for every transfer', async () => {
    const h = await stub();
    const r = await runTest({
      suite: suiteWith([{ kind: 'constant', rate: 300, duration: '3s' }]),
      test: 'probe',
      target: { url: h.url, adminUrl: h.adminUrl },
      out,
      minFreeBytes: 0,
    });
    expect(r.status).toBe('completed');
    // A starved machine may drop a late arrival (counted); everything started succeeds.
    expect(r.totals).toMatchObject({ offered: 900, unfinished: 0 });
    expect(r.totals.started + r.totals.dropped).toBe(900);
    expect(r.totals.succeeded).toBe(r.totals.started);
    expect(h.prepares).toBe(r.totals.started);
    const d = readResults(r.dir);
    // Drops beyond 10% only on a starved host, and then the records carry the evidence the
    // analyzer names the generator or the host with (late schedule or a busy host), never silent.
    if (r.totals.dropped >= 90) {
      const starved = d.timeseries.some(
        (x) => (x.engine?.schedulingLagP99Ms ?? 0) >= 100 || (x.host?.busy ?? 0) >= 0.9,
      );
      expect(starved, JSON.stringify(d.timeseries.map((x) => [x.engine, x.host]))).toBe(true);
    }
    expect(d.problems).toEqual([]);
    const full = d.timeseries.filter((x) => x.s < 3);
    // Arrivals are counted in the second the plan puts them in.
    expect(full.map((x) => x.offered)).toEqual([300, 300, 300]);
    expect(full.map((x) => x.offeredRate)).toEqual([300, 300, 300]);
    const k6 = d.k6Summary as { metrics: Record<string, Record<string, number>> };
    expect(k6.metrics.iterations?.count).toBe(r.totals.started);
    expect(k6.metrics.dropped_iterations?.count).toBe(r.totals.dropped);
    expect(k6.metrics.transfer_success?.value).toBe(1);
    expect(k6.metrics.http_reqs?.count).toBe(2 * r.totals.started); // prepares + payee fulfils
    expect(d.manifest.status).toBe('completed');
    expect(d.manifest.totals?.succeeded).toBe(r.totals.succeeded);
    expect(Object.keys(k6.metrics)).toContain('transfer_duration{stage:constant 300 TPS}');
    expect(Object.keys(k6.metrics)).toContain('transfer_duration{corridor:perffsp-1->perffsp-5}');
    // The same shape as a real k6 --summary-export (the repo's copy of the real k6 v0.45 output).
    const fixture = JSON.parse(
      readFileSync(join(here, '../../../fixtures/k6/summary-export.json'), 'utf8'),
    ) as {
      metrics: Record<string, Record<string, unknown>>;
      root_group: Record<string, unknown>;
    };
    const shape = (m: Record<string, unknown> | undefined) =>
      Object.keys(m ?? {})
        .filter((k) => k !== 'thresholds')
        .sort();
    for (const name of [
      'iterations',
      'http_reqs',
      'http_req_failed',
      'http_req_duration',
      'iteration_duration',
      'checks',
      'vus',
      'vus_max',
    ])
      expect(shape(k6.metrics[name]), name).toEqual(shape(fixture.metrics[name]));
    expect(Object.keys(d.k6Summary as object).sort()).toEqual(Object.keys(fixture).sort());
  });

  it('keeps the corridor mix within 1% of 40/25/20/15 over 10,000 transfers', async () => {
    const h = await stub();
    const r = await runTest({
      suite: suiteWith([{ kind: 'constant', rate: 2000, duration: '5s' }], {
        transfer: { expiration: '2s' },
      }),
      test: 'probe',
      target: { url: h.url, adminUrl: h.adminUrl },
      out,
      minFreeBytes: 0,
      timeoutGraceMs: 500,
    });
    // The mix is decided per arrival, so it holds whatever a busy machine does to the outcomes.
    expect(r.totals.offered).toBe(10_000);
    expect(r.totals.started + r.totals.dropped).toBe(10_000);
    const d = readResults(r.dir);
    const started: Record<string, number> = {};
    for (const rec of d.timeseries)
      for (const [name, c] of Object.entries(rec.corridors)) started[name] = (started[name] ?? 0) + c.offered;
    const share = (n: string) => (started[n] ?? 0) / 10_000;
    expect(Math.abs(share('perffsp-1->perffsp-5') - 0.4)).toBeLessThan(0.01);
    expect(Math.abs(share('perffsp-2->perffsp-6') - 0.25)).toBeLessThan(0.01);
    expect(Math.abs(share('perffsp-3->perffsp-7') - 0.2)).toBeLessThan(0.01);
    expect(Math.abs(share('perffsp-4->perffsp-8') - 0.15)).toBeLessThan(0.01);
    expect(
      r.totals.succeeded + Object.values(r.totals.failed).reduce((a, b) => a + b, 0) + r.totals.unfinished,
    ).toBe(r.totals.started);
  }, 60_000);

  it('charges a hub stall to every arrival behind it (intended start) but not to the service time', async () => {
    const h = await stub();
    const stallMs = 1000;
    const r = await runTest({
      suite: suiteWith([{ kind: 'constant', rate: 200, duration: '3s' }]),
      test: 'probe',
      target: { url: h.url, adminUrl: h.adminUrl },
      out,
      minFreeBytes: 0,
      maxSockets: 2,
      onSecond: (live) => {
        if (live.record.s === 0) h.stall(stallMs);
      },
    });
    expect(r.totals.succeeded).toBe(600);
    const d = readResults(r.dir);
    const e2e = merged(d.timeseries, (x) => x.latency.e2e?.hdr);
    const service = merged(d.timeseries, (x) => x.latency.service?.hdr);
    const dispatch = merged(d.timeseries, (x) => x.latency.dispatch?.hdr);
    // ~200 arrivals queued behind the stall: their latency from the intended start spans 0..1000 ms.
    expect(e2e.maxValue / 1000).toBeGreaterThan(stallMs * 0.8);
    expect(e2e.getValueAtPercentile(90) / 1000).toBeGreaterThan(stallMs * 0.4);
    expect(dispatch.getValueAtPercentile(90) / 1000).toBeGreaterThan(stallMs * 0.3);
    // Only the requests that were on the two sockets waited the stall out after their send.
    expect(service.getValueAtPercentile(90) / 1000).toBeLessThan(stallMs * 0.3);
    expect(e2e.getValueAtPercentile(90)).toBeGreaterThan(service.getValueAtPercentile(90) * 2);
    const k6 = d.k6Summary as { metrics: Record<string, Record<string, number>> };
    expect(k6.metrics.transfer_duration?.['p(90)']).toBeGreaterThan(
      (k6.metrics.transfer_service_duration?.['p(90)'] ?? 0) * 3,
    );
  });

  it('ends every started transfer in exactly one outcome, by error type', async () => {
    const h = await stub({
      rejectEvery: { n: 7, status: 503 },
      errorCallbackEvery: { n: 11, code: '4001' },
      swallowEvery: 13,
      resetEvery: 17,
      badFulfilmentEvery: 19,
    });
    const r = await runTest({
      suite: suiteWith([{ kind: 'constant', rate: 200, duration: '2s' }], {
        transfer: { expiration: '2s', payeeRejectRatio: 0.05 },
      }),
      test: 'probe',
      target: { url: h.url, adminUrl: h.adminUrl },
      out,
      minFreeBytes: 0,
      timeoutGraceMs: 1000,
    });
    const t = r.totals;
    const failed = Object.values(t.failed).reduce((a, b) => a + b, 0);
    expect(t.offered).toBe(400);
    expect(t.started + t.dropped).toBe(t.offered);
    expect(t.succeeded + failed + t.unfinished).toBe(t.started);
    expect(t.unfinished).toBe(0);
    // Which prepare gets which fault depends on arrival order (a busy machine reorders and
    // drops), so the stub counts what it injected. Each injected fault ends as one outcome of its
    // type, or as a timeout when the engine's patience ran out first (a starved machine); never both.
    const inj = h.injected;
    const rec = (k: string) => t.failed[k] ?? 0;
    const injectedAnswers = [
      ['http:503', inj.reject],
      ['connection', inj.reset],
      ['fspiop:4001', inj.errorCallback],
      ['fspiop:bad-fulfilment', inj.badFulfilment],
    ] as const;
    let answeredLate = 0;
    for (const [type, n] of injectedAnswers) {
      expect(n, type).toBeGreaterThan(0);
      expect(rec(type), type).toBeGreaterThan(0);
      expect(rec(type), type).toBeLessThanOrEqual(n);
      answeredLate += n - rec(type);
    }
    expect(inj.swallow).toBeGreaterThan(0);
    expect(rec('fspiop:5105')).toBeGreaterThan(0);
    // Forwarded prepares end COMMITTED, rejected by the payee role (5105), or late.
    const forwardedLate = inj.forwarded - t.succeeded - rec('fspiop:5105');
    expect(forwardedLate).toBeGreaterThanOrEqual(0);
    // Prepares the stub never received (still queued for a socket when they timed out).
    const neverReceived = t.started - h.prepares;
    expect(neverReceived).toBeGreaterThanOrEqual(0);
    expect(rec('timeout')).toBe(inj.swallow + neverReceived + answeredLate + forwardedLate);
    const d = readResults(r.dir);
    const fromSeconds: Record<string, number> = {};
    for (const rec of d.timeseries)
      for (const [k, v] of Object.entries(rec.failed)) fromSeconds[k] = (fromSeconds[k] ?? 0) + v;
    expect(fromSeconds).toEqual(t.failed);
    const k6 = d.k6Summary as { metrics: Record<string, Record<string, number>> };
    expect(k6.metrics.transfer_success?.fails).toBe(failed);
  });

  it('takes the switch copy of a COMMITTED to the payee, sent after the payer had it, as expected (no unknown transfer)', async () => {
    const h = await stub({ copyToPayee: true });
    // each DFSP is payer in one corridor and payee in the other: the copy reaches a payer's server
    const corridors = [
      { payer: 'perffsp-1', payee: 'perffsp-5', weight: 0.5 },
      { payer: 'perffsp-5', payee: 'perffsp-1', weight: 0.5 },
    ];
    const r = await runTest({
      suite: suiteWith([{ kind: 'constant', rate: 50, duration: '2s' }], { corridors }),
      test: 'probe',
      target: { url: h.url, adminUrl: h.adminUrl },
      out,
      minFreeBytes: 0,
    });
    expect(r.totals.unfinished).toBe(0);
    expect(r.totals.succeeded).toBe(r.totals.started);
    // each copy went out once the payer's callback was answered; the last ones may find the run
    // over (its server closed), every one that arrived was taken with a 200
    expect(h.copies.length).toBeGreaterThan(r.totals.succeeded / 2);
    expect(h.copies.every((status) => status === 200)).toBe(true);
    const k6 = readResults(r.dir).k6Summary as { metrics: Record<string, Record<string, number>> };
    expect(k6.metrics.callbacks_unknown_transfer?.count ?? 0).toBe(0);
    expect(readFileSync(join(r.dir, 'logs', 'engine.log'), 'utf8')).toContain('0 unknown transfer');
  });

  it('counts arrivals beyond the in-flight cap as dropped', async () => {
    const h = await stub({ swallowEvery: 1 });
    const r = await runTest({
      suite: suiteWith([{ kind: 'constant', rate: 100, duration: '2s' }], { transfer: { expiration: '1s' } }),
      test: 'probe',
      target: { url: h.url, adminUrl: h.adminUrl },
      out,
      minFreeBytes: 0,
      maxInFlight: 20,
      timeoutGraceMs: 200,
    });
    expect(r.totals.offered).toBe(200);
    expect(r.totals.dropped).toBeGreaterThan(100);
    expect(r.totals.started + r.totals.dropped).toBe(200);
    expect(r.totals.failed.timeout).toBe(r.totals.started);
    const k6 = readResults(r.dir).k6Summary as { metrics: Record<string, Record<string, number>> };
    expect(k6.metrics.dropped_iterations?.count).toBe(r.totals.dropped);
  });

  it('counts and logs bad, unknown and foreign callbacks without stopping', async () => {
    const h = await stub();
    let callbackUrl = '';
    let metrics = '';
    const r = await runTest({
      suite: suiteWith([{ kind: 'constant', rate: 50, duration: '2s' }]),
      test: 'probe',
      target: { url: h.url, adminUrl: h.adminUrl },
      out,
      minFreeBytes: 0,
      onStart: (i) => {
        callbackUrl = i.callbackUrl;
      },
      onSecond: async (live) => {
        if (live.record.s !== 0) return;
        const put = (path: string, body: string) =>
          fetch(`${callbackUrl}${path}`, {
            method: 'PUT',
            body,
            headers: { 'content-type': 'application/json' },
          }).then((x) => x.status);
        expect(await put('/perffsp-1/transfers/not-a-transfer', '{"transferState":"COMMITTED"}')).toBe(200);
        expect(await put('/perffsp-1/transfers/x', '{not json')).toBe(400);
        expect(await put('/perffsp-1/transfers/x/error', '][')).toBe(400);
        metrics = await fetch(`${callbackUrl}/metrics`).then((x) => x.text());
      },
    });
    expect(r.status).toBe('completed');
    expect(r.totals.succeeded).toBe(100);
    const d = readResults(r.dir);
    const k6 = d.k6Summary as { metrics: Record<string, Record<string, number>> };
    expect(k6.metrics.callbacks_invalid?.count).toBe(2);
    expect(k6.metrics.callbacks_unknown_transfer?.count).toBe(1);
    expect(d.logs).toContain('engine.log');
    // The engine's /metrics serves every ENGINE_METRICS name (Prometheus text format).
    for (const name of Object.values(ENGINE_METRICS))
      expect(metrics).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    expect(metrics).toMatch(/^mlperf_iterations_total\{corridor="perffsp-1->perffsp-5"\} \d+/m);
  });

  it('counts an outcome that reaches the payer after the engine stopped waiting as late, not unknown', async () => {
    // every 5th transfer is forwarded 1.5 s late: past its 1 s expiration + 0.2 s grace, before the run ends
    const h = await stub({ lateEvery: { n: 5, delayMs: 1500 } });
    const r = await runTest({
      suite: suiteWith([{ kind: 'constant', rate: 20, duration: '4s' }], { transfer: { expiration: '1s' } }),
      test: 'probe',
      target: { url: h.url, adminUrl: h.adminUrl },
      out,
      minFreeBytes: 0,
      timeoutGraceMs: 200,
      lookupWaitMs: 0,
    });
    // (on a starved machine an on-time transfer may time out too)
    const timeouts = r.totals.failed.timeout ?? 0;
    expect(timeouts).toBeGreaterThanOrEqual(h.injected.late);
    const k6 = readResults(r.dir).k6Summary as { metrics: Record<string, Record<string, number>> };
    // the late outcomes of the last second arrive after the run ended: the earlier ones are counted
    expect(k6.metrics.callbacks_late?.count).toBeGreaterThan(0);
    expect(k6.metrics.callbacks_late?.count).toBeLessThanOrEqual(timeouts);
    expect(k6.metrics.callbacks_unknown_transfer?.count).toBe(0);
  });
});
