// Engine alone vs a minimal stub hub in its own process.
//   pnpm bench engine
// Env: BENCH_STEP_S (seconds per rate step, default 5), BENCH_RATES (e.g. "1000,2000,4000"),
//      BENCH_WORKERS (engine worker counts to compare, default "1,2"; "0" skips the rate steps),
//      BENCH_RSS_S (length of the 1000 TPS memory run, default 600 = the 10-minute run; 0 skips it),
//      BENCH_RSS_WORKERS (its engine workers when the rate steps are skipped, default 1),
//      BENCH_ALL_RATES=1 (go on after the first rate not sustained: CPU per 1000 at every rate).
// From the built bundles (engine workers load dist/engine-worker.js, as the CLI does), after `pnpm build`:
//   node --import tsx packages/scenarios/bench/engine.bench.ts
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SuiteDefinition } from '@mlperf/core';
import { type RunTestResult, runTest, standardSuite } from '@mlperf/scenarios';
import { pidCpuSeconds } from '../src/k6/host-seconds.js';

const here = dirname(fileURLToPath(import.meta.url));
const stepS = Number(process.env.BENCH_STEP_S ?? 5);
const rssS = Number(process.env.BENCH_RSS_S ?? 600);
const rates = (process.env.BENCH_RATES ?? '1000,2000,3000,4000,5000,6000,8000').split(',').map(Number);
const workerCounts = (process.env.BENCH_WORKERS ?? '1,2')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);

async function startStub(): Promise<{ child: ChildProcess; url: string; adminUrl: string }> {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(here, 'stub-hub-main.ts')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`stub hub exited ${code}`)));
  });
  return { child, ...(JSON.parse(line) as { url: string; adminUrl: string }) };
}

function suite(rate: number, seconds: number): SuiteDefinition {
  const s = standardSuite();
  return {
    ...s,
    tests: [
      {
        id: `bench-${rate}`,
        name: `bench ${rate} TPS`,
        kind: 'custom',
        stages: [{ kind: 'constant', rate, duration: `${seconds}s` }],
        criteria: [],
      },
    ],
  };
}

/** CPU seconds the stub hub process used so far (Linux /proc); 0 elsewhere. */
const processCpuS = (pid: number | undefined): number => (pid === undefined ? 0 : (pidCpuSeconds(pid) ?? 0));

const out = mkdtempSync(join(tmpdir(), 'mlperf-bench-'));
const stub = await startStub();
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const run = (
  rate: number,
  seconds: number,
  workers: number,
  onSecond?: Parameters<typeof runTest>[0]['onSecond'],
) =>
  runTest({
    suite: suite(rate, seconds),
    test: `bench-${rate}`,
    target: { url: stub.url, adminUrl: stub.adminUrl },
    out,
    minFreeBytes: 0,
    engineWorkers: workers,
    ...(onSecond ? { onSecond } : {}),
  });

/**
 * The worst per-second p99 scheduling lag after the first second of a step: an upper bound of
 * the p99 over those seconds (each has at most 1% above its own p99). The first second carries
 * the start-up (the pools open their connections, the hub opens its own to the callback server).
 */
async function step(
  rate: number,
  workers: number,
): Promise<{ r: RunTestResult; steadyP99: number; hubCpuS: number }> {
  let steadyP99 = 0;
  const hub0 = processCpuS(stub.child.pid);
  const r = await run(rate, stepS, workers, (l) => {
    const e = l.record.engine;
    if (e && l.record.s >= 1 && l.record.started > 0) steadyP99 = Math.max(steadyP99, e.schedulingLagP99Ms);
  });
  return { r, steadyP99, hubCpuS: processCpuS(stub.child.pid) - hub0 };
}

function row(
  rate: number,
  { r, steadyP99, hubCpuS }: { r: RunTestResult; steadyP99: number; hubCpuS: number },
): { ok: boolean; line: string } {
  const dropped = r.totals.dropped / Math.max(1, r.totals.offered);
  const achieved = r.totals.succeeded / stepS;
  const perK = (r.engine.cpuSeconds / Math.max(1, r.totals.started)) * 1000;
  const ok = dropped < 0.001 && steadyP99 < 5;
  const cells = [
    String(rate).padStart(5),
    String(r.totals.offered).padStart(7),
    achieved.toFixed(0).padStart(8),
    (dropped * 100).toFixed(3).padStart(8),
    r.engine.schedulingLagP99Ms.toFixed(2).padStart(12),
    steadyP99.toFixed(2).padStart(14),
    (r.engine.cpuSeconds / r.durationS).toFixed(2).padStart(10),
    perK.toFixed(3).padStart(10),
    ((hubCpuS / Math.max(1, r.totals.started)) * 1000).toFixed(3).padStart(14),
    mb(r.engine.peakRssBytes).padStart(7),
    load().padStart(15),
  ];
  return { ok, line: `  ${cells.join('  ')}  ${ok ? 'ok' : 'NOT SUSTAINED'}` };
}

try {
  console.log(
    `engine benchmark: ${cpus().length} CPUs, load average ${load()}, stub hub pid ${stub.child.pid}`,
  );
  for (const workers of workerCounts) {
    console.log(
      `\n1) engine workers ${workers}: highest rate with < 0.1% dropped and p99 scheduling lag < 5 ms (every second after the first)`,
    );
    console.log(
      '   rate  offered  achieved  dropped%  sched-p99-ms  after-1st-s-ms  engine-cpu  cpu-s/1000  hub-cpu-s/1000  rss-MiB  load(1,5,15m)',
    );
    // warm-up, not reported (4 s at up to 2000/s): JIT compilation and heap growth would otherwise be charged to the first step
    await run(Math.min(2000, rates[0] ?? 2000), 4, workers);
    let best = 0;
    let held = true;
    for (const rate of rates) {
      const r = row(rate, await step(rate, workers));
      console.log(r.line);
      held &&= r.ok;
      if (held) best = rate;
      else if (process.env.BENCH_ALL_RATES !== '1') break;
    }
    console.log(`   => highest sustained with ${workers} worker(s): ${best} TPS`);
  }

  if (rssS > 0) {
    const workers = workerCounts[0] ?? Number(process.env.BENCH_RSS_WORKERS ?? 1);
    console.log(`\n2) RSS at 1000 TPS for ${rssS} s (BENCH_RSS_S), engine workers ${workers}`);
    const samples: { s: number; rss: number; heap: number }[] = [];
    const r = await run(1000, rssS, workers, (l) => {
      // heap: this process's V8 heap after the second (with one engine worker, the engine's own)
      if (l.record.engine && l.record.s % 30 === 0)
        samples.push({ s: l.record.s, rss: l.record.engine.rssBytes, heap: process.memoryUsage().heapUsed });
    });
    console.log(`   ${samples.map((x) => `${x.s}s:${mb(x.rss)}MiB(heap ${mb(x.heap)})`).join('  ')}`);
    const atMinute = samples.find((x) => x.s >= 60) ?? samples[0];
    const last = samples[samples.length - 1];
    if (atMinute && last)
      console.log(
        `   RSS ${mb(atMinute.rss)} MiB at ${atMinute.s}s -> ${mb(last.rss)} MiB at ${last.s}s (${(((last.rss - atMinute.rss) / atMinute.rss) * 100).toFixed(1)}%)`,
      );
    console.log(
      `   transfers ${r.totals.succeeded}/${r.totals.offered} committed (${r.totals.dropped} dropped), sched p99 ${r.engine.schedulingLagP99Ms.toFixed(2)} ms, ${((r.engine.cpuSeconds / Math.max(1, r.totals.started)) * 1000).toFixed(3)} CPU-s/1000 transfers, load ${load()}`,
    );
  }
} finally {
  stub.child.kill('SIGTERM');
  rmSync(out, { recursive: true, force: true });
}
