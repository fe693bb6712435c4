import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HubHandle, startHub } from '@mlperf/hub';
import { standardDfsps } from '@mlperf/core';
import { formatMoney, HubAdmin } from '@mlperf/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let hub: HubHandle;
let proxy: http.Server;
let centralLedgerUrl: string;
beforeAll(async () => {
  hub = await startHub();
  // A central-ledger without the embedded hub's /admin/reset: reset must use limits and funds.
  const target = new URL(hub.adminUrl);
  proxy = http.createServer((req, res) => {
    if (req.url?.startsWith('/admin/')) {
      req.resume();
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end('{"errorInformation":{"errorCode":"3002","errorDescription":"Unknown URI"}}');
      return;
    }
    const up = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  centralLedgerUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((r) => proxy?.close(() => r()));
  await hub?.stop();
});

describe('HubAdmin against the central-ledger admin API', () => {
  it('registers the three transfer callback endpoints of every DFSP', async () => {
    await new HubAdmin(centralLedgerUrl).registerCallbacks(['perffsp-1'], (d) => `http://engine:9000/${d}`);
    const eps = (await fetch(`${hub.adminUrl}/participants/perffsp-1/endpoints`).then((r) => r.json())) as {
      type: string;
      value: string;
    }[];
    expect(
      eps
        .filter((e) => e.type.startsWith('FSPIOP_CALLBACK_URL_TRANSFER'))
        .sort((a, b) => a.type.localeCompare(b.type)),
    ).toEqual([
      {
        type: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
        value: 'http://engine:9000/perffsp-1/transfers/{{transferId}}/error',
      },
      { type: 'FSPIOP_CALLBACK_URL_TRANSFER_POST', value: 'http://engine:9000/perffsp-1/transfers' },
      {
        type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
        value: 'http://engine:9000/perffsp-1/transfers/{{transferId}}',
      },
    ]);
  });

  it('resets a real hub through limits and settlement funds, and reads positions back', async () => {
    const admin = new HubAdmin(centralLedgerUrl);
    const dfsps = standardDfsps();
    // Knock two DFSPs off their opening state: extra funds in, and a lower net debit cap.
    const [p1] = await admin.positions([dfsps[0] as (typeof dfsps)[number]]);
    expect(p1?.liquidity).toBe(1_000_000);
    const accounts = (await fetch(`${hub.adminUrl}/participants/perffsp-1/accounts`).then((r) =>
      r.json(),
    )) as { id: number; ledgerAccountType: string }[];
    const settlement = accounts.find((a) => a.ledgerAccountType === 'SETTLEMENT')?.id;
    await fetch(`${hub.adminUrl}/participants/perffsp-1/accounts/${settlement}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        transferId: crypto.randomUUID(),
        externalReference: 't',
        action: 'recordFundsIn',
        reason: 't',
        amount: { amount: '250', currency: 'USD' },
      }),
    });
    await fetch(`${hub.adminUrl}/participants/perffsp-5/limits`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 5 } }),
    });
    expect((await admin.positions(dfsps))[0]?.liquidity).toBe(1_000_250);

    const r = await admin.reset(dfsps);
    expect(r).toEqual({ mode: 'central-ledger', warnings: [] });
    const after = await admin.positions(dfsps);
    expect(
      after.map((p) => `${p.dfsp}: ${formatMoney(p.available, p.currency)} (NDC ${p.netDebitCap})`),
    ).toEqual([
      'perffsp-1: $1,000,000.00 (NDC 1000000)',
      'perffsp-2: $1,000,000.00 (NDC 1000000)',
      'perffsp-3: $1,000,000.00 (NDC 1000000)',
      'perffsp-4: $1,000,000.00 (NDC 1000000)',
      'perffsp-5: $0.00 (NDC 0)',
      'perffsp-6: $0.00 (NDC 0)',
      'perffsp-7: $0.00 (NDC 0)',
      'perffsp-8: $0.00 (NDC 0)',
    ]);
  });

  it('says which admin URL failed, exit 3', async () => {
    await expect(new HubAdmin('http://127.0.0.1:1').positions(standardDfsps())).rejects.toMatchObject({
      code: 'ADMIN_UNREACHABLE',
      exitCode: 3,
    });
  });
});
