import { randomUUID } from 'node:crypto';
import { type HubHandle, startHub } from '@mlperf/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DfspSim,
  HubAdmin,
  prepareRequest,
  renderK6Script,
  standardSuite,
  startDfspSim,
} from '@mlperf/scenarios';
import { loadK6Script, type ShimRequest } from '../k6/k6-in-node.js';
import { testContext } from '../../src/k6/context.js';

const suite = standardSuite();
const dfspIds = suite.dfsps.map((d) => d.id);
let hub: HubHandle;
const sims: DfspSim[] = [];

beforeAll(async () => {
  hub = await startHub({ profile: 'healthy' });
});
afterAll(async () => {
  for (const s of sims) await s.close();
  await hub?.stop();
});

/** A simulator whose DFSPs the hub calls back (as `mlperf dfsp-sim --admin-url` registers them). */
async function simulator(options: { payeeRejectRatio?: number; secret?: string } = {}) {
  const sim = await startDfspSim({ hubUrl: hub.url, ...options });
  sims.push(sim);
  await new HubAdmin(hub.adminUrl).registerCallbacks(dfspIds, (d) => `${sim.url}/${d}`);
  return sim;
}

/**
 * The prepares a rendered k6 script sends for `n` iterations (captured in Node with k6 module
 * stand-ins), to be sent for real: k6 sends the prepare and moves on; the outcome is the simulator's.
 */
function k6Prepares(sim: DfspSim, n: number, env: Record<string, string> = {}): ShimRequest[] {
  const script = renderK6Script(testContext(suite, 'target-1000tps'), {
    hubUrl: hub.url,
    dfspSimUrl: sim.url,
  });
  const captured: ShimRequest[] = [];
  const s = loadK6Script(
    script,
    (req) => {
      captured.push(req);
      return { status: 202, body: '' };
    },
    env,
  );
  for (let i = 0; i < n; i++) s.iteration();
  return captured;
}

async function send(r: ShimRequest) {
  const res = await fetch(r.url, {
    method: r.method,
    headers: r.params.headers ?? {},
    ...(r.body ? { body: r.body } : {}),
  });
  return { status: res.status, text: await res.text() };
}

const metricSum = (text: string, name: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .reduce((s, l) => s + Number(l.split(' ').pop()), 0);

interface Second {
  t: number;
  succeeded: number;
  failed: Record<string, number>;
  e2e?: { count: number; max: number };
}

async function seconds(sim: DfspSim): Promise<Second[]> {
  return (await (await fetch(`${sim.url}/seconds/0/${Date.now() + 1000}`)).json()) as Second[];
}

async function resolved(sim: DfspSim): Promise<number> {
  return ((await (await fetch(`${sim.url}/status`)).json()) as { resolved: number }).resolved;
}

describe('DFSP simulator with the embedded hub', () => {
  it('records 300 transfers of the rendered script where their callbacks arrive, by second of start', async () => {
    const sim = await simulator();
    const t0 = Math.floor(Date.now() / 1000) * 1000;
    const prepares = k6Prepares(sim, 300);
    const posts = await Promise.all(prepares.map(send));
    expect(posts.filter((p) => p.status === 202)).toHaveLength(300);
    await expect.poll(() => resolved(sim), { timeout: 20_000 }).toBe(300);
    const secs = await seconds(sim);
    expect(secs.reduce((n, s) => n + s.succeeded, 0)).toBe(300);
    expect(secs.reduce((n, s) => n + (s.e2e?.count ?? 0), 0)).toBe(300);
    // Counted in the second the script started each transfer (k6 wrote it into the id), not later.
    expect(secs.every((s) => s.t >= t0 && s.t <= Date.now())).toBe(true);
    const metrics = await sim.metrics();
    expect(metricSum(metrics, 'mlperf_dfsp_sim_transfer_duration_seconds_count')).toBe(300);
    expect(metricSum(metrics, 'mlperf_dfsp_sim_transfers_total{outcome="success"')).toBe(300);
    expect(metrics).toContain(
      'mlperf_dfsp_sim_transfer_duration_seconds_bucket{le="0.3",corridor="perffsp-1->perffsp-5"}',
    );
    // The hub may deliver a prepare again when the payee is slow to answer (a retry): at least one each.
    expect(metricSum(metrics, 'mlperf_dfsp_sim_prepares_total')).toBeGreaterThanOrEqual(300);
  });

  it('reports a payee rejection with its FSPIOP error type', async () => {
    const sim = await simulator({ payeeRejectRatio: 1 });
    const [post] = k6Prepares(sim, 1) as [ShimRequest];
    expect((await send(post)).status).toBe(202);
    await expect.poll(() => resolved(sim), { timeout: 10_000 }).toBe(1);
    expect((await seconds(sim)).map((s) => s.failed)).toEqual([{ 'fspiop:5105': 1 }]);
  });

  it('a fulfilment that does not match (k6 and simulator secrets differ) ends failed, not committed', async () => {
    const sim = await simulator({ secret: 'the-simulators-secret' });
    const [post] = k6Prepares(sim, 1, { MLPERF_FULFILMENT_SECRET: 'another-secret' }) as [ShimRequest];
    expect((await send(post)).status).toBe(202);
    await expect.poll(() => resolved(sim), { timeout: 10_000 }).toBe(1);
    const [s] = await seconds(sim);
    expect(s?.succeeded).toBe(0);
    expect(Object.keys(s?.failed ?? {})[0]).toMatch(/^fspiop:/);
  });

  it('commits a prepare from prepareRequest with its secret (a payer of your own, the simulator as payee)', async () => {
    const sim = await simulator({ secret: 'shared-secret' });
    const transferId = randomUUID();
    const expiration = new Date(Date.now() + 30_000).toISOString();
    const transfer = { transferId, payer: 'perffsp-1', payee: 'perffsp-5', amount: '1', currency: 'USD' };
    const { headers, body } = prepareRequest({ ...transfer, secret: 'shared-secret', expiration });
    const res = await fetch(`${hub.url}/transfers`, { method: 'POST', headers, body });
    expect(res.status, await res.text()).toBe(202);
    const outcome = await fetch(`${sim.url}/outcomes/${transferId}?waitMs=10000`).then((r) => r.json());
    expect(outcome).toMatchObject({ transferId, state: 'COMMITTED' });
  });

  it('answers PENDING when nothing arrives within the wait, and serves /health and /metrics', async () => {
    const sim = await simulator();
    const t0 = Date.now();
    const r = await fetch(`${sim.url}/outcomes/00000000-0000-4000-8000-000000000000?waitMs=150`);
    expect(await r.json()).toEqual({ transferId: '00000000-0000-4000-8000-000000000000', state: 'PENDING' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
    const m = await fetch(`${sim.url}/metrics`);
    expect(await m.text()).toContain('# TYPE mlperf_dfsp_sim_transfer_duration_seconds histogram');
  });
});
