import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { loadSuiteFile, planSuite, resolveProfile, validateSuite } from '@mlperf/core';
import { run } from '@mlperf/cli';
import customSuite from '../custom-suite.js';

const file = fileURLToPath(new URL('../custom-suite.ts', import.meta.url));

describe('examples/custom-suite.ts', () => {
  it('is a valid suite of 4 DFSPs, 2 corridors and 2 tests', () => {
    const { suite, warnings } = validateSuite(customSuite);
    expect(warnings).toEqual([]);
    expect([suite.dfsps.length, suite.corridors.length, suite.tests.length]).toEqual([4, 2, 2]);
  });

  it('plans 126,000 steady transfers split 70/30, and the stress test up to its bound', () => {
    const plan = planSuite(validateSuite(customSuite).suite);
    const [steady, stress] = plan.tests;
    // ramp 0->200 over 1m (6,000) + 200 TPS for 10m (120,000)
    expect(steady?.transfers).toBe(126_000);
    expect(steady?.corridors.map((k) => [k.name, k.transfers, k.peakTps])).toEqual([
      ['bank-a->wallet-x', 88_200, 140],
      ['bank-b->wallet-y', 37_800, 60],
    ]);
    expect(steady?.liquidity.map((l) => [l.dfsp, l.needed, l.feasible])).toEqual([
      ['bank-a', 44_100, true],
      ['bank-b', 18_900, true],
    ]);
    // 200->1000 over 5m, then 1000->4000 at +250/min (12m), then 100 TPS recovery for 2m
    expect(stress?.durationMs).toBe(19 * 60_000);
    expect(stress?.upperBound).toBe(true);
    expect(plan.durationMs).toBe((11 + 1 + 19) * 60_000);
    expect(plan.cost).toEqual({ perNodeHour: 0.9, nodes: 6, currency: 'EUR', nodeHours: 3.1, total: 2.79 });
    // Ramping to 4000 TPS would need more than bank-a is funded for: flagged, as an upper bound.
    expect(plan.flags.map((f) => [f.severity, f.dfsp])).toEqual([
      ['warning', 'bank-a'],
      ['warning', 'bank-b'],
    ]);
  });

  it('loads from its file as the CLI does, and scales with the quick profile', async () => {
    const { suite } = await loadSuiteFile(file);
    expect(suite).toEqual(validateSuite(customSuite).suite);
    const quick = planSuite(validateSuite(resolveProfile(suite, { profile: 'quick' })).suite);
    expect(quick.tests[0]?.transfers).toBe(2_100);
    expect(quick.feasible).toBe(true);
  });

  it('passes `mlperf validate examples/custom-suite.ts` (run in-process)', async () => {
    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
      out.push(a.join(' '));
    });
    try {
      expect(await run(['validate', file])).toBe(0);
    } finally {
      log.mockRestore();
    }
    expect(out[0]).toContain('suite "two-corridor-eur" is valid: 4 DFSPs, 2 corridors, 2 tests');
  });
});
