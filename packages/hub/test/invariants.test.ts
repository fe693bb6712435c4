import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubHandle, startHub } from '@mlperf/hub';
import { FspiopDriver, type Outcome, type PayeeBehaviour } from './support/fspiop-driver.js';

const DFSPS = Array.from({ length: 8 }, (_, i) => `perffsp-${i + 1}`);

describe('ledger invariants after concurrent load with injected faults', () => {
  let hub: HubHandle;
  let driver: FspiopDriver;
  const logs: string[] = [];
  beforeAll(async () => {
    hub = await startHub({
      log: (l) => logs.push(l),
      knobs: {
        faults: {
          errorRate: 0.05,
          latencyJitterMs: 20,
          latencyRatio: 0.2,
          stall: { service: 'central-ledger', everyMs: 1000, forMs: 150 },
          crash: { service: 'ml-api-adapter', everyMs: 500, forMs: 150 },
        },
        callbacks: { retries: 1, retryDelayMs: 10 },
      },
    });
    driver = new FspiopDriver(hub.url, hub.adminUrl);
    await driver.start(DFSPS);
    // perffsp-8's callback endpoint is down: prepares to it cannot be delivered and must expire.
    for (const type of [
      'FSPIOP_CALLBACK_URL_TRANSFER_POST',
      'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
      'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
    ]) {
      await driver.request(
        hub.adminUrl,
        'POST',
        '/participants/perffsp-8/endpoints',
        {},
        JSON.stringify({ type, value: 'http://127.0.0.1:9/down' }),
      );
    }
    // perffsp-4 gets a small net debit cap, so some of its prepares fail with 4200.
    const limit = { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 40, alarmPercentage: 10 } };
    expect(
      (await driver.request(hub.adminUrl, 'PUT', '/participants/perffsp-4/limits', {}, JSON.stringify(limit)))
        .status,
    ).toBe(200);
    driver.record = true;
  });
  afterAll(async () => {
    await driver?.stop();
    await hub?.stop();
  });

  it('conserves positions and ends every transfer in exactly one final state', async () => {
    const behaviours: PayeeBehaviour[] = [
      'fulfil',
      'fulfil',
      'fulfil',
      'fulfil',
      'reserved',
      'reject',
      'wrong-fulfilment',
      'ignore',
    ];
    const payees = ['perffsp-5', 'perffsp-6', 'perffsp-7', 'perffsp-8'];
    const jobs: Promise<Outcome & { payer: string; payee: string; amount: number }>[] = [];
    for (let i = 0; i < 400; i++) {
      const payer = `perffsp-${(i % 4) + 1}`;
      const payee = payees[Math.floor(i / 8) % 4]!;
      const amount = (i % 9) + 1;
      const behaviour = behaviours[i % behaviours.length]!;
      // Transfers that must expire do so soon; the others get time to finish on a loaded machine.
      const expiresInMs = payee === 'perffsp-8' || behaviour === 'ignore' ? 2500 : 10_000;
      jobs.push(
        driver
          .transfer(payer, payee, String(amount), behaviour, expiresInMs)
          .then((o) => ({ ...o, payer, payee, amount })),
      );
      // Arrivals spread over about a second, so the stall and crash windows fall inside the load.
      if (i % 40 === 39) await delay(100);
    }
    const outcomes = await Promise.all(jobs);
    await expect.poll(async () => (await hub.ledger()).inFlight, { timeout: 30_000 }).toBe(0);
    const l = await hub.ledger();

    expect(l.doubleFinalizations).toBe(0);
    expect(l.committed + l.aborted).toBe(l.prepared);
    expect(l.netPositionSum).toBe(0);
    expect(l.participants.every((p) => p.reserved === 0)).toBe(true);

    // Every recorded transfer: the payer heard exactly one final state.
    const finals = new Map<string, number>();
    for (const c of driver.callbacks) {
      const id = c.path.split('/')[3] ?? '';
      const isFinalToPayer =
        c.method === 'PUT' && outcomes.some((o) => o.transferId === id && o.payer === c.dfsp);
      if (isFinalToPayer) finals.set(id, (finals.get(id) ?? 0) + 1);
    }
    const heard = outcomes.filter((o) => o.state !== 'HTTP_ERROR');
    expect(heard.length).toBe(l.prepared);
    expect(heard.every((o) => finals.get(o.transferId) === 1)).toBe(true);

    // Positions follow the committed transfers the payers were told about.
    const expected = new Map<string, number>();
    for (const o of outcomes.filter((x) => x.state === 'COMMITTED')) {
      expected.set(o.payer, (expected.get(o.payer) ?? 0) + o.amount);
      expected.set(o.payee, (expected.get(o.payee) ?? 0) - o.amount);
    }
    for (const p of l.participants) expect([p.name, p.position]).toEqual([p.name, expected.get(p.name) ?? 0]);

    // The faults all happened.
    const codes = l.abortedByCode;
    expect(Object.keys(codes).sort()).toEqual(
      expect.arrayContaining(['2001', '3100', '3303', '4200', '5105']),
    );
    expect(outcomes.some((o) => o.state === 'HTTP_ERROR' && o.httpStatus === 503)).toBe(true);
    expect(l.failedCallbacks).toBeGreaterThan(0);
    expect(logs.some((x) => x.includes('perffsp-8') && x.includes('failed'))).toBe(true);
    const metrics = await (await fetch(hub.metricsUrl)).text();
    expect(metrics).toMatch(
      /moja_ml_callbacks_total\{dfsp="perffsp-8",type="FSPIOP_CALLBACK_URL_TRANSFER_POST",outcome="failed"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /kube_pod_container_status_restarts_total\{container="ml-api-adapter"[^}]*\} [1-9]/,
    );
  }, 90_000);
});
