import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubHandle, startHub } from '@mlperf/hub';
import { FspiopDriver } from './support/fspiop-driver.js';

const DFSPS = Array.from({ length: 8 }, (_, i) => `perffsp-${i + 1}`);

describe('FSPIOP transfers over real HTTP', () => {
  let hub: HubHandle;
  let driver: FspiopDriver;
  beforeAll(async () => {
    hub = await startHub();
    driver = new FspiopDriver(hub.url, hub.adminUrl);
    await driver.start(DFSPS);
  });
  afterAll(async () => {
    await driver?.stop();
    await hub?.stop();
  });

  it('commits a transfer and moves positions as central-ledger does', async () => {
    await hub.reset();
    const out = await driver.transfer('perffsp-1', 'perffsp-5', '12.5');
    expect(out.state).toBe('COMMITTED');
    const l = await hub.ledger();
    const pos = Object.fromEntries(l.participants.map((p) => [p.name, p.position]));
    expect(pos['perffsp-1']).toBe(12.5);
    expect(pos['perffsp-5']).toBe(-12.5);
    expect(l).toMatchObject({ committed: 1, aborted: 0, inFlight: 0, prepared: 1, netPositionSum: 0 });
  });

  it('rejects by payee (5105), wrong fulfilment (3100), liquidity (4001)', async () => {
    await hub.reset();
    const [rej, wrong, poor] = await Promise.all([
      driver.transfer('perffsp-1', 'perffsp-5', '1', 'reject'),
      driver.transfer('perffsp-2', 'perffsp-6', '1', 'wrong-fulfilment'),
      driver.transfer('perffsp-5', 'perffsp-1', '1'),
    ]);
    expect([rej.errorCode, wrong.errorCode, poor.errorCode]).toEqual(['5105', '3100', '4001']);
    const l = await hub.ledger();
    expect(l).toMatchObject({ committed: 0, aborted: 3, inFlight: 0, netPositionSum: 0 });
    expect(l.participants.every((p) => p.reserved === 0 && p.position === 0)).toBe(true);
  });
});
