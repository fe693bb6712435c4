import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendPrepare } from './prepare.js';
import {
  ADMIN,
  cli,
  committedByPayer,
  dbNow,
  FSPIOP,
  K6,
  ledgerStatesSince,
  METRICS,
  positions,
  REPO,
  SCRIPTS,
  scriptsPresent,
  switchHealthy,
  unfinishedSince,
} from './switch.js';

/**
 * mlperf against a real Mojaloop switch core (central-ledger + ml-api-adapter, shared/real-mojaloop):
 * every command a user runs, then mlperf's counts against the ledger itself.
 * Slow on purpose (the switch does ~20-30 transfers/s on 2 shared cores): low rates, short runs.
 */
const present = scriptsPresent();
const target = ['--target', FSPIOP, '--admin-url', ADMIN];
const low = ['--profile', 'quick', '--time-scale', '0.1', '--rate-cap', '4'];
const PAYERS = ['perffsp-1', 'perffsp-2', 'perffsp-3', 'perffsp-4'];
const SECRET = 'real-switch-test';
const out = mkdtempSync(join(tmpdir(), 'mlperf-real-switch-'));
const t0 = Date.now();

beforeAll(async () => {
  // global-setup.ts started the switch (or found it up)
  if (present) expect(await switchHealthy(), 'the switch is up').toBe(true);
});

afterAll(() => {
  console.log(`real-switch suite: ${Math.round((Date.now() - t0) / 1000)} s`);
});

function runDir(base: string, prefix: string): string {
  const d = readdirSync(base).find((n) => n.startsWith(prefix));
  if (!d) throw new Error(`no ${prefix}* results in ${base}`);
  return join(base, d);
}

/** mlperf's committed and failed counts of a run must be what central-ledger holds. */
async function reconcile(dir: string, since: string, before: Record<string, number>) {
  const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
  const totals = run.totals as { started: number; succeeded: number; failed: Record<string, number> };
  const amount = Number(run.definition.transfer.amount);
  // wait until the switch has finished every transfer (expired ones are aborted by its 15 s timeout cron)
  await expect.poll(() => unfinishedSince(since), { timeout: 120_000, interval: 2000 }).toBe(0);
  const states = await ledgerStatesSince(since);
  // every transfer mlperf counts as committed is COMMITTED, and nothing it counts as failed is
  expect(states.COMMITTED ?? 0, JSON.stringify(states)).toBe(totals.succeeded);
  const after = await positions(PAYERS);
  const ledgerSums = await committedByPayer(since);
  for (const p of PAYERS) {
    // positions moved by exactly the committed sums
    expect(after[p]! - before[p]!, p).toBeCloseTo(ledgerSums[p] ?? 0, 4);
  }
  const moved = PAYERS.reduce((a, p) => a + (after[p]! - before[p]!), 0);
  expect(moved).toBeCloseTo(totals.succeeded * amount, 4);
  return { totals, states };
}

describe.skipIf(!present)(`mlperf against the real switch (${SCRIPTS})`, () => {
  it('check: services healthy and a first transfer committed end to end through this process', async () => {
    const r = await cli(['check', ...target, ...low, '--callback-wait', '240']);
    expect(r.stdout, r.stderr).toMatch(
      /✅ First test completed successfully: \d+ of \d+ transfers committed end to end/,
    );
    expect(r.stdout).toMatch(/✅ All services healthy/);
  });

  it('reset and positions: limits and funds back to the plan, positions read from central-ledger', async () => {
    const reset = await cli(['reset', ...target.slice(2)]);
    expect(reset.code, reset.stderr + reset.stdout).toBe(0);
    const pos = await cli(['positions', ...target.slice(2)]);
    expect(pos.code, pos.stderr).toBe(0);
    for (const p of PAYERS) expect(pos.stdout).toContain(p);
  });

  it('run: a rate the switch sustains, scraped by the private Prometheus; counts match the ledger', async () => {
    const base = join(out, 'run');
    const before = await positions(PAYERS);
    const since = await dbNow();
    const r = await cli(['run', 'baseline-100tps', ...target, ...low, '--metrics', METRICS, '--out', base]);
    expect([0, 1, 4], r.stderr).toContain(r.code);
    expect(r.stderr).toMatch(
      /Mojaloop metric names: central-ledger moja_cl_, ml-api-adapter moja_ml_, discovered/,
    );
    const dir = runDir(base, 'baseline-100tps-');
    expect(readFileSync(join(dir, 'logs/engine.log'), 'utf8')).toMatch(/callback probe: the hub called/);
    const { totals } = await reconcile(dir, since, before);
    expect(totals.started).toBeGreaterThan(0);
    console.log(
      `run: ${r.stdout
        .split('\n')
        .filter((l) => /transfers:|p95|achieved/.test(l))
        .join(' | ')}`,
    );
  });

  it('every catalogue query against Prometheus scraping the switch: those without data, and why', async () => {
    const dir = runDir(join(out, 'run'), 'baseline-100tps-');
    const metrics = join(dir, 'metrics');
    const empty: string[] = [];
    for (const f of readdirSync(metrics).filter((n) => n.endsWith('.json'))) {
      const m = JSON.parse(readFileSync(join(metrics, f), 'utf8')) as { name: string; result: unknown[] };
      if (m.result.length === 0) empty.push(m.name);
    }
    // Expected gaps on this switch, each with its reason (no exporter runs here for them).
    const WHY: Record<string, string> = {
      cpu_usage_ratio: 'no cAdvisor (no containers)',
      cpu_usage_cores: 'no cAdvisor',
      cpu_throttling_ratio: 'no cAdvisor',
      memory_working_set_ratio: 'no cAdvisor',
      memory_working_set_bytes: 'no cAdvisor',
      service_restarts: 'no kube-state-metrics',
      kafka_consumer_lag: "no kafka_exporter (and the broker is librdkafka's mock cluster)",
      kafka_consumer_lag_growth: 'no kafka_exporter',
      db_connections_ratio: 'no mysqld_exporter',
      db_row_lock_waits: 'no mysqld_exporter',
      db_pool_wait_p95_ms: 'central-ledger exposes no pool-wait histogram (embedded hub only)',
      db_pool_pending: 'central-ledger exposes no pool gauge (embedded hub only)',
      mojaloop_aborted_by_error_code: 'central-ledger has no per-error-code counter (embedded hub only)',
      mojaloop_p95_ms: 'ml-api-adapter 16.5.3 records tx_transfer only when both legs carry trace timestamps',
      mojaloop_p99_ms: 'as mojaloop_p95_ms',
      validation_p95_latency_seconds: 'recorded from tx_transfer, as mojaloop_p95_ms',
      engine_errors_by_type: 'no transfer failed',
      validation_error_rate_by_type: 'no transfer failed',
    };
    for (const name of empty) console.log(`no data: ${name}: ${WHY[name] ?? 'UNEXPECTED'}`);
    expect(empty.filter((n) => !(n in WHY))).toEqual([]);
    // the transfer path itself is measured from the services' own metrics
    for (const name of [
      'mojaloop_tps',
      'mojaloop_prepare_tps',
      'process_cpu_cores',
      'event_loop_lag_seconds',
      'validation_actual_tps',
    ])
      expect(empty, name).not.toContain(name);
  });

  it('suite run (compressed): every test against the switch, with a suite report', async () => {
    const base = join(out, 'suite');
    // no --force: the positions earlier runs moved are a warning of the pre-test check, not a failure;
    // --continue-on-fail: every test runs whatever the verdicts of this 2-core switch (about 260 s planned)
    const r = await cli([
      'suite',
      'run',
      '--continue-on-fail',
      ...target,
      '--profile',
      'quick',
      '--time-scale',
      '0.02',
      '--rate-cap',
      '3',
      '--out',
      base,
    ]);
    expect([0, 1, 4], r.stderr + r.stdout).toContain(r.code);
    expect(r.stdout).toMatch(/Suite report: /);
    const dir = runDir(base, 'suite-');
    const suite = JSON.parse(readFileSync(join(dir, 'suite.json'), 'utf8')) as {
      check?: { status?: string };
      tests: { testId: string; status: string; verdict?: string }[];
    };
    console.log(`suite: ${suite.tests.map((t) => `${t.testId} ${t.status} ${t.verdict ?? '-'}`).join(', ')}`);
    expect(suite.tests.map((t) => t.status)).toEqual(suite.tests.map(() => 'completed'));
    for (const t of suite.tests) expect(['pass', 'fail', 'inconclusive'], t.testId).toContain(t.verdict);
  });

  it.skipIf(!existsSync(K6))(
    '--executor k6: the real k6 beside the DFSP simulator on the stable callback port',
    async () => {
      const base = join(out, 'k6');
      const before = await positions(PAYERS);
      const since = await dbNow();
      const r = await cli(['run', 'baseline-100tps', ...target, ...low, '--executor', 'k6', '--out', base], {
        MLPERF_K6: K6,
      });
      expect([0, 1, 4], r.stderr + r.stdout).toContain(r.code);
      await reconcile(runDir(base, 'baseline-100tps-'), since, before);
    },
  );

  it('dfsp-sim: on the stable callback port, it answers a transfer sent through the switch as the payee', async () => {
    const sim = spawn(
      process.execPath,
      ['apps/runner/dist/cli.js', 'dfsp-sim', '--port', '4040', '--admin-url', ADMIN, '--hub-url', FSPIOP],
      {
        cwd: REPO,
        env: { ...process.env, MLPERF_FULFILMENT_SECRET: SECRET },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let log = '';
    sim.stdout.on('data', (c) => {
      log += c;
    });
    sim.stderr.on('data', (c) => {
      log += c;
    });
    try {
      await expect.poll(() => log, { timeout: 30_000 }).toMatch(/registered the transfer callbacks/);
      const id = randomUUID();
      const res = await sendPrepare(id, 'perffsp-1', 'perffsp-5', SECRET);
      expect(res.status, await res.text()).toBe(202);
      const outcome = (await fetch(`http://127.0.0.1:4040/outcomes/${id}?waitMs=60000`, {
        signal: AbortSignal.timeout(70_000),
      }).then((r) => r.json())) as { state?: string };
      expect(outcome.state, JSON.stringify(outcome)).toBe('COMMITTED');
    } finally {
      sim.kill('SIGINT');
      await new Promise((r) => sim.once('exit', r));
    }
  });
});
