// Real load against the embedded hub, per fault profile, scraped by a private Prometheus and exported
// through the PromQL catalogue; the analyzer's top finding must name the injected cause.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRun, snapshotOf } from '@mlperf/analysis';
import type { AnalysisResult, TestDefinition, TimeseriesRecord } from '@mlperf/core';
import { ResultsWriter } from '@mlperf/core';
import {
  type ExportableQuery,
  catalogueFor,
  exportQueries,
  findPrometheusBinary,
  type RunningPrometheus,
  startPrivatePrometheus,
} from '@mlperf/core/promql';
import { type HubHandle, type HubProfileName, startHub } from '@mlperf/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FspiopDriver, type Outcome } from '../../../packages/hub/test/support/fspiop-driver.js';

const prometheusBin = findPrometheusBinary();
const CORRIDORS = [
  ['perffsp-1', 'perffsp-5', 8],
  ['perffsp-2', 'perffsp-6', 5],
  ['perffsp-3', 'perffsp-7', 4],
  ['perffsp-4', 'perffsp-8', 3],
] as const;
const PICK = CORRIDORS.flatMap(([payer, payee, n]) =>
  Array.from({ length: n }, () => [payer, payee] as const),
);
const WINDOW = '3s';
const QUERIES: ExportableQuery[] = [
  ...catalogueFor({ window: WINDOW, families: ['resources', 'saturation'] }),
  {
    name: 'db_pool_wait',
    promql: `histogram_quantile(0.95, sum by (le) (rate(moja_db_pool_wait_seconds_bucket[${WINDOW}])))`,
  },
  { name: 'mysql_global_status_threads_connected', promql: 'mysql_global_status_threads_connected' },
  { name: 'mysql_global_variables_max_connections', promql: 'mysql_global_variables_max_connections' },
  { name: 'kafka_consumergroup_lag', promql: 'kafka_consumergroup_lag' },
  { name: 'moja_service_up', promql: 'moja_service_up' },
];

let base: string;
let hub: HubHandle;
let prom: RunningPrometheus | undefined;
let driver: FspiopDriver;

beforeAll(async () => {
  if (!prometheusBin) return;
  base = mkdtempSync(join(tmpdir(), 'mlperf-analyze-hub-'));
  hub = await startHub({ isolation: 'process' });
  driver = new FspiopDriver(hub.url, hub.adminUrl);
  await driver.start(Array.from({ length: 8 }, (_, i) => `perffsp-${i + 1}`));
  const p = await startPrivatePrometheus({
    scrapeTargets: [{ job: 'hub', url: hub.metricsUrl }],
    scrapeInterval: '1s',
  });
  if (!p.running) throw new Error(p.reason);
  prom = p;
}, 90_000);

afterAll(async () => {
  await prom?.stop();
  driver?.agent.destroy();
  await hub?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
});

/** Open-model load at RATE for SECONDS, recorded per second through core's ResultsWriter; then the catalogue is exported. */
async function runProfile(
  profile: HubProfileName,
  RATE: number,
  kind: TestDefinition['kind'] = 'target',
  SECONDS = 9,
): Promise<AnalysisResult> {
  await hub.setProfile(profile);
  await hub.reset();
  const test: TestDefinition = {
    id: `hub-${profile}`,
    name: `hub ${profile}`,
    kind,
    stages: [{ kind: 'constant', rate: RATE, duration: `${SECONDS}s` }],
    warmup: '3s',
    cooldown: '1s',
    criteria: [
      { kind: 'achieved-rate', minRatio: 0.95 },
      { kind: 'success-rate', min: 0.995 },
      { kind: 'latency', percentile: 95, maxMs: 300 },
      { kind: 'no-memory-leak' },
    ],
  };
  const start = Date.now();
  const w = ResultsWriter.create(
    base,
    {
      runId: test.id,
      testId: test.id,
      testName: test.name,
      definition: {
        test,
        dfsps: [],
        corridors: CORRIDORS.map(([payer, payee, n]) => ({
          payer,
          payee,
          weight: n / 20,
          name: `${payer}->${payee}`,
        })),
        transfer: { amount: '1', expiration: '30s' },
      },
      target: { kind: 'embedded', url: hub.url, hubProfile: profile },
      executor: { kind: 'local' },
      versions: {},
      host: { hostname: 'test', platform: process.platform, cpus: 2, memoryBytes: 0 },
      startedAt: new Date(start).toISOString(),
      stages: [
        {
          index: 0,
          name: 'constant',
          kind: 'constant',
          startS: 0,
          endS: SECONDS,
          fromRate: RATE,
          toRate: RATE,
        },
      ],
    },
    { dirName: test.id, minFreeBytes: 0 },
  );
  const seconds = Array.from({ length: SECONDS + 30 }, () => ({
    ok: [] as number[],
    failed: {} as Record<string, number>,
    started: 0,
  }));
  const pending: Promise<void>[] = [];
  let sent = 0;
  while (Date.now() - start < SECONDS * 1000) {
    const due = Math.floor(((Date.now() - start) / 1000) * RATE) - sent;
    for (let i = 0; i < due; i++, sent++) {
      const [payer, payee] = PICK[sent % PICK.length] as readonly [string, string];
      const s = Math.floor((Date.now() - start) / 1000);
      (seconds[s] as { started: number }).started++;
      pending.push(
        driver.transfer(payer, payee, '1', 'fulfil', 10_000).then((o: Outcome) => {
          const b = seconds[
            Math.min(seconds.length - 1, Math.floor((Date.now() - start) / 1000))
          ] as (typeof seconds)[number];
          if (o.state === 'COMMITTED') b.ok.push(o.ms);
          else {
            const k = o.state === 'ABORTED' ? `fspiop:${o.errorCode}` : `http:${o.httpStatus}`;
            b.failed[k] = (b.failed[k] ?? 0) + 1;
          }
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  // Completions after the window are not recorded; give stragglers a moment, then move on.
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 4000))]);
  for (let s = 0; s < SECONDS; s++) {
    const b = seconds[s] as (typeof seconds)[number];
    const e2e = snapshotOf(b.ok);
    const rec: TimeseriesRecord = {
      t: start + s * 1000,
      s,
      stage: 0,
      offeredRate: RATE,
      offered: RATE,
      started: b.started,
      dropped: 0,
      succeeded: b.ok.length,
      failed: b.failed,
      inFlight: 0,
      latency: e2e ? { e2e } : {},
      corridors: {},
    };
    w.appendSecond(rec);
  }
  await new Promise((r) => setTimeout(r, 1500));
  await exportQueries({
    client: (prom as RunningPrometheus).client,
    queries: QUERIES,
    start: start / 1000,
    end: (start + SECONDS * 1000) / 1000,
    dir: w.dir,
    scrapeIntervalS: 1,
    step: 1,
  });
  w.finish('completed');
  return analyzeRun(w.dir);
}

const brief = (r: AnalysisResult) =>
  r.findings.map((f) => `${f.rank}. ${f.kind} ${f.subject ?? ''} (${f.confidence})`).join('; ');

describe.skipIf(!prometheusBin)('analyze against the embedded hub (real load, real Prometheus)', () => {
  it('healthy profile at the baseline rate: no bottleneck finding', async () => {
    const r = await runProfile('healthy', 50);
    expect(r.totals.succeeded, brief(r)).toBeGreaterThan(50 * 7);
    // The simulator's own process (job "hub", no container) shares this machine with every other
    // test: its event-loop lag measures the host, not an emulated service.
    const hostNoise = (f: AnalysisResult['findings'][number]) =>
      f.kind === 'event-loop-lag' && f.subject === 'hub';
    expect(
      r.findings.filter((f) => !hostNoise(f)),
      brief(r),
    ).toEqual([]);
  });

  const cases: [HubProfileName, string, string][] = [
    ['db-pool-exhausted', 'db-pool-exhausted', 'mysql'],
    ['cpu-throttled', 'cpu-throttling', 'central-ledger'],
    ['kafka-lag', 'kafka-lag', 'kafka:topic-transfer-position'],
  ];
  for (const [profile, kind, subject] of cases) {
    it(`${profile}: the top finding names the injected cause`, async () => {
      const r = await runProfile(profile, 300);
      expect(`${r.findings[0]?.kind} ${r.findings[0]?.subject}`, brief(r)).toBe(`${kind} ${subject}`);
      expect(
        r.findings.some((f) => f.kind === 'tps-plateau'),
        brief(r),
      ).toBe(true);
    });
  }

  it('memory-leak profile: flagged as a leak in central-ledger in an endurance run, with a projection', async () => {
    const r = await runProfile('memory-leak', 200, 'endurance', 18);
    const leak = r.endurance?.memory.find((m) => m.subject === 'central-ledger');
    expect(leak?.significant, brief(r)).toBe(true);
    expect(leak?.slopePerHour, brief(r)).toBeGreaterThan(0);
    expect(r.criteria.find((c) => c.id === 'no-memory-leak')?.status, brief(r)).toBe('fail');
    expect(
      r.findings.some((f) => f.kind === 'memory-leak' && f.subject === 'central-ledger'),
      brief(r),
    ).toBe(true);
    const emulated = ['ml-api-adapter', 'mysql', 'kafka'];
    expect(
      r.endurance?.memory.filter((m) => m.significant && emulated.includes(m.subject)),
      brief(r),
    ).toEqual([]);
    expect(r.findings.find((f) => f.kind === 'memory-leak')?.subject, brief(r)).toBe('central-ledger');
    expect(
      r.endurance?.exhaustion.find((e) => e.resource === 'memory' && e.subject === 'central-ledger')
        ?.hoursRemaining,
      brief(r),
    ).toBeGreaterThanOrEqual(0);
  });
});
