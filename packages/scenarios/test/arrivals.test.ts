import { timeStages } from '@mlperf/core';
import { standardSuite } from '@mlperf/scenarios';
import { describe, expect, it } from 'vitest';
import { ArrivalSchedule, CorridorPicker } from '../src/engine/arrivals.js';

function drain(s: ArrivalSchedule, max = 1e7): number[] {
  const out: number[] = [];
  while (s.nextAtMs !== Infinity && out.length < max) {
    out.push(s.nextAtMs);
    s.advance();
  }
  return out;
}

describe('ArrivalSchedule', () => {
  it('places a constant rate exactly: 1000 TPS for 30 s is 30,000 arrivals 1 ms apart', () => {
    const t = drain(new ArrivalSchedule(timeStages([{ kind: 'constant', rate: 1000, duration: '30s' }])));
    expect(t).toHaveLength(30_000);
    expect(t[1]).toBeCloseTo(1, 9);
    expect(t.at(-1)).toBeCloseTo(29_999, 6);
  });

  it('follows a ramp: 0 -> 1000 TPS over 10 s is ~5,000 arrivals, denser at the end', () => {
    const t = drain(new ArrivalSchedule(timeStages([{ kind: 'ramp', from: 0, to: 1000, duration: '10s' }])));
    expect(Math.abs(t.length - 5000)).toBeLessThanOrEqual(1);
    const firstSecond = t.filter((x) => x < 1000).length;
    const lastSecond = t.filter((x) => x >= 9000).length;
    expect(Math.abs(firstSecond - 50)).toBeLessThanOrEqual(1);
    expect(Math.abs(lastSecond - 950)).toBeLessThanOrEqual(1);
  });

  it('lays stages end to end and counts each second as the rate integral', () => {
    const stages = timeStages([
      { kind: 'constant', rate: 100, duration: '2s' },
      { kind: 'ramp', from: 100, to: 300, duration: '2s' },
    ]);
    const t = drain(new ArrivalSchedule(stages));
    const perSecond = [0, 1, 2, 3].map((s) => t.filter((x) => x >= s * 1000 && x < (s + 1) * 1000).length);
    expect(perSecond[0]).toBe(100);
    expect(perSecond[1]).toBe(100);
    expect(Math.abs((perSecond[2] as number) - 150)).toBeLessThanOrEqual(1);
    expect(Math.abs((perSecond[3] as number) - 250)).toBeLessThanOrEqual(1);
  });

  it('ramps an open stage until its bound, stops early, and holds a recovery rate', () => {
    const s = new ArrivalSchedule(
      timeStages([{ kind: 'open-ramp', from: 100, stepPerMinute: 6000, maxDuration: '10s' }]),
    );
    // 100 TPS + 100 TPS per second: after 3 s the rate is 400 TPS
    expect(s.rateAt(3000)?.rate).toBeCloseTo(400, 6);
    const before = drain(s, 1e6).filter((x) => x < 3000).length;
    expect(Math.abs(before - (100 * 3 + (100 * 9) / 2))).toBeLessThanOrEqual(1);
    const s2 = new ArrivalSchedule(
      timeStages([{ kind: 'open-ramp', from: 100, stepPerMinute: 6000, maxDuration: '10s' }]),
    );
    s2.stopAt(2000);
    const cut = drain(s2);
    expect(cut.every((x) => x < 2000)).toBe(true);
    const idx = s2.hold(2000, 50, 2000);
    expect(idx).toBe(1);
    const rec = drain(s2);
    expect(rec).toHaveLength(100);
    expect(rec[0]).toBe(2000);
    expect(s2.rateAt(2500)).toEqual({ rate: 50, stage: 1 });
  });

  it('schedules the whole standard stress test within its safety bounds', () => {
    const stress = standardSuite().tests.find((t) => t.id === 'stress-test');
    const s = new ArrivalSchedule(timeStages(stress?.stages ?? []));
    expect(s.rateAt(5 * 60_000)?.rate).toBeCloseTo(500, 6);
    expect(s.rateAt(25 * 60_000)?.rate).toBeCloseTo(3500, 6);
    expect(s.rateAt(31 * 60_000)?.rate).toBeCloseTo(5500, 6);
  });
});

describe('CorridorPicker', () => {
  it('keeps the 40/25/20/15 mix exactly: every 20 picks, and over 10,000 within 1%', () => {
    const suite = standardSuite();
    const p = new CorridorPicker(suite.corridors);
    const counts = [0, 0, 0, 0];
    const pick = () => {
      const i = p.next();
      counts[i] = (counts[i] ?? 0) + 1;
    };
    for (let i = 0; i < 20; i++) pick();
    expect(counts).toEqual([8, 5, 4, 3]);
    for (let i = 20; i < 10_000; i++) pick();
    expect(counts.map((c) => c / 10_000)).toEqual([0.4, 0.25, 0.2, 0.15]);
  });
});
