import { describe, expect, it } from 'vitest';
import { rateAt, stageArrivals, timeStages, totalDurationMs } from '@mlperf/core';

describe('stage timing', () => {
  const stages = timeStages([
    { kind: 'ramp', from: 0, to: 1000, duration: '10m' },
    { kind: 'constant', rate: 1000, duration: '5m' },
    { kind: 'open-ramp', from: 1000, stepPerMinute: 500, maxRate: 3000 },
  ]);

  it('lays stages end to end and bounds the open ramp by maxRate', () => {
    expect(stages.map((s) => [s.startMs, s.durationMs])).toEqual([
      [0, 600_000],
      [600_000, 300_000],
      [900_000, 240_000],
    ]);
    expect(totalDurationMs(stages)).toBe(1_140_000);
  });

  it('gives the planned rate at any time', () => {
    expect(rateAt(stages, 300_000)).toEqual({ rate: 500, stage: 0 });
    expect(rateAt(stages, 700_000)).toEqual({ rate: 1000, stage: 1 });
    expect(rateAt(stages, 960_000)).toEqual({ rate: 1500, stage: 2 });
    expect(rateAt(stages, 2_000_000)).toBeUndefined();
  });

  it('integrates arrivals over a stage', () => {
    expect(stageArrivals(stages[0]!, 0, 600_000)).toBe(300_000);
    expect(stageArrivals(stages[1]!, 0, 300_000)).toBe(300_000);
  });

  it('an unbounded open ramp lasts until its stop rule', () => {
    const [open] = timeStages([{ kind: 'open-ramp', from: 5000, stepPerMinute: 500 }]);
    expect(open!.durationMs).toBe(Number.POSITIVE_INFINITY);
  });
});
