import { describe, expect, it } from 'vitest';
import { PhaseMachine } from '../src/engine/phase.js';

describe('the run phase machine', () => {
  it('load -> recovery -> drain -> done, the drain bounded by the transfer timeout', () => {
    const p = new PhaseMachine();
    expect(p.on({ kind: 'start' }, 0)).toBe('load');
    expect(p.loading).toBe(true);
    expect(p.on({ kind: 'arrivals-ended', recovery: true, drainMs: 35_000 }, 10_000)).toBe('recovery');
    expect(p.loading).toBe(true);
    expect(p.on({ kind: 'arrivals-ended', recovery: false, drainMs: 35_000 }, 20_000)).toBe('drain');
    expect(p.drainDeadlineMs).toBe(55_000);
    expect(p.on({ kind: 'settled' }, 21_000)).toBe('done');
    expect(p.on({ kind: 'abort', drainMs: 5000 }, 22_000)).toBeUndefined();
  });

  it('an abort drains for the abort time; an abort during a drain only shortens it', () => {
    const p = new PhaseMachine();
    p.on({ kind: 'start' }, 0);
    expect(p.on({ kind: 'abort', drainMs: 5000 }, 3000)).toBe('drain');
    expect(p.drainDeadlineMs).toBe(8000);
    expect(p.on({ kind: 'arrivals-ended', recovery: true, drainMs: 35_000 }, 3001)).toBeUndefined();
    expect(p.drainDeadlineMs).toBe(8000);
    const q = new PhaseMachine();
    q.on({ kind: 'start' }, 0);
    q.on({ kind: 'arrivals-ended', recovery: false, drainMs: 35_000 }, 10_000);
    expect(q.on({ kind: 'abort', drainMs: 5000 }, 11_000)).toBeUndefined();
    expect(q.drainDeadlineMs).toBe(16_000);
    expect(q.phase).toBe('drain');
  });
});
