import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { standardDfsps } from '@mlperf/core';
import { formatCheckReport, runChecks } from '../../src/check/index.js';
import { EXCHANGES_PER_TRANSFER } from '../../src/check/generator.js';
import type { CheckInput, CheckPlan, CheckTarget } from '../../src/check/index.js';
import { type FakeServices, startFakeServices } from './fake-services.js';

const dfsps = standardDfsps();
const plan: CheckPlan = {
  name: 'mojaloop-1000tps',
  durationMs: 4.5 * 3600_000,
  upperBound: true,
  tests: [
    { testId: 'baseline-100tps', peakRate: 100, upperBound: false, durationMs: 300_000 },
    { testId: 'target-1000tps', peakRate: 1000, upperBound: false, durationMs: 1_800_000 },
    { testId: 'stress-test', peakRate: 20_000, upperBound: true, durationMs: 3_600_000 },
  ],
  liquidity: [
    { dfsp: 'perffsp-1', needed: 380_000, upperBound: false },
    { dfsp: 'perffsp-2', needed: 240_000, upperBound: false },
  ],
  cost: { total: 185, currency: 'USD' },
};
const fastSelfTest = async () => ({
  exchanges: 9000,
  seconds: 1,
  exchangesPerSecond: 9000,
  transfersPerSecond: 4500,
  p99Ms: 3,
});

let fake: FakeServices;
beforeAll(async () => {
  fake = await startFakeServices(dfsps);
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.state.health = {
    status: 200,
    body: { status: 'OK', services: [{ name: 'datastore', status: 'OK' }] },
  };
  fake.state.startTimeSeconds = Date.now() / 1000 - 3600;
  fake.state.cpuPerSecond = 0.05;
  fake.state.memoryRatio = 0.1;
  fake.state.positions = Object.fromEntries(dfsps.map((d) => [d.id, 0]));
  fake.state.participants = dfsps;
  fake.state.endpoints = true;
});

function target(over: Partial<CheckTarget> = {}): CheckTarget {
  return {
    kind: 'url',
    health: [
      { service: 'ml-api-adapter', url: `${fake.url}/health` },
      { service: 'central-ledger', url: `${fake.url}/health` },
    ],
    metrics: [{ service: 'central-ledger', url: `${fake.url}/metrics` }],
    adminUrl: fake.url,
    ...over,
  };
}

function input(over: Partial<CheckInput> = {}): CheckInput {
  return { suiteName: plan.name, dfsps, plan, target: target(), selfTest: fastSelfTest, ...over };
}

const statusOf = (r: Awaited<ReturnType<typeof runChecks>>, id: string) => r.checks.find((c) => c.id === id);

describe('mlperf check against FAKE Mojaloop services', () => {
  it('passes when everything is ready, printed as the Phase-07 plan prints it', async () => {
    fake.state.cpuPerSecond = 0;
    const report = await runChecks(input());
    expect(report.exitCode).toBe(0);
    expect(formatCheckReport(report)).toMatchInlineSnapshot(`
      "System Ready Check
      ==================
      ✅ All services healthy: 2 of 2 healthy
      ✅ Services up long enough (30 min uptime): every service up at least 60 min
      ✅ Resource utilization < 20%: central-ledger CPU at 0.0%, central-ledger memory at 10.0% (from the services’ /metrics (cAdvisor names))
      ⏭️  No pending alerts: no Prometheus or Alertmanager given
      ⏭️  Sufficient cluster capacity: no kubeconfig given (the load runs on this machine)
      ✅ Test data provisioned: 8 DFSPs with positions as defined and enough liquidity
      ⏭️  First test completed successfully: no transfer probe configured
      ✅ Load generator capacity: about 4500 transfers/s, 4.5x the planned peak of 1000
      ✅ Estimated duration and cost: 3 tests, at most 4.5 hours, cost at most $185 (the stress test stops when it breaks the hub)

      Estimated test duration: at most 4.5 hours
      Estimated cost: at most $185
      READY"
    `);
  });

  it('fails services-healthy when a service says DOWN (exit 1), and when unreachable (exit 3)', async () => {
    fake.state.health = {
      status: 200,
      body: { status: 'DOWN', services: [{ name: 'broker', status: 'DOWN' }] },
    };
    let r = await runChecks(input({ only: ['services-healthy'] }));
    expect(statusOf(r, 'services-healthy')).toMatchObject({
      status: 'fail',
      reason: expect.stringContaining('broker DOWN'),
    });
    expect(r.exitCode).toBe(1);
    fake.state.health = { status: 503, body: {} };
    r = await runChecks(input({ only: ['services-healthy'] }));
    expect(statusOf(r, 'services-healthy')?.reason).toContain('HTTP 503');
    r = await runChecks(
      input({
        only: ['services-healthy'],
        target: target({ health: [{ service: 'quoting', url: 'http://127.0.0.1:1/health' }] }),
      }),
    );
    expect(statusOf(r, 'services-healthy')).toMatchObject({ status: 'fail', unavailable: true });
    expect(r.exitCode).toBe(3);
  });

  it('warns on uptime below 30 min for a real hub, and does not judge the embedded hub by it', async () => {
    fake.state.startTimeSeconds = Date.now() / 1000 - 600;
    let r = await runChecks(input({ only: ['uptime'] }));
    expect(statusOf(r, 'uptime')).toMatchObject({
      status: 'warn',
      reason: expect.stringContaining('10 min (< 30 min)'),
    });
    expect(statusOf(r, 'uptime')?.numbers[0]).toMatchObject({ label: 'central-ledger uptime', unit: 's' });
    expect(r.exitCode).toBe(0);
    // without metrics endpoints: the uptime field of Mojaloop's /health answer
    fake.state.health = { status: 200, body: { status: 'OK', uptime: 125 } };
    r = await runChecks(input({ only: ['uptime'], target: target({ metrics: [] }) }));
    expect(statusOf(r, 'uptime')).toMatchObject({
      status: 'warn',
      reason: expect.stringContaining('up only 2 min'),
    });
    r = await runChecks(input({ only: ['uptime'], target: target({ kind: 'embedded' }) }));
    expect(statusOf(r, 'uptime')).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('embedded hub started'),
    });
  });

  it('fails resource utilisation when CPU is already busy before load, warns at >= 20%, fails on memory near its limit', async () => {
    fake.state.cpuPerSecond = 0.8;
    let r = await runChecks(input({ only: ['resource-utilisation'] }));
    const c = statusOf(r, 'resource-utilisation');
    expect(c).toMatchObject({ status: 'fail', reason: expect.stringContaining('central-ledger CPU') });
    const cpu = c?.numbers.find((n) => n.label === 'central-ledger CPU')?.value ?? 0;
    expect(cpu).toBeGreaterThan(0.5);
    expect(cpu).toBeLessThan(1.2);
    fake.state.cpuPerSecond = 0.3;
    r = await runChecks(input({ only: ['resource-utilisation'] }));
    expect(statusOf(r, 'resource-utilisation')).toMatchObject({
      status: 'warn',
      reason: expect.stringContaining('(>= 20%) before any load'),
    });
    fake.state.cpuPerSecond = 0;
    fake.state.memoryRatio = 0.85;
    r = await runChecks(input({ only: ['resource-utilisation'] }));
    expect(statusOf(r, 'resource-utilisation')).toMatchObject({
      status: 'fail',
      reason: expect.stringContaining('central-ledger memory at 85.0% of its limit (>= 80%)'),
    });
  });

  it('fails test data when a DFSP is missing or liquidity is short', async () => {
    fake.state.participants = dfsps.filter((d) => d.id !== 'perffsp-8');
    fake.state.positions['perffsp-2'] = 1234.5;
    const r = await runChecks(
      input({
        only: ['test-data'],
        plan: { ...plan, liquidity: [{ dfsp: 'perffsp-1', needed: 2_000_000, upperBound: false }] },
      }),
    );
    const c = statusOf(r, 'test-data');
    expect(c?.status).toBe('fail');
    expect(c?.reason).toContain('perffsp-8 does not exist');
    expect(c?.reason).toContain('perffsp-1 can pay out $1,000,000.00');
    expect(c?.reason).toContain('the plan needs $2,000,000.00');
    // a moved position alone is not a missing DFSP: 8 defined, perffsp-8 missing, perffsp-1 short
    expect(c?.numbers).toContainEqual({ label: 'DFSPs provisioned', value: 6 });
    expect(r.exitCode).toBe(1);
  });

  it('a hub that has already run transfers: moved positions warn while the plan still fits under the limits', async () => {
    // payers' positions grew by what they paid, payees' fell by what they received (no settlement since)
    fake.state.positions['perffsp-1'] = 650;
    fake.state.positions['perffsp-5'] = -650;
    let r = await runChecks(input({ only: ['test-data'] }));
    let c = statusOf(r, 'test-data');
    expect(c?.status).toBe('warn');
    expect(c?.reason).toContain(
      'positions moved by earlier transfers (perffsp-1 $650.00, perffsp-5 -$650.00; defined $0.00), within their limits for the plan',
    );
    expect(c?.hint).toContain('settlement');
    expect(c?.numbers).toContainEqual({ label: 'perffsp-1 available', value: 999_350, unit: 'USD' });
    expect(c?.numbers).toContainEqual({ label: 'DFSPs provisioned', value: 8 });
    expect(r.exitCode).toBe(0);
    // so far moved that the plan no longer fits: that fails, naming the room left
    fake.state.positions['perffsp-1'] = 700_000;
    r = await runChecks(input({ only: ['test-data'] }));
    c = statusOf(r, 'test-data');
    expect(c?.status).toBe('fail');
    expect(c?.reason).toContain('perffsp-1 can pay out $300,000.00');
    expect(c?.reason).toContain('the plan needs $380,000.00');
    expect(r.exitCode).toBe(1);
  });

  it('only warns when liquidity runs short for an open-ended stress ramp; missing endpoints fail unless the engine registers them', async () => {
    let r = await runChecks(
      input({
        only: ['test-data'],
        plan: { ...plan, liquidity: [{ dfsp: 'perffsp-1', needed: 5_000_000, upperBound: true }] },
      }),
    );
    expect(statusOf(r, 'test-data')).toMatchObject({
      status: 'warn',
      reason: expect.stringContaining('at most (open-ended stress ramp)'),
    });
    fake.state.endpoints = false;
    r = await runChecks(input({ only: ['test-data'] }));
    expect(statusOf(r, 'test-data')?.reason).toContain('perffsp-1 has no FSPIOP_CALLBACK_URL_TRANSFER_POST');
    r = await runChecks(input({ only: ['test-data'], endpointsAtStart: true }));
    expect(statusOf(r, 'test-data')?.status).toBe('pass');
  });

  it('fails generator capacity below a quarter of the planned (bounded) peak, warns below 1.5x', async () => {
    const selfTest = (tps: number) => async () => ({
      exchanges: tps * 2,
      seconds: 1,
      exchangesPerSecond: tps * 2,
      transfersPerSecond: tps,
      p99Ms: 40,
    });
    let r = await runChecks(input({ only: ['generator-capacity'], selfTest: selfTest(200) }));
    expect(statusOf(r, 'generator-capacity')).toMatchObject({
      status: 'fail',
      reason: 'this machine drives about 200 transfers/s, less than a quarter of the planned peak of 1000',
    });
    r = await runChecks(input({ only: ['generator-capacity'], selfTest: selfTest(900) }));
    expect(statusOf(r, 'generator-capacity')).toMatchObject({
      status: 'warn',
      reason: 'this machine drives about 900 transfers/s: below the planned peak of 1000',
    });
  });

  it('fails first-transfer when the probe transfer fails, and reports the estimate', async () => {
    const r = await runChecks(
      input({
        only: ['first-transfer', 'estimate'],
        firstTransfer: async () => ({ ok: false, detail: 'transfer aborted with 4001' }),
      }),
    );
    expect(statusOf(r, 'first-transfer')).toMatchObject({
      status: 'fail',
      reason: 'transfer aborted with 4001',
    });
    expect(statusOf(r, 'estimate')).toMatchObject({
      status: 'pass',
      reason: expect.stringContaining('at most 4.5 hours, cost at most $185'),
    });
  });

  it('a real self-test of this machine reports the transfers/s its counted exchanges give over its 1.5 s', async () => {
    const r = await runChecks(input({ only: ['generator-capacity'], selfTest: undefined }));
    const number = (label: string) =>
      statusOf(r, 'generator-capacity')?.numbers.find((n) => n.label === label)?.value ?? 0;
    const cap = number('capacity');
    const exchanges = number('self-test exchanges');
    // past the warm-up round, 32 connections kept busy for 1.5 s (the last round may run over)
    expect(exchanges).toBeGreaterThanOrEqual(32);
    const seconds = exchanges / (cap * EXCHANGES_PER_TRANSFER);
    expect(seconds).toBeGreaterThanOrEqual(1.4);
    expect(seconds).toBeLessThan(4);
  });
});
