import { afterEach, describe, expect, it, vi } from 'vitest';
import { HUB_PROFILES, type HubHandle, type HubKnobsPatch, type HubProfileName, startHub } from '@mlperf/hub';
import { FspiopDriver, type Outcome } from './support/fspiop-driver.js';
import { type Sample, scrape, sum } from '@mlperf/testkit';

const DFSPS = Array.from({ length: 8 }, (_, i) => `perffsp-${i + 1}`);

interface Run {
  hub: HubHandle;
  driver: FspiopDriver;
  before: Sample[];
  after: Sample[];
  outcomes: Outcome[];
}

/** How long the cause may take to show on a loaded machine; scrapes are 10 ms apart. */
const WAIT = { timeout: 60_000, interval: 10 };

let open: { hub: HubHandle; driver: FspiopDriver } | undefined;
afterEach(async () => {
  await open?.driver.stop();
  await open?.hub.stop();
  open = undefined;
});

/**
 * A burst of `count` transfers over the standard corridors; scrapes /metrics before and after.
 * `during` gets a scrape function and waits for what must show while the burst runs.
 */
async function burst(
  profile: HubProfileName,
  count: number,
  during?: (scrapeNow: () => Promise<Sample[]>) => Promise<void>,
  knobs?: HubKnobsPatch,
): Promise<Run> {
  const hub = await startHub({ profile, ...(knobs ? { knobs } : {}) });
  const driver = new FspiopDriver(hub.url, hub.adminUrl);
  open = { hub, driver };
  await driver.start(DFSPS);
  const before = await scrape(hub.metricsUrl);
  const jobs: Promise<Outcome>[] = [];
  for (let i = 0; i < count; i++)
    jobs.push(driver.transfer(`perffsp-${(i % 4) + 1}`, `perffsp-${(i % 4) + 5}`, '1'));
  const [outcomes] = await Promise.all([Promise.all(jobs), during?.(() => scrape(hub.metricsUrl))]);
  const after = await scrape(hub.metricsUrl);
  return { hub, driver, before, after, outcomes };
}

const cl = { container: 'central-ledger' };

describe('named profiles show their cause in the metric their README names', () => {
  it(`healthy: ${HUB_PROFILES.healthy.evidence}`, async () => {
    const r = await burst('healthy', 300);
    expect(r.outcomes.every((o) => o.state === 'COMMITTED')).toBe(true);
    expect(sum(r.after, 'moja_cl_transfers_total', { outcome: 'committed' })).toBe(300);
    expect(sum(r.after, 'mojaloop_transfer_success')).toBe(300);
    expect(sum(r.after, 'moja_ml_tx_transfer_count')).toBe(300);
    expect(sum(r.after, 'kafka_consumergroup_lag')).toBe(0);
    expect(sum(r.after, 'mysql_global_status_threads_connected')).toBeLessThan(
      sum(r.after, 'mysql_global_variables_max_connections'),
    );
    const throttled = sum(r.after, 'container_cpu_cfs_throttled_periods_total', cl);
    expect(throttled / Math.max(1, sum(r.after, 'container_cpu_cfs_periods_total', cl))).toBeLessThan(0.5);
  });

  it(`db-pool-exhausted: ${HUB_PROFILES['db-pool-exhausted'].knobs.dbPool.size} connections: ${HUB_PROFILES['db-pool-exhausted'].evidence}`, async () => {
    expect(HUB_PROFILES['db-pool-exhausted'].knobs.dbPool).toMatchObject({ size: 5, queryTimeMs: 5 });
    // With 5 ms queries the pool holds up to ~250 TPS, more than a loaded machine offers in-process;
    // with 50 ms queries (~25 TPS) any burst queues for a connection.
    const knobs = { dbPool: { queryTimeMs: 50 } };
    const r = await burst(
      'db-pool-exhausted',
      100,
      (scrapeNow) =>
        vi.waitFor(async () => {
          // All 5 connections busy and queries queued for one, in the same scrape.
          const s = await scrapeNow();
          expect(sum(s, 'mysql_global_status_threads_connected')).toBe(5);
          expect(sum(s, 'moja_cl_db_pool_pending')).toBeGreaterThan(0);
        }, WAIT),
      knobs,
    );
    expect(sum(r.after, 'mysql_global_variables_max_connections')).toBe(5);
    // The wait histogram's p95 is above the 50 ms query time: more than 5% of queries waited longer.
    const waits = sum(r.after, 'moja_cl_db_pool_wait_seconds_count');
    const shortWaits = sum(r.after, 'moja_cl_db_pool_wait_seconds_bucket', { le: '0.05' });
    expect((waits - shortWaits) / waits).toBeGreaterThan(0.05);
    expect(r.outcomes.filter((o) => o.state === 'COMMITTED').length).toBe(100);
  });

  it(`kafka-lag: ${HUB_PROFILES['kafka-lag'].evidence}`, async () => {
    const r = await burst('kafka-lag', 400, (scrapeNow) =>
      vi.waitFor(async () => {
        const s = await scrapeNow();
        const lag = (topic: string) => sum(s, 'kafka_consumergroup_lag', { topic });
        expect(lag('topic-transfer-position')).toBeGreaterThan(50);
        expect(lag('topic-transfer-position')).toBeGreaterThan(lag('topic-transfer-prepare'));
        const partitions = s.filter(
          (x) => x.name === 'kafka_consumergroup_lag' && x.labels.topic === 'topic-transfer-position',
        );
        expect(partitions).toHaveLength(1);
      }, WAIT),
    );
    expect(sum(r.after, 'kafka_consumergroup_lag')).toBe(0);
  });

  it(`cpu-throttled: ${HUB_PROFILES['cpu-throttled'].evidence}`, async () => {
    expect(HUB_PROFILES['cpu-throttled'].knobs.cpuCores['central-ledger']).toBe(0.25);
    // At 0.25 core the quota holds up to ~190 TPS, more than a loaded machine can offer in-process;
    // a tenth of it (~19 TPS) is exceeded by any burst, so the throttling shows on every machine.
    const r = await burst('cpu-throttled', 60, undefined, { cpuCores: { 'central-ledger': 0.025 } });
    const d = (name: string) => sum(r.after, name, cl) - sum(r.before, name, cl);
    const ratio = d('container_cpu_cfs_throttled_periods_total') / d('container_cpu_cfs_periods_total');
    expect(ratio).toBeGreaterThan(0.6);
    expect(sum(r.after, 'container_spec_cpu_quota', cl)).toBe(2_500);
    const other = { container: 'ml-api-adapter' };
    expect(sum(r.after, 'container_cpu_cfs_throttled_periods_total', other)).toBe(0);
  });

  it(`memory-leak: ${HUB_PROFILES['memory-leak'].evidence}`, async () => {
    const r = await burst('memory-leak', 300);
    const ws = (s: Sample[], c: string) => sum(s, 'container_memory_working_set_bytes', { container: c });
    expect(ws(r.after, 'central-ledger') - ws(r.before, 'central-ledger')).toBe(300 * 64 * 1024);
    expect(ws(r.after, 'ml-api-adapter')).toBe(ws(r.before, 'ml-api-adapter'));
    expect(sum(r.after, 'container_spec_memory_limit_bytes', cl)).toBeGreaterThan(
      ws(r.after, 'central-ledger'),
    );
  });

  it(`flaky: ${HUB_PROFILES.flaky.evidence}`, async () => {
    const r = await burst('flaky', 400);
    const failed = sum(r.after, 'moja_cl_transfers_total', { outcome: 'aborted', error_code: '2001' });
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBe(r.outcomes.filter((o) => o.errorCode === '2001').length);
    expect(sum(r.after, 'mojaloop_transfer_error', { error_type: '2001' })).toBe(failed);
    expect(r.outcomes.filter((o) => o.state === 'COMMITTED').length + failed).toBe(400);
  });

  it('switches profile and single knobs at runtime, from code and over the admin API', async () => {
    const hub = await startHub();
    const driver = new FspiopDriver(hub.url, hub.adminUrl);
    open = { hub, driver };
    expect(hub.profile.name).toBe('healthy');
    await hub.setProfile('kafka-lag');
    expect(hub.profile.knobs.stages.position.partitions).toBe(1);
    await hub.setProfile({ dbPool: { size: 7 } });
    expect(hub.profile.knobs.dbPool.size).toBe(7);
    expect(
      (await scrape(hub.metricsUrl)).find((s) => s.name === 'mysql_global_variables_max_connections')?.value,
    ).toBe(7);
    const put = await driver.request(
      hub.adminUrl,
      'PUT',
      '/admin/profile',
      {},
      JSON.stringify({ profile: 'cpu-throttled' }),
    );
    expect(put.status).toBe(200);
    expect(hub.profile.name).toBe('cpu-throttled');
    const bad = await driver.request(
      hub.adminUrl,
      'PUT',
      '/admin/profile',
      {},
      JSON.stringify({ knobs: { dbPool: { sise: 3 } } }),
    );
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).errorInformation.errorDescription).toMatch(
      /HUB_KNOB_INVALID: knobs.dbPool.sise: unknown knob/,
    );
    await expect(hub.setProfile('nope' as HubProfileName)).rejects.toThrow(/unknown hub profile "nope"/);
  });
});

describe('metrics documentation', () => {
  it('lists every metric name the hub emits in the README', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const hub = await startHub();
    open = { hub, driver: new FspiopDriver(hub.url, hub.adminUrl) };
    const text = await (await fetch(hub.metricsUrl)).text();
    const names = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(50);
    expect(names.filter((n) => !readme.includes(`\`${n}\``))).toEqual([]);
    // Every profile's evidence names metrics the hub emits.
    for (const p of Object.values(HUB_PROFILES)) {
      const used = [...p.evidence.matchAll(/\b((?:moja|mojaloop|kafka|mysql|container|kube)_[a-z_]+)/g)].map(
        (m) => m[1]!.replace(/_(bucket|count|sum)$/, ''),
      );
      expect(used.length).toBeGreaterThan(0);
      expect([p.name, used.filter((n) => !names.includes(n))]).toEqual([p.name, []]);
    }
  });
});
