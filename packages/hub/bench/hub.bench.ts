// The highest transfer rate the `healthy` profile sustains: hub in its own process, payer and payee
// DFSP roles in this one, open-model arrivals over real HTTP, rising in steps until one is not sustained.
// Run: pnpm bench hub   (HUB_BENCH_STEPS=1000,2000 HUB_BENCH_SECONDS=5 to change the steps)
import { availableParallelism, loadavg } from 'node:os';
import { startHub } from '@mlperf/hub';
import { FspiopDriver, type Outcome } from '../test/support/fspiop-driver.js';

const CORRIDORS: [string, string, number][] = [
  ['perffsp-1', 'perffsp-5', 0.4],
  ['perffsp-2', 'perffsp-6', 0.25],
  ['perffsp-3', 'perffsp-7', 0.2],
  ['perffsp-4', 'perffsp-8', 0.15],
];
const STEPS = (process.env.HUB_BENCH_STEPS ?? '250,500,1000,1500,2000,2500,3000,3500,4000')
  .split(',')
  .map(Number);
const SECONDS = Number(process.env.HUB_BENCH_SECONDS ?? 6);

function pick(i: number): [string, string] {
  let x = (((i * 0.618033988749895) % 1) + 1) % 1;
  for (const [payer, payee, w] of CORRIDORS) {
    if (x < w) return [payer, payee];
    x -= w;
  }
  return [CORRIDORS[0]![0], CORRIDORS[0]![1]];
}

function pct(sorted: number[], p: number): number {
  return sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function hubCpuSeconds(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return Number(/^process_cpu_seconds_total (\S+)/m.exec(text)?.[1] ?? Number.NaN);
}

async function step(driver: FspiopDriver, rate: number, metricsUrl: string) {
  const cpu0 = await hubCpuSeconds(metricsUrl);
  const outcomes: Promise<Outcome>[] = [];
  const start = performance.now();
  const total = rate * SECONDS;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
      for (; sent < due; sent++) {
        const [payer, payee] = pick(sent);
        outcomes.push(driver.transfer(payer, payee, '1'));
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  const offeredSeconds = (performance.now() - start) / 1000;
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000).unref());
  const settled = await Promise.race([Promise.all(outcomes), timeout]);
  const elapsed = (performance.now() - start) / 1000;
  const done = settled === 'timeout' ? [] : settled;
  const ok = done.filter((o) => o.state === 'COMMITTED');
  const lat = ok.map((o) => o.ms).sort((a, b) => a - b);
  const hubCpuMs = ((await hubCpuSeconds(metricsUrl)) - cpu0) * 1000;
  return {
    hubCpuMsPerTransfer: ok.length > 0 ? hubCpuMs / ok.length : Number.NaN,
    rate,
    offered: total / offeredSeconds,
    achieved: settled === 'timeout' ? 0 : ok.length / elapsed,
    success: settled === 'timeout' ? 0 : ok.length / total,
    p50: pct(lat, 50),
    p95: pct(lat, 95),
    p99: pct(lat, 99),
    drainSeconds: elapsed - offeredSeconds,
  };
}

const hub = await startHub({ isolation: 'process', profile: 'healthy' });
const driver = new FspiopDriver(hub.url, hub.adminUrl);
await driver.start(Array.from({ length: 8 }, (_, i) => `perffsp-${i + 1}`));
let best = 0;
let peak = 0;
const cpuPerTransfer: number[] = [];
try {
  // warm-up: JIT in both processes, keep-alive sockets
  await step(driver, 400, hub.metricsUrl);
  await step(driver, 800, hub.metricsUrl);
  console.log('rate(offered)  achieved/s  success   p50 ms  p95 ms  p99 ms  drain s  hub CPU ms/transfer');
  for (const rate of STEPS) {
    await hub.reset();
    const r = await step(driver, rate, hub.metricsUrl);
    cpuPerTransfer.push(r.hubCpuMsPerTransfer);
    peak = Math.max(peak, r.achieved);
    const sustained = r.success >= 0.999 && r.p95 < 500 && r.drainSeconds < 1.5;
    console.log(
      `${String(rate).padStart(5)} (${r.offered.toFixed(0).padStart(5)})  ${r.achieved.toFixed(0).padStart(9)}  ${(r.success * 100).toFixed(2).padStart(6)}%  ${r.p50.toFixed(1).padStart(6)}  ${r.p95.toFixed(1).padStart(6)}  ${r.p99.toFixed(1).padStart(6)}  ${r.drainSeconds.toFixed(2).padStart(6)}  ${r.hubCpuMsPerTransfer.toFixed(3).padStart(8)}  ${sustained ? 'sustained' : 'NOT sustained'}`,
    );
    if (!sustained) break;
    best = rate;
    const l = await hub.ledger();
    if (l.doubleFinalizations !== 0 || l.netPositionSum !== 0) throw new Error('ledger invariant broken');
  }
} finally {
  await driver.stop();
  await hub.stop();
}
console.log(`\nhighest achieved committed rate in any step: ${peak.toFixed(0)} transfers/s`);
const cpu = Math.min(...cpuPerTransfer.filter((x) => Number.isFinite(x)));
console.log(
  `hub CPU per committed transfer: ${cpu.toFixed(3)} ms (lowest step) = about ${Math.floor(1000 / cpu)} transfers/s per core given to the hub process`,
);
console.log(
  `machine load average while measuring: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores (shared machines give noisy rates)`,
);
console.log(
  `hub healthy profile: highest sustained rate ${best} transfers/s (${SECONDS} s steps, success >= 99.9%, p95 < 500 ms, drained < 1.5 s)`,
);
