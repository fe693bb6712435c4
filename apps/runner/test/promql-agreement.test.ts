import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResults, type SuiteDefinition } from '@mlperf/core';
import {
  findPrometheusBinary,
  freePort,
  openPrometheusSession,
  type PrometheusClient,
} from '@mlperf/core/promql';
import { startHub } from '@mlperf/hub';
import { runTest, standardSuite } from '@mlperf/scenarios';
import { expect, it } from 'vitest';
import { untilScraped } from '@mlperf/testkit';

/** Raw samples of every series matching `selector` over the last `seconds`, summed per scrape timestamp. */
async function summedSamples(
  client: PrometheusClient,
  selector: string,
  seconds: number,
): Promise<[number, number][]> {
  const { data } = await client.query(`${selector}[${seconds}s]`);
  if (data.resultType !== 'matrix') throw new Error(`expected a matrix for ${selector}`);
  const byTime = new Map<number, number>();
  for (const s of data.result) for (const [t, v] of s.values) byTime.set(t, (byTime.get(t) ?? 0) + Number(v));
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]);
}

it('hub + engine + private Prometheus: Prometheus-measured TPS and success rate agree with the engine within 5%', async () => {
  if (!findPrometheusBinary())
    throw new Error("needs Debian's prometheus binary: apt-get install prometheus");
  const out = await mkdtemp(join(tmpdir(), 'mlperf-agreement-'));
  const hub = await startHub({ isolation: 'process', profile: 'healthy' });
  const port = await freePort();
  const session = await openPrometheusSession({
    scrapeTargets: [
      { job: 'hub', url: hub.metricsUrl },
      { job: 'engine', url: `http://127.0.0.1:${port}/metrics` },
    ],
    // 2 s scrapes (and timeouts): this test shares two CPUs with everything else CI runs.
    scrapeInterval: '2s',
    catalogue: { window: '10s' },
    env: {},
  });
  try {
    expect(session.mode).toBe('private');
    const client = session.client as PrometheusClient;
    const base = standardSuite();
    const suite: SuiteDefinition = {
      ...base,
      transfer: { ...base.transfer, payeeRejectRatio: 0.1 },
      tests: [
        {
          id: 'agree',
          name: 'Agreement',
          kind: 'custom',
          stages: [
            { kind: 'constant', rate: 200, duration: '12s' },
            { kind: 'constant', rate: 5, duration: '4s' },
          ],
          criteria: [],
        },
      ],
    };
    const started = Date.now() / 1000;
    const r = await runTest({
      suite,
      test: 'agree',
      target: { url: hub.url, adminUrl: hub.adminUrl, kind: 'embedded', hubProfile: 'healthy' },
      out,
      callback: { port },
      minFreeBytes: 0,
    });
    const ended = Date.now() / 1000;
    expect(r.status).toBe('completed');

    // The hub keeps serving /metrics after the run, so Prometheus' last scrape of its counters holds
    // the whole run; the engine's /metrics closes with the run, so its last scrape may miss the final
    // second(s): compare ratios there, and check that every scraped value is one of the engine's own
    // running totals.
    await untilScraped(client, { after: ended + 1 });
    const span = Math.ceil(Date.now() / 1000 - started) + 5;
    const samples = (selector: string) => summedSamples(client, selector, span);
    const last = async (selector: string) => (await samples(selector)).at(-1)?.[1] ?? 0;
    const engineFailed = Object.values(r.totals.failed).reduce((a, b) => a + b, 0);
    const engineSucceeded = r.totals.succeeded;
    const durationS = ended - started;
    const within5 = (measured: number, own: number, what: string) =>
      expect(Math.abs(measured - own) / own, `${what}: Prometheus ${measured} vs engine ${own}`).toBeLessThan(
        0.05,
      );

    const hubCommitted = await last('moja_cl_transfers_total{outcome="committed"}');
    within5(hubCommitted / durationS, engineSucceeded / durationS, 'TPS');

    const engineSuccessRate = engineSucceeded / (engineSucceeded + engineFailed);
    expect(engineSuccessRate).toBeGreaterThan(0.85);
    expect(engineSuccessRate).toBeLessThan(0.95);
    const hubAborted = await last('moja_cl_transfers_total{outcome="aborted"}');
    within5(hubCommitted / (hubCommitted + hubAborted), engineSuccessRate, 'success rate (hub metrics)');
    const promSucceeded = await last('mlperf_transfers_total{outcome="success"}');
    within5(
      promSucceeded / (await last('mlperf_transfers_total')),
      engineSuccessRate,
      'success rate (engine metrics)',
    );

    let running = 0;
    const ownTotals = new Set([0, ...readResults(r.dir).timeseries.map((s) => (running += s.succeeded))]);
    const scraped = await samples('mlperf_transfers_total{outcome="success"}');
    expect(scraped.length).toBeGreaterThanOrEqual(2);
    expect(promSucceeded).toBeGreaterThan(0);
    for (const [, v] of scraped)
      expect(ownTotals.has(v), `scraped ${v} is not an engine running total`).toBe(true);

    // The Phase-07 plan's query verbatim: the hub exposes the Phase-07 plan names, so the recording rules stay silent.
    const seed = await client.query('rate(mojaloop_transfer_success[1m])', { time: ended });
    expect(seed.data.resultType === 'vector' && seed.data.result.length).toBe(1);

    // The catalogue export for run.json.
    const metrics = await session.exportRun({ start: started, end: ended, dir: r.dir });
    expect(metrics.skipped).toEqual([]);
    const exported = readResults(r.dir).metrics;
    for (const name of [
      'engine_tps',
      'engine_success_rate',
      'engine_p95_ms',
      'mojaloop_tps',
      'validation_actual_tps',
      'cpu_usage_ratio',
      'kafka_consumer_lag',
    ]) {
      expect(exported[name]?.result.length, name).toBeGreaterThan(0);
    }
  } finally {
    await session.stop();
    await hub.stop();
    await rm(out, { recursive: true, force: true });
  }
}, 120_000);
