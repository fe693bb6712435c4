import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsExport } from '@mlperf/core';
import {
  CATALOGUE,
  catalogueFor,
  exportQueries,
  findPrometheusBinary,
  freePort,
  type LiveValue,
  openPrometheusSession,
  type PrometheusClient,
  ruleFileYaml,
  type RunningPrometheus,
  validationRecordingRules,
  startPrivatePrometheus,
  validateQueryLive,
  watchQueries,
} from '@mlperf/core/promql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { untilScraped } from '@mlperf/testkit';
import { type MetricsServer, startMetricsServer } from './metrics-server.js';
import { catalogueQuery } from '../../src/promql/catalogue.js';
import { privatePrometheusConfig } from '../../src/promql/private-prometheus.js';

const PROMTOOL_RULE_TESTS = `rule_files: [rules.yml]
evaluation_interval: 15s
tests:
  - interval: 15s
    input_series:
      - { series: 'moja_cl_transfer_prepare_count{job="ml-api-adapter",success="true"}', values: '0+15x40' }
      - { series: 'moja_cl_transfer_fulfil_count{job="central-ledger",success="true"}', values: '0+13.5x40' }
      - { series: 'moja_cl_transfer_fulfil_count{job="central-ledger",success="false"}', values: '0+1.5x40' }
    promql_expr_test:
      - expr: rate(mojaloop_transfer_success[1m])
        eval_time: 5m
        exp_samples: [{ labels: '{}', value: 0.9 }]
      - expr: rate(mojaloop_transfer_success[1m]) / rate(mojaloop_transfer_total[1m])
        eval_time: 5m
        exp_samples: [{ labels: '{}', value: 0.9 }]
      - expr: sum by (error_type) (rate(mojaloop_transfer_error[1m]))
        eval_time: 5m
        exp_samples: [{ labels: '{error_type="fulfil"}', value: 0.1 }]
  - interval: 15s
    input_series:
      - { series: 'moja_cl_transfer_prepare_count{job="hub",success="true"}', values: '0+15x40' }
      - { series: 'mojaloop_transfer_total{job="hub",instance="h:1"}', values: '0+15x40' }
    promql_expr_test:
      - expr: rate(mojaloop_transfer_total[1m])
        eval_time: 5m
        exp_samples: [{ labels: '{job="hub",instance="h:1"}', value: 1 }]
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function requirePrometheus(): string {
  const bin = findPrometheusBinary();
  if (!bin)
    throw new Error(
      "these tests need Debian's prometheus binary: apt-get install prometheus (CI installs it)",
    );
  return bin;
}

async function scalarOf(client: PrometheusClient, expr: string, time?: number): Promise<number | undefined> {
  const { data } = await client.query(expr, time === undefined ? {} : { time });
  if (data.resultType === 'scalar') return Number(data.result[1]);
  if (data.resultType !== 'vector' || data.result.length === 0) return undefined;
  return Number(data.result[0]?.value[1]);
}

function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  return vi.waitFor(
    async () => {
      const v = await fn();
      if (v === undefined) throw new Error('condition not met in time');
      return v;
    },
    { timeout: timeoutMs, interval: 250 },
  );
}

describe('private Prometheus (real Debian binary) scraping a /metrics server the test controls', () => {
  let server: MetricsServer;
  let prom: RunningPrometheus;
  let dir: string;
  const tps = 400;
  const successRatio = 0.95;

  beforeAll(async () => {
    requirePrometheus();
    dir = await mkdtemp(join(tmpdir(), 'mlperf-promql-it-'));
    server = await startMetricsServer({ tps, successRatio });
    const started = await startPrivatePrometheus({
      scrapeTargets: [{ job: 'engine', url: server.url }],
      recordingRules: validationRecordingRules({ interval: '1s' }),
    });
    if (!started.running) throw new Error(started.reason);
    prom = started;
    // Enough samples for 10s windows.
    await untilScraped(prom.client, { count: 12 });
  });

  afterAll(async () => {
    await prom?.stop();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('starts on a loopback port, reports its version and scrapes the target', async () => {
    expect(prom.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(prom.version).toMatch(/^\d+\.\d+/);
    expect(await prom.client.ready()).toBe(true);
    const { data } = await prom.client.targets();
    expect(data.activeTargets.map((t) => [t.labels.job, t.health])).toEqual([['engine', 'up']]);
  });

  it("TPS and success rate measured by Prometheus agree with the server's own counts within 5%", async () => {
    const at = Date.now() / 1000 - 1;
    const promTps = await scalarOf(
      prom.client,
      'sum(rate(mlperf_transfers_total{outcome="success"}[10s]))',
      at,
    );
    const ownTps = (server.successAt(at * 1000) - server.successAt((at - 10) * 1000)) / 10;
    expect(promTps).toBeDefined();
    expect(Math.abs((promTps as number) - ownTps) / ownTps).toBeLessThan(0.05);
    const rate = await scalarOf(
      prom.client,
      catalogueQuery('engine_success_rate').promql.replaceAll('[1m]', '[10s]'),
    );
    expect(Math.abs((rate as number) - successRatio) / successRatio).toBeLessThan(0.05);
    // With the load stopped, the scraped counters equal the server's exactly.
    server.pause(true);
    const counts = server.counts();
    const poll = (expr: string) => expect.poll(() => scalarOf(prom.client, expr), { timeout: 15_000 });
    await poll('sum(mlperf_transfers_total{outcome="success"})').toBe(counts.success);
    await poll('sum(mlperf_transfers_total)').toBe(counts.prepares);
    // The Phase-07 plan's names, defined by the recording rules, count the same transfers.
    await poll('mojaloop_transfer_success').toBe(counts.success);
    await poll('mojaloop_transfer_total').toBe(counts.prepares);
    server.pause(false);
  });

  it("answers the Phase-07 plan's validation queries verbatim through the recording rules", async () => {
    // Less than a minute of data: [1m] rates are low for both, but must agree.
    const tpsValidation = await scalarOf(prom.client, catalogueQuery('validation_actual_tps').promql);
    const tpsRaw = await scalarOf(
      prom.client,
      'sum(rate(moja_cl_transfer_fulfil_count{success="true"}[1m]))',
    );
    expect(tpsValidation).toBeGreaterThan(0);
    expect(Math.abs((tpsValidation as number) / (tpsRaw as number) - 1)).toBeLessThan(0.15);
    const rate = await scalarOf(prom.client, catalogueQuery('validation_success_rate').promql);
    expect(rate).toBeCloseTo(successRatio, 1);
    const p95 = await scalarOf(prom.client, catalogueQuery('validation_p95_latency_seconds').promql);
    expect(p95).toBeGreaterThan(0.1);
    expect(p95).toBeLessThanOrEqual(0.25);
    const { data } = await prom.client.query(catalogueQuery('validation_error_rate_by_type').promql);
    expect(data.resultType).toBe('vector');
    const byType =
      data.resultType === 'vector'
        ? Object.fromEntries(data.result.map((s) => [s.metric.error_type, Number(s.value[1])]))
        : {};
    expect(byType.fulfil).toBeGreaterThan(0);
  });

  it('answers the catalogue queries whose metrics the target serves', async () => {
    const expected: Record<string, [number, number]> = {
      engine_tps: [tps * successRatio * 0.7, tps * 1.3],
      engine_success_rate: [0.9, 1],
      engine_p95_ms: [100, 250],
      mojaloop_tps: [tps * successRatio * 0.7, tps * 1.3],
      mojaloop_success_rate: [0.9, 1],
      mojaloop_p95_ms: [100, 250],
      mojaloop_fulfil_prepare_ratio: [0.95, 1.05],
      memory_working_set_ratio: [0.5, 0.5],
      cpu_throttling_ratio: [0.2, 0.3],
      db_connections_ratio: [0.3, 0.3],
      event_loop_lag_seconds: [0.012, 0.012],
      kafka_consumer_lag: [1, 1e6],
      kafka_consumer_lag_growth: [1, 100],
      engine_in_flight: [7, 7],
      service_up: [1, 1],
    };
    const short = catalogueFor({ window: '10s' });
    for (const [name, [lo, hi]] of Object.entries(expected)) {
      const value = await scalarOf(prom.client, catalogueQuery(name, short).promql);
      expect(value, name).toBeDefined();
      expect(value, name).toBeGreaterThanOrEqual(lo - 1e-9);
      expect(value, name).toBeLessThanOrEqual(hi + 1e-9);
    }
    // Every catalogue query runs without a Prometheus error, data or not.
    for (const q of CATALOGUE) await prom.client.query(q.promql);
  });

  it('serves series, label values, metadata, alerts and build info', async () => {
    const series = await prom.client.series(['mlperf_transfers_total']);
    expect(series.data.map((s) => s.outcome).sort()).toEqual(['fspiop-error', 'success']);
    expect((await prom.client.labelValues('outcome')).data).toEqual(['fspiop-error', 'success']);
    expect((await prom.client.labelNames()).data).toContain('consumergroup');
    const types = await prom.client.metricTypes();
    expect(types.mlperf_transfers_total).toBe('counter');
    expect(types.kafka_consumergroup_lag).toBe('gauge');
    expect((await prom.client.alerts()).data.alerts).toEqual([]);
    expect((await prom.client.buildInfo()).data.version).toBe(prom.version);
  });

  it('maps Prometheus errors: bad_data for an invalid query, too many points, unreachable', async () => {
    await expect(prom.client.query('rate(x[1m]')).rejects.toMatchObject({
      code: 'PROMQL_BAD_DATA',
      exitCode: 2,
    });
    const now = Date.now() / 1000;
    await expect(
      prom.client.queryRange('up', { start: now - 86_400, end: now, step: 1 }),
    ).rejects.toMatchObject({ code: 'PROMQL_BAD_DATA' });
    // The chosen step keeps a day under 11,000 points, and Prometheus accepts it.
    const day = await prom.client.queryRange('up', { start: now - 86_400, end: now });
    expect(day.step).toBe(10);
    expect(day.data[0]?.values.length).toBeGreaterThanOrEqual(1);
  });

  it('lints against the live server: metadata types and selectors with no series', async () => {
    const gauge = await validateQueryLive('rate(mlperf_inflight_transfers[1m])', { client: prom.client });
    expect(gauge.map((d) => d.rule)).toEqual(['rate-non-counter']);
    expect(gauge[0]?.message).toContain('gauge');
    const typo = await validateQueryLive('sum(rate(mlperf_transfers_totl[1m]))', { client: prom.client });
    expect(typo.map((d) => d.rule)).toEqual(['rate-non-counter', 'no-series']);
    expect(typo[1]?.hint).toBe('did you mean `mlperf_transfers_total`?');
    const labels = await validateQueryLive('mlperf_transfers_total{outcome="nope"}', { client: prom.client });
    expect(labels[0]?.message).toContain('exists, but not with these labels');
    expect(await validateQueryLive(catalogueQuery('engine_tps').promql, { client: prom.client })).toEqual([]);
  });

  it('exports each named query over the window to metrics/<name>.json', async () => {
    const end = Date.now() / 1000;
    const queries = ['engine_tps', 'engine_success_rate', 'validation_actual_tps'].map((n) =>
      catalogueQuery(n),
    );
    const report = await exportQueries({ client: prom.client, queries, start: end - 10, end, dir });
    expect(report.exported).toEqual(['engine_tps', 'engine_success_rate', 'validation_actual_tps']);
    expect(report.skipped).toEqual([]);
    expect(report.missing).toEqual([]);
    expect((await readdir(join(dir, 'metrics'))).sort()).toEqual([
      'engine_success_rate.json',
      'engine_tps.json',
      'validation_actual_tps.json',
    ]);
    const file = JSON.parse(await readFile(join(dir, 'metrics', 'engine_tps.json'), 'utf8')) as MetricsExport;
    expect(file).toMatchObject({
      schemaVersion: 1,
      name: 'engine_tps',
      query: catalogueQuery('engine_tps').promql,
      unit: 'tps',
      step: 1,
      source: 'prometheus',
      resultType: 'matrix',
    });
    expect(file.result[0]?.values.length).toBe(11);
    expect(file.missing).toBeUndefined();
  });

  it('samples the live-view queries every interval', async () => {
    const updates: number[] = [];
    const watch = watchQueries({
      client: prom.client,
      queries: CATALOGUE.filter((q) => q.live),
      intervalMs: 200,
      onUpdate: (values) => updates.push(values.length),
    });
    await until(async () => (updates.length >= 2 ? true : undefined));
    await watch.stop();
    const byName = Object.fromEntries(watch.latest().map((v) => [v.name, v]));
    expect(byName.engine_tps?.value).toBeGreaterThan(0);
    expect(byName.memory_working_set_ratio?.value).toBe(0.5);
    expect(byName.engine_tps?.error).toBeUndefined();
  });

  it('generates a config and rule file promtool accepts', async () => {
    const rules = join(dir, 'rules.yml');
    await writeFile(rules, ruleFileYaml(validationRecordingRules()));
    const config = join(dir, 'prometheus.yml');
    await writeFile(
      config,
      privatePrometheusConfig(
        [
          { job: 'hub', url: 'http://127.0.0.1:9/metrics?x=1' },
          { job: 'hub', url: 'http://127.0.0.1:10/other' },
        ],
        '1s',
        [rules],
      ),
    );
    const promtool = join(requirePrometheus(), '..', 'promtool');
    expect(execFileSync(promtool, ['check', 'rules', rules], { encoding: 'utf8' })).toContain(
      'SUCCESS: 7 rules found',
    );
    expect(execFileSync(promtool, ['check', 'config', config], { encoding: 'utf8' })).toContain('SUCCESS');
    // promtool's rule unit tests run the Phase-07 plan's queries verbatim over the recorded names, and check
    // that a target exposing the Phase-07 plan names itself (the embedded hub) wins over the rules.
    const unitTests = join(dir, 'rules.test.yml');
    await writeFile(unitTests, PROMTOOL_RULE_TESTS);
    expect(execFileSync(promtool, ['test', 'rules', unitTests], { encoding: 'utf8', cwd: dir })).toContain(
      'SUCCESS',
    );
  });
});

describe('Prometheus faults', () => {
  it('records the window Prometheus was down mid-run, and keeps the data around it', async () => {
    requirePrometheus();
    const server = await startMetricsServer({ tps: 100, successRatio: 1 });
    const dataDir = await mkdtemp(join(tmpdir(), 'mlperf-promql-crash-'));
    const runDir = join(dataDir, 'run');
    let second: RunningPrometheus | undefined;
    try {
      const first = await startPrivatePrometheus({
        scrapeTargets: [{ job: 'engine', url: server.url }],
        dataDir,
      });
      if (!first.running) throw new Error(first.reason);
      const start = Math.ceil(Date.now() / 1000);
      await untilScraped(first.client, { count: 3 });
      await first.kill();
      const downAt = Date.now() / 1000;
      await sleep(5000); // the outage under test: at least 4 s without scrapes
      const restarted = await startPrivatePrometheus({
        scrapeTargets: [{ job: 'engine', url: server.url }],
        dataDir,
      });
      if (!restarted.running) throw new Error(restarted.reason);
      second = restarted;
      const upAt = Date.now() / 1000;
      await untilScraped(second.client, { after: upAt + 1 });
      const end = Math.floor(Date.now() / 1000);
      const report = await exportQueries({
        client: second.client,
        queries: [catalogueQuery('engine_tps')],
        start,
        end,
        dir: runDir,
      });
      expect(report.missing.length).toBeGreaterThanOrEqual(1);
      const gap = report.missing.find((w) => w.end - w.start >= 4);
      expect(gap, JSON.stringify(report.missing)).toBeDefined();
      expect(gap?.start).toBeGreaterThanOrEqual(downAt - 4);
      expect(gap?.end).toBeLessThanOrEqual(upAt + 2);
      const file = JSON.parse(
        await readFile(join(runDir, 'metrics', 'engine_tps.json'), 'utf8'),
      ) as MetricsExport;
      expect(file.missing?.length).toBe(report.missing.length);
      const times = file.result[0]?.values.map(([t]) => t) ?? [];
      expect(times.some((t) => t < downAt)).toBe(true);
      expect(times.some((t) => t > upAt)).toBe(true);
    } finally {
      await second?.stop();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('restarts a private Prometheus that dies mid-run; the export records the gap', async () => {
    requirePrometheus();
    const server = await startMetricsServer({ tps: 50, successRatio: 1 });
    const dir = await mkdtemp(join(tmpdir(), 'mlperf-promql-restart-'));
    const prom = await startPrivatePrometheus({
      scrapeTargets: [{ job: 'engine', url: server.url }],
      restartOnCrash: true,
    });
    try {
      if (!prom.running) throw new Error(prom.reason);
      const start = Math.ceil(Date.now() / 1000);
      await untilScraped(prom.client, { count: 2 });
      const firstPid = prom.pid;
      process.kill(firstPid, 'SIGKILL');
      await until(async () => prom.crashes[0]?.upAt);
      expect(prom.pid).not.toBe(firstPid);
      const crash = prom.crashes[0] as { downAt: number; upAt: number };
      await until(async () => {
        const { data } = await prom.client.query('up', { time: Date.now() / 1000 });
        return data.resultType === 'vector' && data.result.length > 0 && Date.now() / 1000 > crash.upAt + 6
          ? true
          : undefined;
      }, 20_000);
      const report = await exportQueries({
        client: prom.client,
        queries: [catalogueQuery('engine_tps')],
        start,
        end: Date.now() / 1000,
        dir,
      });
      const gap = report.missing.find((w) => w.start <= crash.downAt + 1 && w.end >= crash.upAt);
      expect(gap, JSON.stringify({ crash, missing: report.missing })).toBeDefined();
      expect(report.exported).toEqual(['engine_tps']);
    } finally {
      await prom.stop();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exports with every window missing when Prometheus is gone at export time', async () => {
    requirePrometheus();
    const server = await startMetricsServer({ tps: 10, successRatio: 1 });
    const dir = await mkdtemp(join(tmpdir(), 'mlperf-promql-gone-'));
    try {
      const prom = await startPrivatePrometheus({
        scrapeTargets: [{ job: 'engine', url: server.url }],
        waitForFirstScrape: false,
      });
      if (!prom.running) throw new Error(prom.reason);
      await prom.stop();
      const end = Date.now() / 1000;
      const report = await exportQueries({
        client: prom.client,
        queries: [catalogueQuery('engine_tps'), catalogueQuery('cpu_usage_ratio')],
        start: end - 60,
        end,
        dir,
      });
      expect(report.exported).toEqual([]);
      expect(report.skipped.map((s) => s.name)).toEqual(['engine_tps', 'cpu_usage_ratio']);
      const file = JSON.parse(
        await readFile(join(dir, 'metrics', 'cpu_usage_ratio.json'), 'utf8'),
      ) as MetricsExport;
      expect(file.result).toEqual([]);
      expect(file.missing?.[0]?.reason).toMatch(
        /^Prometheus unreachable at export: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/,
      );
      // The live sampler reports the error instead of throwing.
      const watch = watchQueries({
        client: prom.client,
        queries: [catalogueQuery('engine_tps')],
        intervalMs: 100,
      });
      await until(async () => (watch.latest().length > 0 ? true : undefined));
      await watch.stop();
      expect(watch.latest()[0]?.error).toMatch(/^PROMETHEUS_UNREACHABLE/);
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('returns a degraded result, saying what is skipped and how to install, without a binary', async () => {
    const result = await startPrivatePrometheus({ scrapeTargets: [], binary: '/nonexistent/prometheus' });
    expect(result.running).toBe(false);
    if (result.running) return;
    expect(result.reason).toBe('no executable prometheus at /nonexistent/prometheus');
    expect(result.install).toContain('apt-get install prometheus');
    expect(result.skipped.length).toBeGreaterThan(0);
    await result.stop();
  });

  it('fails clearly when the binary is not Prometheus', async () => {
    await expect(
      startPrivatePrometheus({ scrapeTargets: [], binary: '/bin/false', readyTimeoutMs: 5000 }),
    ).rejects.toMatchObject({ code: 'PROMETHEUS_START_FAILED', exitCode: 3 });
  });
});

describe('openPrometheusSession: private, external or degraded', () => {
  it('runs a private Prometheus for the run: live view, then the export for run.json', async () => {
    requirePrometheus();
    const server = await startMetricsServer({ tps: 50, successRatio: 1 });
    const dir = await mkdtemp(join(tmpdir(), 'mlperf-promql-session-'));
    const session = await openPrometheusSession({
      scrapeTargets: [{ job: 'engine', url: server.url }],
      logFile: join(dir, 'logs', 'prometheus.log'),
      catalogue: { window: '5s' },
      env: {},
    });
    try {
      expect(session.mode).toBe('private');
      const updates: LiveValue[][] = [];
      const watch = session.watch((v) => updates.push(v), 200);
      const start = Date.now() / 1000;
      await until(async () =>
        updates.some((u) => u.find((v) => v.name === 'engine_tps')?.value) ? true : undefined,
      );
      await watch?.stop();
      expect(updates.at(-1)?.map((v) => v.name)).toEqual(
        session.queries.filter((q) => q.live).map((q) => q.name),
      );
      // The same Prometheus, given as an external one.
      const external = await openPrometheusSession({ prometheusUrl: session.url as string, env: {} });
      expect(external.mode).toBe('external');
      const metrics = await external.exportRun({ start, end: Date.now() / 1000, dir });
      expect(metrics.skipped).toEqual([]);
      expect(metrics.exported).toContain('engine_tps');
      expect(metrics.exported).not.toContain('k6_tps');
      expect((await readdir(join(dir, 'metrics'))).length).toBe(session.queries.length);
      expect(await readFile(join(dir, 'logs', 'prometheus.log'), 'utf8')).toContain('Server is ready');
    } finally {
      await session.stop();
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly when the given Prometheus is down, and degrades without a binary', async () => {
    const port = await freePort();
    await expect(
      openPrometheusSession({ prometheusUrl: `http://127.0.0.1:${port}`, env: {} }),
    ).rejects.toMatchObject({
      code: 'PROMETHEUS_UNREACHABLE',
      exitCode: 3,
    });
    const degraded = await openPrometheusSession({
      binary: '/nonexistent/prometheus',
      scrapeTargets: [],
      env: {},
    });
    expect(degraded.mode).toBe('degraded');
    expect(degraded.degraded?.install).toContain('apt-get install prometheus');
    expect(degraded.watch(() => {})).toBeUndefined();
    const metrics = await degraded.exportRun({ start: 0, end: 60, dir: '/nonexistent' });
    expect(metrics.exported).toEqual([]);
    expect(metrics.skipped.length).toBe(degraded.queries.length);
    expect(metrics.skipped[0]?.reason).toBe(
      'no Prometheus: no executable prometheus at /nonexistent/prometheus; install: apt-get install prometheus (Debian/Ubuntu), or set MLPERF_PROMETHEUS_BIN to a prometheus binary',
    );
  });
});
