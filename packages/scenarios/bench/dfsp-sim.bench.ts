// The DFSP simulator as k6 runs use it: the rendered k6 script's prepares go to the embedded hub
// (its own process) at a fixed rate and k6 moves on; the hub's callbacks come into the simulator
// (its own process), which records each transfer's outcome and end-to-end time. Printed per rate:
// outcomes per second out of the simulator (its /seconds, by second of start), end-to-end
// percentiles as it measured them, and its CPU per 1000 outcomes (/proc of its process).
//   pnpm bench dfsp-sim
// Env: BENCH_RATES (default "250,500,1000"), BENCH_STEP_S (seconds per rate, default 5).
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LatencySnapshot } from '@mlperf/core';
import { startHub } from '@mlperf/hub';
import { HubAdmin, renderK6Script, standardSuite } from '@mlperf/scenarios';
import * as hdr from 'hdr-histogram-js';
import { Agent, fetch as ufetch } from 'undici';
import { type ShimRequest, loadK6Script } from '../test/k6/k6-in-node.js';
import { testContext } from '../src/k6/context.js';
import { pidCpuSeconds } from '../src/k6/host-seconds.js';

const rates = (process.env.BENCH_RATES ?? '250,500,1000').split(',').map(Number);
const stepS = Number(process.env.BENCH_STEP_S ?? 5);
const suite = standardSuite();
const pct = (v: number[], q: number) => v[Math.max(0, Math.ceil(q * v.length) - 1)] ?? Number.NaN;

/** CPU seconds (user + system) a process used so far, from /proc/<pid>/stat (NaN when unreadable). */
const cpuSeconds = (pid: number): number => pidCpuSeconds(pid) ?? Number.NaN;

const hub = await startHub({ isolation: 'process', profile: 'healthy' });
const child = spawn(
  process.execPath,
  [
    '--conditions=source',
    '--import',
    'tsx',
    fileURLToPath(new URL('./_dfsp-sim-process.ts', import.meta.url)),
    hub.url,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next();
const simUrl = (JSON.parse(String(first.value)) as { url: string }).url;
await new HubAdmin(hub.adminUrl).registerCallbacks(
  suite.dfsps.map((d) => d.id),
  (d) => `${simUrl}/${d}`,
);
const dispatcher = new Agent({ connections: 256, keepAliveTimeout: 30_000 });
const resolved = async () =>
  ((await (await ufetch(`${simUrl}/status`, { dispatcher })).json()) as { resolved: number }).resolved;

console.log(
  `hub ${hub.url} (own process), DFSP simulator ${simUrl} (own process, pid ${child.pid}), ${stepS} s per rate`,
);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} CPUs`,
);
console.log(
  'rate TPS | sent | 202 | 202 p50 / p99 ms | outcomes | committed/s (by second of start) | e2e p50 / p95 / p99 ms (simulator) | sim CPU-s per 1000 outcomes',
);

for (const rate of rates) {
  await hub.reset();
  const script = renderK6Script(testContext(suite, 'target-1000tps'), {
    hubUrl: hub.url,
    dfspSimUrl: simUrl,
  });
  const prepares: ShimRequest[] = [];
  const k6 = loadK6Script(script, (req) => {
    prepares.push(req);
    return { status: 202, body: '' };
  });
  const n = rate * stepS;
  const before = await resolved();
  const cpu0 = cpuSeconds(child.pid as number);
  const t0 = performance.now();
  const startMs = Date.now();
  let accepted = 0;
  const ackMs: number[] = [];
  const jobs: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // The transfer id carries the time k6 started it: render each iteration when it is due.
    k6.iteration();
    const r = prepares[prepares.length - 1] as ShimRequest;
    const sent = performance.now();
    jobs.push(
      ufetch(r.url, {
        method: r.method,
        headers: r.params.headers ?? {},
        body: r.body ?? null,
        dispatcher,
      }).then(async (res) => {
        await res.text();
        ackMs.push(performance.now() - sent);
        if (res.status === 202) accepted++;
      }),
    );
  }
  await Promise.all(jobs);
  const deadline = Date.now() + 30_000;
  while ((await resolved()) - before < accepted && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  const outcomes = (await resolved()) - before;
  const cpu = cpuSeconds(child.pid as number) - cpu0;
  const secs = (await (
    await ufetch(`${simUrl}/seconds/${startMs}/${Date.now()}`, { dispatcher })
  ).json()) as {
    t: number;
    succeeded: number;
    e2e?: LatencySnapshot;
  }[];
  const steady = secs.filter((s) => s.t >= startMs && s.t + 1000 <= startMs + stepS * 1000);
  const perSecond = steady.map((s) => s.succeeded).sort((a, b) => a - b);
  const h = hdr.build({ bitBucketSize: 32, highestTrackableValue: 3_600_000_000 });
  for (const s of secs) if (s.e2e?.hdr) h.add(hdr.decodeFromCompressedBase64(s.e2e.hdr, 32));
  const ms = (p: number) => (h.getValueAtPercentile(p) / 1000).toFixed(1);
  console.log(
    `${rate} | ${n} | ${accepted} | ${pct(
      ackMs.sort((a, b) => a - b),
      0.5,
    ).toFixed(
      1,
    )} / ${pct(ackMs, 0.99).toFixed(1)} | ${outcomes} | ${pct(perSecond, 0.5)} median, ${perSecond[0] ?? 0}..${perSecond[perSecond.length - 1] ?? 0} | ${ms(50)} / ${ms(95)} / ${ms(99)} | ${((cpu * 1000) / Math.max(1, outcomes)).toFixed(2)}`,
  );
}
child.kill('SIGTERM');
await hub.stop();
await dispatcher.close();
