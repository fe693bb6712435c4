// The two executors side by side against the same embedded hub (its own process): the built-in
// engine, then a real k6 with the rendered script and the DFSP simulator, at the same constant rate.
//   pnpm bench k6-vs-engine        (skipped with a message when no k6: set MLPERF_K6 or put k6 on PATH)
// Env: BENCH_RATE (default 1000 TPS), BENCH_S (seconds at that rate, default 20).
// CPU-s per 1000 transfers: the generator side only (hub excluded): for the engine this process;
// for k6 the k6 process plus this process (the DFSP simulator and the import).
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResults, type SuiteDefinition, type TimeseriesRecord } from '@mlperf/core';
import { startHub } from '@mlperf/hub';
import * as hdr from 'hdr-histogram-js';
import { findK6, runTest, runTestWithK6, standardSuite } from '@mlperf/scenarios';

const rate = Number(process.env.BENCH_RATE ?? 1000);
const seconds = Number(process.env.BENCH_S ?? 20);
const k6 = findK6();
if (!k6) {
  console.log('k6-vs-engine: skipped, no k6 binary (set MLPERF_K6=/path/to/k6 or put k6 on PATH)');
  process.exit(0);
}

function suite(): SuiteDefinition {
  const s = standardSuite();
  return {
    ...s,
    tests: [
      {
        id: `side-by-side-${rate}`,
        name: `${rate} TPS side by side`,
        kind: 'custom',
        stages: [{ kind: 'constant', rate, duration: `${seconds}s` }],
        criteria: [],
      },
    ],
  };
}

/** Children's CPU seconds (waited-for children: the k6 process), from /proc/self/stat. */
function childCpuS(): number {
  const f = readFileSync('/proc/self/stat', 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[13]) + Number(rest[14])) / 100;
}
const selfCpuS = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function figures(name: string, dir: string, cpuS: number) {
  const r = readResults(dir);
  // Steady seconds: skip the first and last 2 s (start-up and drain of the schedule).
  const steady = r.timeseries.filter((x: TimeseriesRecord) => x.s >= 2 && x.s < seconds - 2);
  const succeeded = steady.reduce((a, x) => a + x.succeeded, 0);
  const h = hdr.build({ bitBucketSize: 32, highestTrackableValue: 3_600_000_000 });
  for (const x of steady)
    if (x.latency.e2e?.hdr) h.add(hdr.decodeFromCompressedBase64(x.latency.e2e.hdr, 32));
  const totals = r.manifest.totals;
  const done = (totals?.succeeded ?? 0) + Object.values(totals?.failed ?? {}).reduce((a, b) => a + b, 0);
  return {
    executor: name,
    achieved: succeeded / Math.max(1, steady.length),
    dropped: totals?.dropped ?? 0,
    failed: Object.values(totals?.failed ?? {}).reduce((a, b) => a + b, 0),
    p95: h.getValueAtPercentile(95) / 1000,
    p99: h.getValueAtPercentile(99) / 1000,
    cpuPer1000: (cpuS / Math.max(1, done)) * 1000,
  };
}

const out = mkdtempSync(join(tmpdir(), 'mlperf-bench-k6-'));
const hub = await startHub({ isolation: 'process', profile: 'healthy' });
try {
  console.log(
    `k6 vs engine at ${rate} TPS for ${seconds} s: ${cpus().length} CPUs, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}, hub ${hub.url} (own process), k6 ${k6}`,
  );
  const s = suite();
  const test = s.tests[0]?.id as string;
  const target = { url: hub.url, adminUrl: hub.adminUrl };
  let c0 = selfCpuS();
  const engine = await runTest({ suite: s, test, target, out, minFreeBytes: 0 });
  const e = figures('engine', engine.dir, selfCpuS() - c0);
  c0 = selfCpuS();
  const k0 = childCpuS();
  const k = await runTestWithK6({
    suite: s,
    testId: test,
    outDir: out,
    hubUrl: hub.url,
    adminUrl: hub.adminUrl,
  });
  const kf = figures('k6', k.dir, selfCpuS() - c0 + childCpuS() - k0);
  console.log('executor  achieved-TPS  dropped  failed  e2e-p95-ms  e2e-p99-ms  cpu-s/1000-transfers');
  for (const f of [e, kf])
    console.log(
      `${f.executor.padEnd(8)}  ${f.achieved.toFixed(1).padStart(12)}  ${String(f.dropped).padStart(7)}  ${String(f.failed).padStart(6)}  ${f.p95.toFixed(1).padStart(10)}  ${f.p99.toFixed(1).padStart(10)}  ${f.cpuPer1000.toFixed(3).padStart(20)}`,
    );
  console.log(
    `k6 / engine: rate ${((kf.achieved / Math.max(1e-9, e.achieved)) * 100).toFixed(0)}% (aim >= 80%), p95 ${(kf.p95 / Math.max(1e-9, e.p95)).toFixed(2)}x, p99 ${(kf.p99 / Math.max(1e-9, e.p99)).toFixed(2)}x (aim <= 2x); load average now ${loadavg()[0]?.toFixed(1)}`,
  );
} finally {
  await hub.stop();
  rmSync(out, { recursive: true, force: true });
}
