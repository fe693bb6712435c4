import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HubHandle, startHub } from '@mlperf/hub';
import {
  findPrometheusBinary,
  PrometheusClient,
  type RunningPrometheus,
  startPrivatePrometheus,
} from '@mlperf/core/promql';
import {
  type DfspSim,
  findK6,
  HubAdmin,
  k6RunQueries,
  renderK6Script,
  standardSuite,
  startDfspSim,
} from '@mlperf/scenarios';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testContext } from '../../src/k6/context.js';
import { loadK6Script, type ShimRequest } from './k6-in-node.js';

const prometheus = findPrometheusBinary();
const k6 = findK6();
const RUN = 'k6-queries-run';
const DFSP_SIM_OUTCOMES = 'mlperf_dfsp_sim_transfers_total';
const suite = standardSuite();
let hub: HubHandle | undefined;
let sim: DfspSim | undefined;
let prom: RunningPrometheus | undefined;
let target: Server | undefined;
const dir = mkdtempSync(join(tmpdir(), 'mlperf-k6-queries-'));

afterAll(async () => {
  if (target) await new Promise<void>((r) => target?.close(() => r()));
  await prom?.stop();
  await sim?.close();
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * 100 transfers of the rendered k6 script through the embedded hub, in two batches: outcomes land at
 * the simulator. The second batch waits until Prometheus has scraped the first, so the outcome
 * counter has two samples that differ (a counter first seen at its final value has a rate of 0, and
 * the success ratio 0/0 would be NaN however long the test waits).
 */
async function transfersThroughSimulator(s: DfspSim, h: HubHandle, client: PrometheusClient): Promise<void> {
  await sendTransfers(s, h, 50);
  const counted = async () => {
    const r = await client.query(`sum(${DFSP_SIM_OUTCOMES})`);
    const v = r.data.result as { value: [number, string] }[];
    return Number(v[0]?.value[1] ?? 0);
  };
  await vi.waitFor(
    async () => {
      if ((await counted()) !== 50) throw new Error('Prometheus has not scraped the first batch yet');
    },
    { timeout: 60_000, interval: 250 },
  );
  await sendTransfers(s, h, 50);
}

async function sendTransfers(s: DfspSim, h: HubHandle, n: number): Promise<void> {
  const script = renderK6Script(testContext(suite, 'target-1000tps'), { hubUrl: h.url, dfspSimUrl: s.url });
  const captured: ShimRequest[] = [];
  const shim = loadK6Script(script, (req) => {
    captured.push(req);
    return { status: 202, body: '' };
  });
  for (let i = 0; i < n; i++) shim.iteration();
  const sent = await Promise.all(
    captured.map((r) =>
      fetch(r.url, {
        method: r.method,
        headers: r.params.headers ?? {},
        ...(r.body ? { body: r.body } : {}),
      }),
    ),
  );
  expect(sent.every((r) => r.status === 202)).toBe(true);
}

/** k6 remote-writing a run with the executors' metric names, tag and settings; it drops arrivals (2 VUs). */
async function k6RemoteWrite(promUrl: string): Promise<void> {
  target = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 202;
      res.end();
    });
  });
  await new Promise<void>((r) => target?.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/transfers`;
  const script = join(dir, 'script.js');
  writeFileSync(
    script,
    `import http from 'k6/http';
import { sleep } from 'k6';
import { Rate, Trend } from 'k6/metrics';
const ack = new Trend('transfer_prepare_ack_duration', true);
const accepted = new Rate('transfer_prepare_accepted');
export const options = { scenarios: { s: { executor: 'constant-arrival-rate', rate: 20, timeUnit: '1s', duration: '4s', preAllocatedVUs: 2, maxVUs: 2 } } };
export default function () {
  const r = http.post('${url}', '{}');
  ack.add(r.timings.duration);
  accepted.add(r.status === 202);
  sleep(0.2);
}
`,
  );
  const env = {
    ...process.env,
    K6_PROMETHEUS_RW_SERVER_URL: `${promUrl}/api/v1/write`,
    K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
    K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
  };
  const args = [
    'run',
    '--quiet',
    '--no-color',
    '-o',
    'experimental-prometheus-rw',
    '--tag',
    `testid=${RUN}`,
    script,
  ];
  await new Promise<void>((resolve, reject) =>
    execFile(k6 as string, args, { env }, (err, _o, stderr) => (err ? reject(new Error(stderr)) : resolve())),
  );
}

describe.skipIf(!prometheus || !k6)(
  `k6 run queries against a real Prometheus, real k6 remote write and the DFSP simulator${prometheus && k6 ? '' : ' (skipped: no prometheus or no k6 binary; set MLPERF_K6)'}`,
  () => {
    beforeAll(async () => {
      hub = await startHub({ profile: 'healthy' });
      sim = await startDfspSim({ hubUrl: hub.url });
      const s = sim;
      await new HubAdmin(hub.adminUrl).registerCallbacks(
        suite.dfsps.map((d) => d.id),
        (d) => `${s.url}/${d}`,
      );
      const started = await startPrivatePrometheus({
        scrapeTargets: [{ job: 'dfsp-sim', url: `${sim.url}/metrics` }],
        remoteWriteReceiver: true,
        nativeHistograms: true,
      });
      if (!started.running) throw new Error(started.reason);
      prom = started;
      const client = new PrometheusClient({ url: prom.url });
      await Promise.all([transfersThroughSimulator(sim, hub, client), k6RemoteWrite(prom.url)]);
    }, 120_000);

    it('every query names series that exist and gives a value', async () => {
      const client = new PrometheusClient({ url: (prom as RunningPrometheus).url });
      const value = async (promql: string) => {
        const r = await client.query(promql);
        const v = r.data.result as { value: [number, string] }[];
        return v.length === 1 ? Number(v[0]?.value[1]) : Number.NaN;
      };
      const queries = k6RunQueries(RUN);
      for (const q of queries) {
        await expect.poll(() => value(q.promql), { timeout: 30_000, message: q.name }).not.toBeNaN();
      }
      const byName = Object.fromEntries(
        await Promise.all(queries.map(async (q) => [q.name, await value(q.promql)])),
      );
      expect(byName.dfsp_sim_success_ratio).toBe(1);
      expect(byName.k6_run_accepted_ratio).toBe(1);
      expect(byName.k6_run_tps).toBeGreaterThan(0);
      expect(byName.k6_run_dropped).toBeGreaterThan(0);
      expect(byName.dfsp_sim_committed_tps).toBeGreaterThan(0);
      expect(byName.dfsp_sim_e2e_p50).toBeLessThanOrEqual(byName.dfsp_sim_e2e_p99);
      // Another run's testid selects nothing of this one.
      expect(await value(k6RunQueries('another-run')[0]?.promql as string)).toBeNaN();
    }, 90_000);
  },
);
