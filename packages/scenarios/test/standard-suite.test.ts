import { describe, expect, it } from 'vitest';
import { resolveProfile, stageArrivals, timeStages } from '@mlperf/core';
import { standardSuite } from '@mlperf/scenarios';
import { standardTestFileName } from '../src/standard-suite.js';

const transfersOf = (stages: Parameters<typeof timeStages>[0]) =>
  timeStages(stages).reduce((n, s) => n + stageArrivals(s, 0, s.durationMs), 0);

describe('the standard Phase-07 suite', () => {
  const suite = standardSuite();

  it('warms the hub up before every measured stage', () => {
    for (const t of standardSuite().tests) expect(t.warmup, t.id).toMatch(/^\d+[sm]$/);
  });

  it('has the Phase-07 plan five tests with their planned volumes', () => {
    const volumes = Object.fromEntries(
      suite.tests.filter((t) => t.kind !== 'stress').map((t) => [t.id, transfersOf(t.stages)]),
    );
    expect(volumes).toEqual({
      'baseline-100tps': 30_000,
      'scale-500tps': 450_000,
      'target-1000tps': 1_800_000,
      'endurance-1000tps': 7_200_000,
    });
  });

  it('splits 1000 TPS 400/250/200/150 across the corridors', () => {
    expect(suite.corridors.map((c) => c.weight * 1000)).toEqual([400, 250, 200, 150]);
  });

  it('funds perffsp-1..4 with $1,000,000.00 and leaves perffsp-5..8 at $0.00', () => {
    expect(suite.dfsps.map((d) => [d.id, d.liquidity])).toEqual([
      ['perffsp-1', 1_000_000],
      ['perffsp-2', 1_000_000],
      ['perffsp-3', 1_000_000],
      ['perffsp-4', 1_000_000],
      ['perffsp-5', 0],
      ['perffsp-6', 0],
      ['perffsp-7', 0],
      ['perffsp-8', 0],
    ]);
  });

  it('gates the progression: baseline -> scale -> target -> endurance, target -> stress', () => {
    expect(suite.tests.map((t) => [t.id, t.after])).toEqual([
      ['baseline-100tps', undefined],
      ['scale-500tps', 'baseline-100tps'],
      ['target-1000tps', 'scale-500tps'],
      ['endurance-1000tps', 'target-1000tps'],
      ['stress-test', 'target-1000tps'],
    ]);
  });

  it('the quick profile divides durations by 60 and reaches the same stress rates', () => {
    const quick = resolveProfile(suite, { profile: 'quick' });
    const target = quick.tests.find((t) => t.id === 'target-1000tps')!;
    expect(target.stages).toEqual([{ kind: 'constant', rate: 1000, duration: '30s' }]);
    const stress = quick.tests.find((t) => t.id === 'stress-test')!;
    expect(stress.stages[3]).toMatchObject({
      kind: 'open-ramp',
      from: 5000,
      stepPerMinute: 30_000,
      maxDuration: '30s',
    });
    expect(quick.profile).toEqual({ name: 'quick', timeScale: 1 / 60 });
  });

  it('names manifests as the Phase-07 plan does', () => {
    expect(standardTestFileName('target-1000tps')).toBe('03-target-1000tps.yaml');
  });
});

describe('profiles scale what depends on time', () => {
  it('shrinks warm-up, cool-down and expected transfers with the test', () => {
    const quick = resolveProfile(standardSuite(), { profile: 'quick' });
    const baseline = quick.tests[0]!;
    expect([baseline.warmup, baseline.cooldown, baseline.expected?.transfers]).toEqual([
      '500ms',
      '167ms',
      500,
    ]);
    const capped = resolveProfile(standardSuite(), { profile: 'full', rateCap: 500 });
    expect(capped.tests.find((t) => t.id === 'target-1000tps')!.expected?.transfers).toBe(900_000);
  });
});
