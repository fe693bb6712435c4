import { describe, expect, it } from 'vitest';
import {
  MlperfError,
  planSuite,
  planTest,
  resolveProfile,
  type SuiteDefinition,
  validateSuite,
} from '@mlperf/core';
import { validSuite } from './_suite.js';

/** The Phase-07 plan's topology and constant tests, built here so core's tests do not depend on scenarios. */
function planShaped(amount = '0.1'): SuiteDefinition {
  const dfsps = Array.from({ length: 8 }, (_, i) => ({
    id: `perffsp-${i + 1}`,
    currency: 'USD',
    initialPosition: 0,
    liquidity: i < 4 ? 1_000_000 : 0,
    netDebitCap: i < 4 ? 1_000_000 : 0,
  }));
  const weights = [0.4, 0.25, 0.2, 0.15];
  const constant = (id: string, rate: number, duration: string, after?: string) => ({
    id,
    name: id,
    kind: 'custom' as const,
    stages: [{ kind: 'constant' as const, rate, duration }],
    criteria: [{ kind: 'transfers' as const, min: 0 }],
    ...(after ? { after } : {}),
  });
  return {
    name: 'seed-shaped',
    dfsps,
    corridors: weights.map((weight, i) => ({ payer: `perffsp-${i + 1}`, payee: `perffsp-${i + 5}`, weight })),
    transfer: { amount, expiration: '30s' },
    cooldownBetweenTests: '2m',
    tests: [
      constant('endurance', 1000, '2h', 'target'),
      constant('baseline', 100, '5m'),
      constant('scale', 500, '15m', 'baseline'),
      constant('target', 1000, '30m', 'scale'),
    ],
    criteria: [{ kind: 'all-tests-completed' }],
  };
}

describe('planSuite: the Phase-07 plan numbers', () => {
  const plan = planSuite(validateSuite(planShaped()).suite, { cost: { perNodeHour: 4, nodes: 10 } });

  it('plans 30,000 / 450,000 / 1,800,000 / 7,200,000 transfers, in progression order', () => {
    expect(plan.tests.map((t) => [t.testId, t.transfers])).toEqual([
      ['baseline', 30_000],
      ['scale', 450_000],
      ['target', 1_800_000],
      ['endurance', 7_200_000],
    ]);
    expect(plan.transfers).toBe(9_480_000);
  });

  it('runs 400 / 250 / 200 / 150 TPS per corridor at 1000 TPS', () => {
    const target = plan.tests[2]!;
    expect(target.corridors.map((k) => [k.name, k.peakTps, k.transfers])).toEqual([
      ['perffsp-1->perffsp-5', 400, 720_000],
      ['perffsp-2->perffsp-6', 250, 450_000],
      ['perffsp-3->perffsp-7', 200, 360_000],
      ['perffsp-4->perffsp-8', 150, 270_000],
    ]);
  });

  it('sums durations with the cool-downs between tests, and the cost', () => {
    expect(plan.durationMs).toBe((5 + 15 + 30 + 120 + 3 * 2) * 60_000);
    expect(plan.cost).toEqual({
      perNodeHour: 4,
      nodes: 10,
      currency: 'USD',
      nodeHours: 29.3333,
      total: 117.33,
    });
  });

  it('computes what each payer needs (amount x its transfers) against its funding', () => {
    expect(plan.tests[2]!.liquidity.map((l) => [l.dfsp, l.needed, l.available, l.feasible])).toEqual([
      ['perffsp-1', 72_000, 1_000_000, true],
      ['perffsp-2', 45_000, 1_000_000, true],
      ['perffsp-3', 36_000, 1_000_000, true],
      ['perffsp-4', 27_000, 1_000_000, true],
    ]);
    expect(plan.liquidity[0]).toMatchObject({ dfsp: 'perffsp-1', transfers: 3_792_000, needed: 379_200 });
    expect(plan.feasible).toBe(true);
    expect(plan.flags).toEqual([]);
  });
});

describe('planSuite: infeasible plans are flagged loudly', () => {
  it('flags a payer whose funding cannot cover one test, with the amount that would fit', () => {
    const plan = planSuite(validateSuite(planShaped('1')).suite);
    expect(plan.feasible).toBe(false);
    const flags = plan.flags.filter((f) => f.testId === 'endurance');
    expect(flags.map((f) => [f.severity, f.message, f.hint])).toEqual([
      [
        'infeasible',
        'endurance: perffsp-1 must pay USD 2,880,000.00 (2,880,000 transfers x 1) but can pay only USD 1,000,000.00',
        "lower transfer.amount to at most 0.3472, or raise perffsp-1's liquidity and net debit cap",
      ],
      [
        'infeasible',
        'endurance: perffsp-2 must pay USD 1,800,000.00 (1,800,000 transfers x 1) but can pay only USD 1,000,000.00',
        "lower transfer.amount to at most 0.5555, or raise perffsp-2's liquidity and net debit cap",
      ],
      [
        'infeasible',
        'endurance: perffsp-3 must pay USD 1,440,000.00 (1,440,000 transfers x 1) but can pay only USD 1,000,000.00',
        "lower transfer.amount to at most 0.6944, or raise perffsp-3's liquidity and net debit cap",
      ],
      [
        'infeasible',
        'endurance: perffsp-4 must pay USD 1,080,000.00 (1,080,000 transfers x 1) but can pay only USD 1,000,000.00',
        "lower transfer.amount to at most 0.9259, or raise perffsp-4's liquidity and net debit cap",
      ],
    ]);
  });

  it('warns when only the whole suite, without resets, exceeds the funding', () => {
    const plan = planSuite(validateSuite(planShaped('0.3')).suite);
    expect(plan.feasible).toBe(true);
    expect(plan.flags.map((f) => `${f.severity}: ${f.message}`)).toEqual([
      'warning: perffsp-1 pays USD 1,137,600.00 over the whole suite but can pay only USD 1,000,000.00',
    ]);
  });

  it('counts net debit cap and opening position against the payer', () => {
    const s = planShaped();
    s.dfsps[0] = { ...s.dfsps[0]!, netDebitCap: 50_000, initialPosition: 10_000 };
    const plan = planSuite(validateSuite(s).suite);
    expect(plan.tests[2]!.liquidity[0]).toMatchObject({ available: 40_000, needed: 72_000, feasible: false });
  });

  it('flags a transfers criterion the plan can never meet', () => {
    const s = validSuite();
    s.tests[0]!.criteria.push({ kind: 'transfers', min: 1000 });
    const plan = planTest(validateSuite(s).suite, 'steady');
    expect(plan.transfers).toBe(600);
    expect(plan.flags.map((f) => f.message)).toEqual([
      'steady: criterion "transfers >= 1,000" can never pass: the plan has 600',
    ]);
  });
});

describe('planTest: stages', () => {
  it('plans ramps by their area and open ramps up to their bound, as upper bounds', () => {
    const s = validSuite();
    s.tests[1]!.recovery = { rate: 5, duration: '1m' };
    const plan = planTest(validateSuite(s).suite, 'stress');
    expect(
      plan.stages.map((x) => [x.kind, x.durationMs, x.fromRate, x.toRate, x.transfers, x.upperBound]),
    ).toEqual([
      ['ramp', 60_000, 0, 20, 600, false],
      // 20 -> 50 TPS at +10/min: 3 minutes, (20 + 50) / 2 x 180 s.
      ['open-ramp', 180_000, 20, 50, 6300, true],
      ['recovery', 60_000, 5, 5, 300, false],
    ]);
    expect(plan.upperBound).toBe(true);
    expect(plan.transfers).toBe(7200);
    expect(plan.durationMs).toBe(300_000);
    expect(plan.corridors.map((k) => [k.transfers, k.peakTps])).toEqual([
      [4320, 30],
      [2880, 20],
    ]);
    expect(plan.liquidity.every((l) => l.upperBound)).toBe(true);
  });

  it('splits transfers over corridors so they add up exactly', () => {
    const s = validSuite();
    s.corridors = [
      { payer: 'fsp-a', payee: 'fsp-c', weight: 1 / 3 },
      { payer: 'fsp-b', payee: 'fsp-c', weight: 1 / 3 },
      { payer: 'fsp-a', payee: 'fsp-b', weight: 1 / 3 },
    ];
    s.tests[0]!.stages = [{ kind: 'constant', rate: 7, duration: '1s' }];
    const plan = planTest(validateSuite(s).suite, 'steady');
    expect(plan.corridors.map((k) => k.transfers)).toEqual([3, 2, 2]);
    expect(plan.liquidity.map((l) => [l.dfsp, l.transfers, l.received])).toEqual([
      ['fsp-a', 5, 0],
      ['fsp-b', 2, 2],
    ]);
  });

  it('plans the quick profile of a suite', () => {
    const quick = resolveProfile(planShaped(), { profile: 'quick' });
    const plan = planSuite(validateSuite(quick).suite);
    expect(plan.tests.map((t) => t.transfers)).toEqual([500, 7500, 30_000, 120_000]);
    expect(plan.durationMs).toBe((5 + 15 + 30 + 120) * 1000 + 3 * 3000);
  });

  it('rejects an unknown test id', () => {
    expect(() => planTest(validSuite(), 'nope')).toThrow(MlperfError);
    expect(() => planTest(validSuite(), 'nope')).toThrow('suite "small" has no test "nope"');
  });
});
