// Analyzer truth: the embedded hub (own process, scraped by a private Prometheus) under random knob
// combinations and, sometimes, CPU hogs on the host; the binding cause is computed from the knobs
// (the lowest capacity under the offered rate, else injected errors, else a leak) and compared with
// the analyzer's top finding. Prints top-1 accuracy and the false-finding rate on healthy runs.
// Env: BENCH_TRUTH_RUNS (default 8), BENCH_TRUTH_SECONDS (12), BENCH_TRUTH_RATE (300), BENCH_TRUTH_SEED (7).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRun } from '@mlperf/analysis';
import type { AnalysisResult } from '@mlperf/core';
import { findPrometheusBinary, startPrivatePrometheus } from '@mlperf/core/promql';
import { type HubKnobsPatch, startHub } from '@mlperf/hub';
import { type Fault, hostOthersShare, truthOf } from './truth.js';
import { exportHubQueries, runOnHub, runWindow, shortTest } from '../test/_hub-run.js';

const RUNS = Number(process.env.BENCH_TRUTH_RUNS ?? 8);
const SECONDS = Number(process.env.BENCH_TRUTH_SECONDS ?? 12);
const RATE = Number(process.env.BENCH_TRUTH_RATE ?? 300);
let seed = Number(process.env.BENCH_TRUTH_SEED ?? 7);
const rnd = () => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);

/** One random fault with a capacity between 30% and 80% of the offered rate. */
function randomFault(): Fault {
  const cap = between(0.3, 0.8) * RATE;
  switch (pick(['db', 'kafka', 'cpu', 'errors', 'leak'] as const)) {
    case 'db': {
      const size = Math.max(2, Math.round((cap * 5 * 4) / 1000));
      return {
        kind: 'db-pool-exhausted',
        capacity: (size * 1000) / (5 * 4),
        patch: { dbPool: { size, queryTimeMs: 5 } },
      };
    }
    case 'kafka': {
      const delay = Math.max(0.5, 1000 / (2 * cap));
      return {
        kind: 'kafka-lag',
        capacity: 1000 / (2 * delay),
        patch: { stages: { position: { partitions: 1, consumers: 1, serviceTimeMs: delay } } },
      };
    }
    case 'cpu': {
      const cores = (cap * 1.3) / 1000;
      return {
        kind: 'cpu-throttling',
        capacity: (cores * 1000) / 1.3,
        patch: {
          cpuCores: { 'central-ledger': cores },
          stages: {
            prepare: { serviceTimeMs: 0.5 },
            position: { serviceTimeMs: 0.3 },
            fulfil: { serviceTimeMs: 0.2 },
          },
        },
      };
    }
    case 'errors':
      return { kind: 'error-spike', errorRate: between(0.02, 0.06), patch: {} };
    case 'leak':
      return {
        kind: 'memory-leak',
        patch: { faults: { leakBytesPerTransfer: 64 * 1024, leakService: 'central-ledger' } },
      };
  }
}

function merge(a: HubKnobsPatch, b: HubKnobsPatch): HubKnobsPatch {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] =
      prev && typeof prev === 'object' && v && typeof v === 'object'
        ? merge(prev as HubKnobsPatch, v as HubKnobsPatch)
        : v;
  }
  return out as HubKnobsPatch;
}

function startHogs(seconds: number): ChildProcess[] {
  return Array.from({ length: availableParallelism() }, () =>
    spawn(
      process.execPath,
      ['-e', `const end = Date.now() + ${seconds * 1000}; while (Date.now() < end) {}`],
      {
        stdio: 'ignore',
      },
    ),
  );
}

const prometheusBin = findPrometheusBinary();
if (!prometheusBin) {
  console.error(
    'analyzer-truth: needs Debian prometheus (apt-get install prometheus): the hub causes come from its exports',
  );
  process.exit(2);
}
const base = mkdtempSync(join(tmpdir(), 'mlperf-bench-truth-'));
const hub = await startHub({ isolation: 'process' });
const prom = await startPrivatePrometheus({
  scrapeTargets: [{ job: 'hub', url: hub.metricsUrl }],
  scrapeInterval: '1s',
});
if (!prom.running) throw new Error(prom.reason);

interface Row {
  truth: string;
  top: string;
  /** The binding cause of the knobs alone (as if the host were quiet), and the first hub cause named (any severity). */
  knobTruth: string;
  hubTop: string;
  hubFindings: string[];
  faults: string;
  hog: boolean;
  background: number;
}
const rows: Row[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const roll = rnd();
    const faults: Fault[] = roll < 0.3 ? [] : roll < 0.75 ? [randomFault()] : [randomFault(), randomFault()];
    const hog = rnd() < 0.25;
    const leak = faults.some((f) => f.kind === 'memory-leak');
    const seconds = leak ? Math.max(18, SECONDS) : SECONDS;
    const errorRate = Math.max(0, ...faults.map((f) => f.errorRate ?? 0));
    const patch = faults.reduce<HubKnobsPatch>(
      (p, f) => merge(p, f.patch),
      errorRate ? { faults: { errorRate, errorCode: '2001' } } : {},
    );
    await hub.setProfile('healthy');
    await hub.setProfile(patch);
    await hub.reset();
    const background = await hostOthersShare(1000);
    const hogs = hog ? startHogs(seconds + 5) : [];
    const kind = leak ? 'endurance' : 'target';
    const rate = leak ? 200 : RATE;
    const test = shortTest({
      id: `truth-${i}`,
      name: `truth ${i}`,
      kind,
      rate,
      seconds,
      warmup: '3s',
      memoryLeak: true,
    });
    let a: AnalysisResult;
    try {
      const run = await runOnHub(hub, test, base);
      const window = runWindow(run);
      await new Promise((r) => setTimeout(r, 1500));
      await exportHubQueries(prom.client, run, window);
      a = analyzeRun(run.dir);
    } finally {
      for (const h of hogs) if (h.pid && h.exitCode === null) process.kill(h.pid);
    }
    const truth = truthOf(faults, { rate: leak ? 200 : RATE, hog, background });
    const hubFindings = a.findings
      .filter(
        (f) => !['generator-saturated', 'host-contention', 'k6-saturated', 'tps-plateau'].includes(f.kind),
      )
      .filter((f) => f.severity !== 'info')
      .map((f) => f.kind);
    const knobTruth = truthOf(faults, { rate: leak ? 200 : RATE, hog: false, background: 0 });
    const row: Row = {
      truth,
      knobTruth,
      hubTop:
        a.findings.find(
          (f) => !['generator-saturated', 'host-contention', 'k6-saturated', 'tps-plateau'].includes(f.kind),
        )?.kind ?? 'none',
      top: a.findings.filter((f) => f.severity !== 'info')[0]?.kind ?? 'none',
      hubFindings,
      faults:
        faults
          .map(
            (f) =>
              `${f.kind}${f.capacity ? `@${Math.round(f.capacity)}` : ''}${f.errorRate ? `@${f.errorRate.toFixed(3)}` : ''}`,
          )
          .join('+') || 'healthy',
      hog,
      background,
    };
    rows.push(row);
    console.log(
      `run ${i + 1}/${RUNS}: ${row.faults}${hog ? ' + hog' : ''} (background ${Math.round(background * 100)}%): truth ${truth}, top ${row.top}${row.top === truth ? ' ✓' : ' ✗'}; knobs ${knobTruth}, first hub finding ${row.hubTop}; findings: ${a.findings.map((f) => `${f.kind}(${f.severity})`).join(', ') || 'none'}`,
    );
  }
} finally {
  await prom.stop();
  await hub.stop();
  rmSync(base, { recursive: true, force: true });
}

const correct = rows.filter((r) => r.top === r.truth).length;
const healthy = rows.filter((r) => r.faults === 'healthy');
const falseFindings = healthy.filter((r) => r.hubFindings.length > 0).length;
console.log(
  `\nanalyzer-truth: ${RUNS} runs of ${SECONDS} s at ${RATE} TPS, seed ${process.env.BENCH_TRUTH_SEED ?? 7}, load ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} CPUs`,
);
console.log(
  `  top-1 accuracy: ${correct}/${rows.length} = ${((100 * correct) / Math.max(1, rows.length)).toFixed(1)}%`,
);
console.log(
  `  healthy runs with a hub finding (false findings): ${falseFindings}/${healthy.length} = ${((100 * falseFindings) / Math.max(1, healthy.length)).toFixed(1)}%`,
);
console.log(
  `  runs whose truth was host contention from the background load (no hog): ${rows.filter((r) => !r.hog && r.truth === 'host-contention').length}`,
);
