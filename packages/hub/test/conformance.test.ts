import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type HubHandle, startHub } from '@mlperf/hub';
import { FspiopDriver, fspiopHeaders, makeCondition, prepareBody } from './support/fspiop-driver.js';
import { FspiopSpec } from '@mlperf/testkit';

const DFSPS = Array.from({ length: 8 }, (_, i) => `perffsp-${i + 1}`);

type Callback = FspiopDriver['callbacks'][number];

/** Waits until the driver has recorded a callback that matches (the index counts from the first). */
function callbackSeen(driver: FspiopDriver, match: (c: Callback, i: number) => boolean): Promise<void> {
  return vi.waitFor(() => expect(driver.callbacks.some(match)).toBe(true), { timeout: 30_000, interval: 10 });
}

describe('FSPIOP conformance against @mojaloop/api-snippets v1.1', () => {
  let hub: HubHandle;
  let driver: FspiopDriver;
  let spec: FspiopSpec;
  beforeAll(async () => {
    spec = await FspiopSpec.load();
    hub = await startHub();
    driver = new FspiopDriver(hub.url, hub.adminUrl);
    await driver.start(DFSPS);
    driver.record = true;
  });
  afterAll(async () => {
    await driver?.stop();
    await hub?.stop();
  });

  it('every callback the hub sends and every request the DFSPs send match the OpenAPI', async () => {
    const outcomes = await Promise.all([
      driver.transfer('perffsp-1', 'perffsp-5', '10.25'),
      driver.transfer('perffsp-2', 'perffsp-6', '1', 'reserved'),
      driver.transfer('perffsp-3', 'perffsp-7', '1', 'reject'),
      driver.transfer('perffsp-4', 'perffsp-8', '1', 'wrong-fulfilment'),
      driver.transfer('perffsp-8', 'perffsp-4', '5'),
      driver.transfer('perffsp-1', 'perffsp-6', '1', 'ignore', 700),
      driver.transfer('perffsp-1', 'perffsp-1', '1'),
    ]);
    expect(outcomes.map((o) => o.errorCode ?? o.state)).toEqual([
      'COMMITTED',
      'COMMITTED',
      '5105',
      '3100',
      '4001',
      '3303',
      '3100',
    ]);

    // GET /transfers/{id} is answered by a PUT callback to the requester.
    const committedId = outcomes[0]!.transferId;
    const get = await driver.request(
      hub.url,
      'GET',
      `/transfers/${committedId}`,
      fspiopHeaders('perffsp-1', 'perffsp-5', true),
    );
    expect(get.status).toBe(202);
    await callbackSeen(
      driver,
      (c) =>
        c.dfsp === 'perffsp-1' &&
        c.path.endsWith(committedId) &&
        c.method === 'PUT' &&
        c.headers['fspiop-source'] === 'Hub',
    );
    // The RESERVED fulfil asked for a commit notification: PATCH to the payee.
    await callbackSeen(driver, (c) => c.method === 'PATCH');
    await callbackSeen(driver, (c) => c.path.endsWith('/error') && c.dfsp === 'perffsp-6');

    const problems: string[] = [];
    for (const c of driver.callbacks) {
      problems.push(
        ...spec.checkRequest({ method: c.method, path: c.path, headers: c.headers, body: c.body }),
      );
    }
    for (const s of driver.sent) {
      const headers = Object.fromEntries(Object.entries(s.headers).filter(([, v]) => v !== ''));
      problems.push(...spec.checkRequest({ method: s.method, path: s.path, headers, body: s.body }));
    }
    expect(problems).toEqual([]);
    const kinds = new Set(
      driver.callbacks.map(
        (c) => `${c.method} ${c.path.replace(/[0-9a-f-]{36}/, '{ID}').replace(/^\/[^/]+/, '')}`,
      ),
    );
    expect([...kinds].sort()).toEqual([
      'PATCH /transfers/{ID}',
      'POST /transfers',
      'PUT /transfers/{ID}',
      'PUT /transfers/{ID}/error',
    ]);
    const prepare = driver.callbacks.find((c) => c.method === 'POST');
    expect(prepare?.headers['fspiop-source']).toMatch(/^perffsp-[1-4]$/);
    const commit = driver.callbacks.find((c) => c.path.endsWith(committedId) && c.method === 'PUT');
    expect(commit?.body).toMatchObject({ transferState: 'COMMITTED', fulfilment: expect.any(String) });
  });

  it('answers bad requests synchronously with the FSPIOP error a real hub gives', async () => {
    const { condition } = makeCondition();
    const good = prepareBody('perffsp-1', 'perffsp-5', '1', condition);
    const h = fspiopHeaders('perffsp-1', 'perffsp-5', true);
    const cases: [string, Record<string, string>, string, number, string][] = [
      ['malformed JSON', h, '{"transferId": ', 400, '3101'],
      ['missing date', { ...h, date: '' }, JSON.stringify(good), 400, '3102'],
      ['missing FSPIOP-Source', { ...h, 'fspiop-source': '' }, JSON.stringify(good), 400, '3102'],
      [
        'unsupported version',
        { ...h, 'content-type': 'application/vnd.interoperability.transfers+json;version=2.0' },
        JSON.stringify(good),
        406,
        '3001',
      ],
      [
        'bad amount',
        h,
        JSON.stringify({ ...good, amount: { amount: '1.00', currency: 'USD' } }),
        400,
        '3100',
      ],
      ['missing condition', h, JSON.stringify({ ...good, condition: undefined }), 400, '3102'],
      ['unknown source', { ...h, 'fspiop-source': 'nobody' }, JSON.stringify(good), 400, '3100'],
    ];
    const problems: string[] = [];
    driver.record = false; // these requests are wrong on purpose
    for (const [name, headers, body, status, code] of cases) {
      const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
      const r = await driver.request(hub.url, 'POST', '/transfers', clean, body);
      const parsed = JSON.parse(r.body) as { errorInformation: { errorCode: string } };
      expect([name, r.status, parsed.errorInformation.errorCode]).toEqual([name, status, code]);
      problems.push(...spec.checkResponse('POST', '/transfers', r.status, parsed));
    }
    driver.record = true;
    expect(problems).toEqual([]);
  });

  it('handles duplicates: same body resends the state, a changed body gets 3106', async () => {
    const { fulfilment, condition } = makeCondition();
    const body = prepareBody('perffsp-2', 'perffsp-6', '3', condition);
    const first = await driver.send(body, fulfilment, 'fulfil');
    expect(first.state).toBe('COMMITTED');
    const before = driver.callbacks.length;
    const rejectedBefore = (await hub.ledger()).rejected;
    const h = fspiopHeaders('perffsp-2', 'perffsp-6', true);
    expect((await driver.request(hub.url, 'POST', '/transfers', h, JSON.stringify(body))).status).toBe(202);
    await callbackSeen(
      driver,
      (c, i) => i >= before && c.path.endsWith(body.transferId) && c.method === 'PUT',
    );
    const changed = { ...body, amount: { amount: '4', currency: 'USD' } };
    expect((await driver.request(hub.url, 'POST', '/transfers', h, JSON.stringify(changed))).status).toBe(
      202,
    );
    await callbackSeen(
      driver,
      (c) =>
        c.path.endsWith(`${body.transferId}/error`) &&
        (c.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode === '3106',
    );
    const l = await hub.ledger();
    expect(l.doubleFinalizations).toBe(0);
    // The resend with the same body is answered with the state; only the changed one is rejected.
    expect(l.rejected - rejectedBefore).toBe(1);
  });

  it('answers a fulfil for an unknown transfer with 3208 and an unknown payee with 3201', async () => {
    const id = randomUUID();
    const put = {
      transferState: 'COMMITTED',
      fulfilment: makeCondition().fulfilment,
      completedTimestamp: new Date().toISOString(),
    };
    const r = await driver.request(
      hub.url,
      'PUT',
      `/transfers/${id}`,
      fspiopHeaders('perffsp-5', 'perffsp-1', false),
      JSON.stringify(put),
    );
    expect(r.status).toBe(200);
    await callbackSeen(driver, (c) => c.path === `/perffsp-5/transfers/${id}/error`);
    const err = driver.callbacks.find((c) => c.path === `/perffsp-5/transfers/${id}/error`);
    expect(err?.body).toMatchObject({ errorInformation: { errorCode: '3208' } });
    const unknown = await driver.transfer('perffsp-1', 'perffsp-99', '1');
    expect(unknown.errorCode).toBe('3201');
  });
});
