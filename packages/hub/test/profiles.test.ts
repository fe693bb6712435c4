import { afterEach, describe, expect, it } from 'vitest';
import { HUB_PROFILES, type HubHandle, type HubProfileName, startHub } from '@mlperf/hub';
import { FspiopDriver, type Outcome } from './support/fspiop-driver.js';
import { type Sample, scrape, sum } from './support/prom.js';

const DFSPS = Array.from({ length: 8 }, (_, i) => `perffsp-${i + 1}`);

interface Run {
  hub: HubHandle;
  driver: FspiopDriver;
  before: Sample[];
  /** Scrapes taken every 100 ms while the burst runs. */
  during: Sample[][];
  after: Sample[];
  outcomes: Outcome[];
}

let open: { hub: HubHandle; driver: FspiopDriver } | undefined;
afterEach(async () => {
  await open?.driver.stop();
  await open?.hub.stop();
  open = undefined;
});

/** A burst of `count` transfers over the seed corridors; scrapes /metrics before, mid-way and after. */
async function burst(profile: HubProfileName, count: number): Promise<Run> {
  const hub = await startHub({ profile });
  const driver = new FspiopDriver(hub.url, hub.adminUrl);
  open = { hub, driver };
  await driver.start(DFSPS);
  const before = await scrape(hub.metricsUrl);
  const jobs: Promise<Outcome>[] = [];
  for (let i = 0; i < count; i++)
    jobs.push(driver.transfer(`perffsp-${(i % 4) + 1}`, `perffsp-${(i % 4) + 5}`, '1'));
  let finished = false;
  const all = Promise.all(jobs).finally(() => {
    finished = true;
  });
  const during: Sample[][] = [];
  while (!finished && during.length < 40) {
    await new Promise((r) => setTimeout(r, 100));
    during.push(await scrape(hub.metricsUrl));
  }
  const outcomes = await all;
  const after = await scrape(hub.metricsUrl);
  return { hub, driver, before, during, after, outcomes };
}

const cl = { container: 'central-ledger' };

/** The highest value a metric reached in the scrapes taken during the burst. */
function peak(r: Run, name: string, match: Record<string, string> = {}): number {
  return Math.max(0, ...r.during.map((s) => sum(s, name, match)));
}

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

  it(`db-pool-exhausted: ${HUB_PROFILES['db-pool-exhausted'].evidence}`, async () => {
    const r = await burst('db-pool-exhausted', 400);
    expect(peak(r, 'mysql_global_variables_max_connections')).toBe(5);
    expect(peak(r, 'mysql_global_status_threads_connected')).toBe(5);
    expect(peak(r, 'moja_cl_db_pool_pending')).toBeGreaterThan(0);
    // Waiting for a connection dominates: the mean wait is above the 5 ms query time.
    const waitSum = sum(r.after, 'moja_cl_db_pool_wait_seconds_sum');
    const waitCount = sum(r.after, 'moja_cl_db_pool_wait_seconds_count');
    expect(waitSum / waitCount).toBeGreaterThan(0.005);
    expect(r.outcomes.filter((o) => o.state === 'COMMITTED').length).toBe(400);
  });

  it(`kafka-lag: ${HUB_PROFILES['kafka-lag'].evidence}`, async () => {
    const r = await burst('kafka-lag', 400);
    const position = peak(r, 'kafka_consumergroup_lag', { topic: 'topic-transfer-position' });
    expect(position).toBeGreaterThan(50);
    expect(position).toBeGreaterThan(peak(r, 'kafka_consumergroup_lag', { topic: 'topic-transfer-prepare' }));
    const partitions = r.during[0]!.filter(
      (s) => s.name === 'kafka_consumergroup_lag' && s.labels.topic === 'topic-transfer-position',
    );
    expect(partitions).toHaveLength(1);
    expect(sum(r.after, 'kafka_consumergroup_lag')).toBe(0);
  });

  it(`cpu-throttled: ${HUB_PROFILES['cpu-throttled'].evidence}`, async () => {
    const r = await burst('cpu-throttled', 400);
    const d = (name: string) => sum(r.after, name, cl) - sum(r.before, name, cl);
    const ratio = d('container_cpu_cfs_throttled_periods_total') / d('container_cpu_cfs_periods_total');
    expect(ratio).toBeGreaterThan(0.6);
    expect(sum(r.after, 'container_spec_cpu_quota', cl)).toBe(25_000);
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
