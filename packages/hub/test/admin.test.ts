import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { standardDfsps } from '@mlperf/core';
import { type HubHandle, startHub } from '@mlperf/hub';
import { FspiopDriver } from './support/fspiop-driver.js';
import { scrape, sum } from '@mlperf/testkit';

/** How long a condition may take on a loaded machine before the test fails. */
const WAIT = { timeout: 30_000, interval: 20 };

describe('central-ledger admin API', () => {
  let hub: HubHandle;
  let d: FspiopDriver;
  const admin = async (method: string, path: string, body?: unknown) => {
    const r = await d.request(
      hub.adminUrl,
      method,
      path,
      {},
      body === undefined ? undefined : JSON.stringify(body),
    );
    return { status: r.status, json: r.body ? JSON.parse(r.body) : undefined };
  };
  beforeAll(async () => {
    hub = await startHub();
    d = new FspiopDriver(hub.url, hub.adminUrl);
  });
  afterAll(async () => {
    await d?.stop();
    await hub?.stop();
  });

  it('lists the Phase-07 plan topology with positions, accounts and limits', async () => {
    const list = await admin('GET', '/participants');
    expect(list.json.map((p: { name: string }) => p.name)).toEqual(standardDfsps().map((x) => x.id));
    expect((await admin('GET', '/participants/perffsp-1/positions')).json).toEqual([
      { currency: 'USD', value: 0, changedDate: expect.any(String) },
    ]);
    const accounts = (await admin('GET', '/participants/perffsp-1/accounts')).json;
    expect(
      accounts.map((a: { ledgerAccountType: string; value: number }) => [a.ledgerAccountType, a.value]),
    ).toEqual([
      ['POSITION', 0],
      ['SETTLEMENT', -1_000_000],
    ]);
    expect((await admin('GET', '/participants/perffsp-5/limits')).json).toEqual([
      { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 0, alarmPercentage: 10 } },
    ]);
  });

  it('records funds in and out of the settlement account', async () => {
    const accounts = (await admin('GET', '/participants/perffsp-5/accounts')).json;
    const settlement = accounts.find(
      (a: { ledgerAccountType: string }) => a.ledgerAccountType === 'SETTLEMENT',
    ).id;
    const fundsIn = {
      transferId: 'f1',
      externalReference: 'x',
      action: 'recordFundsIn',
      reason: 'test',
      amount: { amount: '500', currency: 'USD' },
    };
    expect((await admin('POST', `/participants/perffsp-5/accounts/${settlement}`, fundsIn)).status).toBe(202);
    const out = {
      ...fundsIn,
      transferId: 'f2',
      action: 'recordFundsOutPrepareReserve',
      amount: { amount: '200', currency: 'USD' },
    };
    expect((await admin('POST', `/participants/perffsp-5/accounts/${settlement}`, out)).status).toBe(202);
    expect((await hub.ledger()).participants.find((p) => p.name === 'perffsp-5')?.liquidity).toBe(300);
    expect(
      (
        await admin('PUT', `/participants/perffsp-5/accounts/${settlement}/transfers/f2`, {
          action: 'recordFundsOutAbort',
        })
      ).status,
    ).toBe(202);
    expect((await hub.ledger()).participants.find((p) => p.name === 'perffsp-5')?.liquidity).toBe(500);
    const tooMuch = await admin('POST', `/participants/perffsp-5/accounts/${settlement}`, {
      ...out,
      transferId: 'f3',
      amount: { amount: '900', currency: 'USD' },
    });
    expect([tooMuch.status, tooMuch.json.errorInformation.errorCode]).toEqual([400, '4001']);
    const wrongAccount = await admin('POST', '/participants/perffsp-5/accounts/999', fundsIn);
    expect(wrongAccount.json.errorInformation.errorDescription).toMatch(/not the settlement account/);
  });

  it('sets the net debit cap and registers callback endpoints', async () => {
    const put = await admin('PUT', '/participants/perffsp-2/limits', {
      currency: 'USD',
      limit: { type: 'NET_DEBIT_CAP', value: 250 },
    });
    expect(put.json.limit.value).toBe(250);
    expect(
      (
        await admin('POST', '/participants/perffsp-2/endpoints', {
          type: 'FSPIOP_CALLBACK_URL_TRANSFER_POST',
          value: 'http://127.0.0.1:1/t',
        })
      ).status,
    ).toBe(201);
    expect((await admin('GET', '/participants/perffsp-2/endpoints')).json).toEqual([
      { type: 'FSPIOP_CALLBACK_URL_TRANSFER_POST', value: 'http://127.0.0.1:1/t' },
    ]);
    const bad = await admin('POST', '/participants/perffsp-2/endpoints', {
      type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
      value: 'ftp://x',
    });
    expect(bad.status).toBe(400);
    const unknown = await admin('GET', '/participants/nobody/positions');
    expect([unknown.status, unknown.json.errorInformation.errorCode]).toEqual([404, '3200']);
  });

  it('answers unknown paths, unknown participants and bodies that are not JSON with FSPIOP errors', async () => {
    const nowhere = await admin('GET', '/nowhere?x=1');
    expect([nowhere.status, nowhere.json.errorInformation]).toEqual([
      404,
      { errorCode: '3002', errorDescription: 'Unknown URI - GET /nowhere' },
    ]);
    const unknown = await admin('DELETE', '/participants/nobody/anything');
    expect([unknown.status, unknown.json.errorInformation.errorCode]).toEqual([404, '3200']);
    const method = await admin('DELETE', '/participants/perffsp-1');
    expect([method.status, method.json.errorInformation.errorCode]).toEqual([404, '3002']);
    const notJson = await d.request(hub.adminUrl, 'PUT', '/participants/perffsp-1/limits', {}, '{');
    expect([notJson.status, JSON.parse(notJson.body).errorInformation.errorCode]).toEqual([400, '3101']);
    expect((await admin('GET', '/participants/perffsp-1/positions/')).status).toBe(200);
    expect((await admin('GET', '/admin/profile')).json.name).toBe('healthy');
  });

  it('resets to a suite initial state, keeping endpoints and using callbackBaseUrl', async () => {
    const dfsps = [
      {
        id: 'a',
        currency: 'EUR',
        initialPosition: 0,
        liquidity: 10,
        netDebitCap: 10,
        callbackBaseUrl: 'http://127.0.0.1:7/a/',
      },
      { id: 'perffsp-2', currency: 'EUR', initialPosition: 0, liquidity: 5, netDebitCap: 5 },
    ];
    const r = await admin('POST', '/admin/reset', { dfsps });
    expect(r.status).toBe(200);
    expect((await admin('GET', '/participants/a/endpoints')).json).toEqual([
      { type: 'FSPIOP_CALLBACK_URL_TRANSFER_POST', value: 'http://127.0.0.1:7/a/transfers' },
      { type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT', value: 'http://127.0.0.1:7/a/transfers/{{transferId}}' },
      {
        type: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
        value: 'http://127.0.0.1:7/a/transfers/{{transferId}}/error',
      },
    ]);
    expect((await admin('GET', '/participants/perffsp-2/endpoints')).json).toHaveLength(1);
    const bad = await admin('POST', '/admin/reset', { dfsps: [{ id: 'x' }] });
    expect(bad.json.errorInformation.errorDescription).toMatch(
      /HUB_DFSPS_INVALID: body.dfsps: \[0\].currency/,
    );
    await hub.reset();
    expect((await hub.ledger()).participants.map((p) => p.name)).toEqual(['a', 'perffsp-2']);
    await hub.reset(standardDfsps());
  });

  it('reports /health per emulated service and goes DOWN during a crash', async () => {
    const health = await fetch(hub.healthUrl);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'OK',
      service: 'central-ledger',
      services: [{ name: 'broker' }, { name: 'datastore' }],
    });
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
    await hub.setProfile({ faults: { crash: { service: 'mysql', everyMs: 100_000, forMs: 99_900 } } });
    const down = await vi.waitFor(async () => {
      const r = await fetch(`${hub.adminUrl}/health/central-ledger`);
      expect(r.status).toBe(502);
      return r;
    }, WAIT);
    expect(await down.json()).toMatchObject({
      status: 'DOWN',
      services: [
        { name: 'broker', status: 'OK' },
        { name: 'datastore', status: 'DOWN' },
      ],
    });
    const m = await scrape(hub.metricsUrl);
    expect(sum(m, 'moja_service_up', { service: 'mysql' })).toBe(0);
    expect(sum(m, 'kube_pod_container_status_restarts_total', { container: 'mysql' })).toBe(1);
    await hub.setProfile({ faults: { crash: null } });
    expect((await fetch(`${hub.url}/health/nothing`)).status).toBe(404);
  });
});

describe('startHub isolation and memory limit', () => {
  it('runs in a child process with the same API', async () => {
    await using hub = await startHub({ isolation: 'process', profile: 'kafka-lag' });
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(hub.profile.name).toBe('kafka-lag');
    const d = new FspiopDriver(hub.url, hub.adminUrl);
    await d.start(['perffsp-1', 'perffsp-5']);
    expect((await d.transfer('perffsp-1', 'perffsp-5', '2')).state).toBe('COMMITTED');
    expect((await hub.ledger()).committed).toBe(1);
    await hub.setProfile('healthy');
    expect(hub.profile.name).toBe('healthy');
    await hub.reset();
    expect((await hub.ledger()).committed).toBe(0);
    await expect(hub.reset([])).rejects.toThrow(/HUB_DFSPS_INVALID|non-empty/);
    await d.stop();
  });

  it('reports a port in use as MlperfError with exit code 3', async () => {
    await using first = await startHub();
    const port = Number(new URL(first.url).port);
    await expect(startHub({ port })).rejects.toMatchObject({ code: 'HUB_LISTEN_FAILED', exitCode: 3 });
    await expect(startHub({ port, isolation: 'process' })).rejects.toMatchObject({
      code: 'HUB_LISTEN_FAILED',
    });
  });

  it('OOM-kills a leaking service at its memory limit and restarts it', async () => {
    const logs: string[] = [];
    await using hub = await startHub({
      profile: 'memory-leak',
      log: (l) => logs.push(l),
      knobs: { memoryLimitBytes: { 'central-ledger': 330 * 1024 * 1024 }, restartMs: 200 },
    });
    const d = new FspiopDriver(hub.url, hub.adminUrl);
    await d.start(['perffsp-1', 'perffsp-5']);
    await Promise.all(Array.from({ length: 200 }, () => d.transfer('perffsp-1', 'perffsp-5', '1')));
    const kills = () => logs.filter((l) => l.startsWith('central-ledger OOMKilled')).length;
    await vi.waitFor(() => expect(kills()).toBeGreaterThanOrEqual(1), WAIT);
    // Every OOM kill is one restart of the container.
    await expect
      .poll(
        async () =>
          sum(await scrape(hub.metricsUrl), 'kube_pod_container_status_restarts_total', {
            container: 'central-ledger',
          }),
        WAIT,
      )
      .toBe(kills());
    const l = await hub.ledger();
    expect(l.committed + l.aborted).toBe(200);
    await d.stop();
  });
});
