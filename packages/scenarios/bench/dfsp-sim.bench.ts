// The DFSP simulator under k6-shaped load: every transfer is the rendered k6 script's own
// POST /transfers to the embedded hub (its own process) plus its long-poll of the outcome.
//   pnpm bench dfsp-sim
// Env: BENCH_RATES (default "250,500,1000"), BENCH_STEP_S (seconds per rate, default 5).
import { cpus, loadavg } from 'node:os';
import { startHub } from '@mlperf/hub';
import { Agent, fetch as ufetch } from 'undici';
import { HubAdmin, renderK6Script, standardSuite, startDfspSim } from '@mlperf/scenarios';
import { type ShimRequest, loadK6Script } from '../test/k6/k6-in-node.js';
import { testContext } from '../src/k6/context.js';

const rates = (process.env.BENCH_RATES ?? '250,500,1000').split(',').map(Number);
const stepS = Number(process.env.BENCH_STEP_S ?? 5);
const suite = standardSuite();
const pct = (v: number[], q: number) => v[Math.max(0, Math.ceil(q * v.length) - 1)] ?? Number.NaN;

const hub = await startHub({ isolation: 'process', profile: 'healthy' });
const sim = await startDfspSim({ hubUrl: hub.url });
await new HubAdmin(hub.adminUrl).registerCallbacks(
  suite.dfsps.map((d) => d.id),
  (d) => `${sim.url}/${d}`,
);
const dispatcher = new Agent({ connections: 512, keepAliveTimeout: 30_000 });
const send = async (r: ShimRequest) => {
  const res = await ufetch(r.url, {
    method: r.method,
    headers: r.params.headers ?? {},
    body: r.body ?? null,
    dispatcher,
  });
  return { status: res.status, text: await res.text() };
};

console.log(`hub ${hub.url} (own process), DFSP simulator ${sim.url} (this process), ${stepS} s per rate`);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} CPUs`,
);
console.log(
  'rate TPS | sent | committed | other | achieved TPS | 202 p50 ms | e2e p50 / p95 / p99 ms (k6 view)',
);
for (const rate of rates) {
  await hub.reset();
  const script = renderK6Script(testContext(suite, 'target-1000tps'), {
    hubUrl: hub.url,
    dfspSimUrl: sim.url,
  });
  const captured: ShimRequest[] = [];
  const s = loadK6Script(script, (req) => {
    captured.push(req);
    return req.method === 'POST' ? { status: 202, body: '' } : { status: 200, body: '{"state":"COMMITTED"}' };
  });
  const n = rate * stepS;
  for (let i = 0; i < n; i++) s.iteration();
  const lat: number[] = [];
  const postLat: number[] = [];
  let committed = 0;
  let other = 0;
  const t0 = performance.now();
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const post = captured[2 * i] as ShimRequest;
    const get = captured[2 * i + 1] as ShimRequest;
    jobs.push(
      (async () => {
        const start = performance.now();
        const p = await send(post);
        postLat.push(performance.now() - start);
        if (p.status !== 202) {
          other++;
          return;
        }
        const o = JSON.parse((await send(get)).text) as { state: string };
        if (o.state === 'COMMITTED') {
          committed++;
          lat.push(performance.now() - start);
        } else other++;
      })(),
    );
  }
  await Promise.all(jobs);
  const took = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  postLat.sort((a, b) => a - b);
  console.log(
    `${rate} | ${n} | ${committed} | ${other} | ${(committed / took).toFixed(0)} | ${pct(postLat, 0.5).toFixed(1)} | ${pct(lat, 0.5).toFixed(1)} / ${pct(lat, 0.95).toFixed(1)} / ${pct(lat, 0.99).toFixed(1)}`,
  );
}
await sim.close();
await hub.stop();
await dispatcher.close();
