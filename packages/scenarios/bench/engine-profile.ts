// One engine run against the stub hub in its own process, for a CPU profile of the engine:
//   node --conditions=source --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof \
//     packages/scenarios/bench/engine-profile.ts [rate=2000] [seconds=10] [engine workers=1]
// Prints the run's figures; the profile (.cpuprofile) opens in Chrome DevTools.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SuiteDefinition } from '@mlperf/core';
import { runTest, standardSuite } from '@mlperf/scenarios';

const here = dirname(fileURLToPath(import.meta.url));
const rate = Number(process.argv[2] ?? 2000);
const seconds = Number(process.argv[3] ?? 10);
const workers = Number(process.argv[4] ?? 1);

const child: ChildProcess = spawn(
  process.execPath,
  ['--conditions=source', '--import', 'tsx', join(here, 'stub-hub-main.ts')],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const line = await new Promise<string>((resolve) =>
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve),
);
const stub = JSON.parse(line) as { url: string; adminUrl: string };
const suite: SuiteDefinition = {
  ...standardSuite(),
  tests: [
    {
      id: 'profile',
      name: 'profile',
      kind: 'custom',
      stages: [{ kind: 'constant', rate, duration: `${seconds}s` }],
      criteria: [],
    },
  ],
};
const out = mkdtempSync(join(tmpdir(), 'mlperf-profile-'));
try {
  const r = await runTest({
    suite,
    test: 'profile',
    target: { url: stub.url, adminUrl: stub.adminUrl },
    out,
    minFreeBytes: 0,
    engineWorkers: workers,
    // per second (by intended start): scheduling lag p99, event-loop lag p99, CPU, RSS
    ...(process.env.PROFILE_SECONDS
      ? {
          onSecond: (l: { record: { s: number; started: number; engine?: Record<string, number> } }) => {
            const e = l.record.engine;
            if (e)
              console.log(
                `  s=${l.record.s} started=${l.record.started} sched-p99=${e.schedulingLagP99Ms}ms loop-p99=${e.eventLoopLagP99Ms}ms cpu=${e.cpu} rss=${((e.rssBytes ?? 0) / 2 ** 20).toFixed(0)}MiB`,
              );
          },
        }
      : {}),
  });
  const perK = (r.engine.cpuSeconds / Math.max(1, r.totals.started)) * 1000;
  console.log(
    `rate ${rate} for ${seconds}s, ${workers} worker(s): started ${r.totals.started}/${r.totals.offered}, dropped ${r.totals.dropped}, sched p99 ${r.engine.schedulingLagP99Ms.toFixed(2)} ms, ${perK.toFixed(3)} CPU-s/1000 transfers, load ${loadavg()[0]?.toFixed(1)}`,
  );
} finally {
  child.kill('SIGTERM');
  rmSync(out, { recursive: true, force: true });
}
