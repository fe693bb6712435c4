import { freePort } from '@mlperf/core/promql';
import { type HubHandle, startHub } from '@mlperf/hub';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cli } from './_cli.js';

vi.setConfig({ testTimeout: 180_000 });

let hub: HubHandle;
beforeAll(async () => {
  hub = await startHub({ profile: 'healthy' });
});
afterAll(async () => {
  await hub?.stop();
});

const DFSPS = Array.from({ length: 8 }, (_, i) => `perffsp-${i + 1}`);
/** How long the simulator may take to come up on a loaded machine. */
const WAIT = { timeout: 60_000, interval: 50 };

describe('mlperf dfsp-sim', () => {
  it('serves until Ctrl-C and registers every DFSP callback with the hub', async () => {
    const port = await freePort();
    const running = cli(
      'dfsp-sim',
      '--hub-url',
      hub.url,
      '--port',
      String(port),
      '--admin-url',
      hub.adminUrl,
    );
    const health = () =>
      fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.status,
        () => 0,
      );
    await expect.poll(health, WAIT).toBe(200);
    const pending = await fetch(`http://127.0.0.1:${port}/outcomes/x?waitMs=10`).then((r) => r.json());
    expect(pending).toEqual({ transferId: 'x', state: 'PENDING' });
    // Ctrl-C once the command listens for it (after registering the callbacks).
    await expect.poll(() => process.listenerCount('SIGINT'), WAIT).toBeGreaterThan(0);
    for (const dfsp of DFSPS) {
      const endpoints = await fetch(`${hub.adminUrl}/participants/${dfsp}/endpoints`).then((r) => r.json());
      expect(endpoints).toEqual(
        expect.arrayContaining([
          { type: 'FSPIOP_CALLBACK_URL_TRANSFER_POST', value: `http://127.0.0.1:${port}/${dfsp}/transfers` },
          {
            type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
            value: `http://127.0.0.1:${port}/${dfsp}/transfers/{{transferId}}`,
          },
          {
            type: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
            value: `http://127.0.0.1:${port}/${dfsp}/transfers/{{transferId}}/error`,
          },
        ]),
      );
    }
    process.emit('SIGINT');
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.stdout.replaceAll(String(port), 'PORT').replaceAll(hub.url, 'HUB')).toMatchInlineSnapshot(`
      "DFSP simulator on http://127.0.0.1:PORT for 8 DFSPs (perffsp-1, perffsp-2, perffsp-3, perffsp-4, perffsp-5, perffsp-6, perffsp-7, perffsp-8); payee answers to HUB
      registered the transfer callbacks of 8 DFSPs at http://127.0.0.1:PORT/<dfsp>
      k6 awaits outcomes at http://127.0.0.1:PORT/outcomes/<transferId>; metrics at /metrics. Ctrl-C stops.
      DFSP simulator stopped"
    `);
  });

  it('needs a hub URL and rejects bad flags with exit 2', async () => {
    expect((await cli('dfsp-sim')).code).toBe(2);
    expect((await cli('dfsp-sim', '--hub-url', 'hub:3000')).stderr).toContain(
      '--hub-url: "hub:3000" is not an http(s) URL',
    );
    expect((await cli('dfsp-sim', '--hub-url', 'http://h', '--payee-reject-ratio', '2')).stderr).toContain(
      '--payee-reject-ratio: 2 is more than 1',
    );
  });
});
