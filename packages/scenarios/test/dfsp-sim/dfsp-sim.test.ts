import { type HubHandle, startHub } from '@mlperf/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DfspSim,
  HubAdmin,
  renderK6Script,
  standardSuite,
  startDfspSim,
  testContext,
} from '@mlperf/scenarios';
import { loadK6Script, type ShimRequest } from '../k6/k6-in-node.js';

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
 * The requests a rendered k6 script makes for `n` iterations (captured in Node with k6 module
 * stand-ins), to be sent for real: the script's own FSPIOP prepares and outcome polls.
 */
function k6Requests(sim: DfspSim, n: number, env: Record<string, string> = {}) {
  const script = renderK6Script(testContext(suite, 'target-1000tps'), {
    hubUrl: hub.url,
    dfspSimUrl: sim.url,
  });
  const captured: ShimRequest[] = [];
  const s = loadK6Script(
    script,
    (req) => {
      captured.push(req);
      return req.method === 'POST'
        ? { status: 202, body: '' }
        : { status: 200, body: '{"state":"COMMITTED"}' };
    },
    env,
  );
  for (let i = 0; i < n; i++) s.iteration();
  const pairs: { post: ShimRequest; get: ShimRequest }[] = [];
  for (let i = 0; i < captured.length; i += 2)
    pairs.push({ post: captured[i] as ShimRequest, get: captured[i + 1] as ShimRequest });
  return pairs;
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

describe('DFSP simulator with the embedded hub', () => {
  it("completes the rendered k6 script's real prepare: hub 202, then COMMITTED through the outcome poll", async () => {
    const sim = await simulator();
    const [{ post, get }] = k6Requests(sim, 1) as [{ post: ShimRequest; get: ShimRequest }];
    expect(await send(post)).toEqual({ status: 202, text: '' });
    const out = await send(get);
    expect(out.status).toBe(200);
    expect(JSON.parse(out.text)).toMatchObject({ state: 'COMMITTED', e2eMs: expect.any(Number) });
  });

  it('answers 300 concurrent transfers across the corridors and measures each once', async () => {
    const sim = await simulator();
    const pairs = k6Requests(sim, 300);
    const results = await Promise.all(
      pairs.map(async ({ post, get }) => {
        const waiting = send(get); // long-poll may start before the prepare: the outcome finds it
        const p = await send(post);
        return { post: p.status, outcome: JSON.parse((await waiting).text) as { state: string } };
      }),
    );
    expect(results.filter((r) => r.post === 202)).toHaveLength(300);
    expect(results.filter((r) => r.outcome.state === 'COMMITTED')).toHaveLength(300);
    const metrics = await sim.metrics();
    expect(metricSum(metrics, 'mlperf_dfsp_sim_transfer_duration_seconds_count')).toBe(300);
    expect(metricSum(metrics, 'mlperf_dfsp_sim_transfers_total{outcome="success"')).toBe(300);
    expect(metrics).toContain(
      'mlperf_dfsp_sim_transfer_duration_seconds_bucket{le="0.3",corridor="perffsp-1->perffsp-5"}',
    );
    // The hub may deliver a prepare again when the payee is slow to answer (a retry): at least one each.
    expect(metricSum(metrics, 'mlperf_dfsp_sim_prepares_total')).toBeGreaterThanOrEqual(300);
    const seconds = (await (await fetch(`${sim.url}/seconds/0/${Date.now() + 1000}`)).json()) as {
      succeeded: number;
      e2e?: { count: number };
    }[];
    expect(seconds.reduce((n, s) => n + s.succeeded, 0)).toBe(300);
    expect(seconds.reduce((n, s) => n + (s.e2e?.count ?? 0), 0)).toBe(300);
  });

  it('reports a payee rejection as ABORTED with its FSPIOP error type', async () => {
    const sim = await simulator({ payeeRejectRatio: 1 });
    const [{ post, get }] = k6Requests(sim, 1) as [{ post: ShimRequest; get: ShimRequest }];
    expect((await send(post)).status).toBe(202);
    expect(JSON.parse((await send(get)).text)).toMatchObject({ state: 'ABORTED', errorType: 'fspiop:5105' });
  });

  it('a fulfilment that does not match (k6 and simulator secrets differ) ends ABORTED, not COMMITTED', async () => {
    const sim = await simulator({ secret: 'the-simulators-secret' });
    const [{ post, get }] = k6Requests(sim, 1, { MLPERF_FULFILMENT_SECRET: 'another-secret' }) as [
      { post: ShimRequest; get: ShimRequest },
    ];
    expect((await send(post)).status).toBe(202);
    const out = JSON.parse((await send(get)).text) as { state: string; errorType: string };
    expect(out.state).toBe('ABORTED');
    expect(out.errorType).toMatch(/^fspiop:/);
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
