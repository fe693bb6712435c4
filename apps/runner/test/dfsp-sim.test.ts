import { createServer } from 'node:net';
import { type HubHandle, startHub } from '@mlperf/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './_cli.js';

let hub: HubHandle;
beforeAll(async () => {
  hub = await startHub({ profile: 'healthy' });
});
afterAll(async () => {
  await hub?.stop();
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

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
    let health = 0;
    for (let i = 0; i < 100 && health !== 200; i++) {
      await new Promise((r) => setTimeout(r, 50));
      health = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.status,
        () => 0,
      );
    }
    expect(health).toBe(200);
    const pending = await fetch(`http://127.0.0.1:${port}/outcomes/x?waitMs=10`).then((r) => r.json());
    expect(pending).toEqual({ transferId: 'x', state: 'PENDING' });
    // Ctrl-C once the command listens for it (after registering the callbacks).
    for (let i = 0; i < 200 && process.listenerCount('SIGINT') === 0; i++)
      await new Promise((r) => setTimeout(r, 25));
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
