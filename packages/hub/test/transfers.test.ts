import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubHandle, startHub } from '@mlperf/hub';
import { FspiopDriver } from './support/fspiop-driver.js';
import { scrape } from '@mlperf/testkit';

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

describe('position topic keyed by DFSP', () => {
  it('uses at most one partition per DFSP, however many partitions there are', async () => {
    await using hub = await startHub({ knobs: { stages: { position: { partitions: 16, consumers: 16 } } } });
    const driver = new FspiopDriver(hub.url, hub.adminUrl);
    await driver.start(DFSPS);
    const outcomes = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        driver.transfer(`perffsp-${(i % 4) + 1}`, `perffsp-${(i % 4) + 5}`, '1'),
      ),
    );
    expect(outcomes.every((o) => o.state === 'COMMITTED')).toBe(true);
    const samples = await scrape(hub.metricsUrl);
    const used = samples.filter(
      (s) =>
        s.name === 'kafka_topic_partition_current_offset' &&
        s.labels.topic === 'topic-transfer-position' &&
        s.value > 0,
    );
    // 4 payers (prepare) + 4 payees (commit) = 8 of the 16 partitions carry all 160 position messages.
    expect(used).toHaveLength(8);
    expect(used.reduce((a, s) => a + s.value, 0)).toBe(160);
    await driver.stop();
  });
});

describe('overload', () => {
  it('answers 503 (2003) once the backlog limit is reached, and recovers', async () => {
    await using hub = await startHub({
      knobs: {
        maxBacklog: 5,
        stages: { prepare: { serviceTimeMs: 50, partitions: 1, consumers: 1, inFlightPerConsumer: 1 } },
      },
    });
    const driver = new FspiopDriver(hub.url, hub.adminUrl);
    await driver.start(['perffsp-1', 'perffsp-5']);
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => driver.transfer('perffsp-1', 'perffsp-5', '1')),
    );
    const refused = outcomes.filter((o) => o.state === 'HTTP_ERROR');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((o) => o.httpStatus === 503)).toBe(true);
    expect(outcomes.filter((o) => o.state === 'COMMITTED').length + refused.length).toBe(30);
    expect((await driver.transfer('perffsp-1', 'perffsp-5', '1')).state).toBe('COMMITTED');
    await driver.stop();
  });
});
