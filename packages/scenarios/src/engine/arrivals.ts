import type { CorridorDefinition, TimedStage } from '@mlperf/core';

/** One phase of arrivals: a stage as planned, or the recovery hold appended after a stop. */
interface Phase {
  index: number;
  /** ms from the run start. */
  startMs: number;
  durationMs: number;
  /** Rate at the phase start and its slope, both per ms. */
  a: number;
  b: number;
  /** Rate cap per ms (open ramps' maxRate), or Infinity. */
  capPerMs: number;
}

function phaseOf(t: TimedStage): Phase {
  const s = t.stage;
  if (s.kind === 'constant')
    return {
      index: t.index,
      startMs: t.startMs,
      durationMs: t.durationMs,
      a: s.rate / 1000,
      b: 0,
      capPerMs: Infinity,
    };
  if (s.kind === 'ramp') {
    const b = t.durationMs > 0 ? (s.to - s.from) / 1000 / t.durationMs : 0;
    return {
      index: t.index,
      startMs: t.startMs,
      durationMs: t.durationMs,
      a: s.from / 1000,
      b,
      capPerMs: Infinity,
    };
  }
  return {
    index: t.index,
    startMs: t.startMs,
    durationMs: t.durationMs,
    a: s.from / 1000,
    b: s.stepPerMinute / 1000 / 60_000,
    capPerMs: s.maxRate === undefined ? Infinity : s.maxRate / 1000,
  };
}

/**
 * Time (ms from the phase start) of the k-th arrival (k = 0, 1, ...): the inverse of the
 * arrival integral N(t) = a t + b t^2 / 2, capped at a constant rate once `capPerMs` is reached.
 * Arrivals are placed exactly, whatever the responses do (open model).
 */
function arrivalTime(p: Phase, k: number): number {
  if (k === 0) return p.a > 0 || p.b > 0 ? 0 : Infinity;
  const tCap = p.b > 0 && Number.isFinite(p.capPerMs) ? Math.max(0, (p.capPerMs - p.a) / p.b) : Infinity;
  const nCap = Number.isFinite(tCap) ? p.a * tCap + (p.b * tCap * tCap) / 2 : Infinity;
  if (k > nCap) return p.capPerMs > 0 ? tCap + (k - nCap) / p.capPerMs : Infinity;
  const disc = p.a * p.a + 2 * p.b * k;
  if (disc < 0) return Infinity;
  const denom = p.a + Math.sqrt(disc);
  return denom > 0 ? (2 * k) / denom : Infinity;
}

/**
 * The arrival schedule of a run: every arrival's intended time, stage by stage.
 * `stopAt()` ends the planned stages early (stop rule, abort); `hold()` appends a constant phase
 * (the stress test's recovery). No allocation per arrival.
 */
export class ArrivalSchedule {
  private readonly phases: Phase[];
  private phase = 0;
  private k = 0;
  private endMs: number;
  /** Intended time of the next arrival (ms from the run start), Infinity when none is left. */
  nextAtMs = Infinity;
  /** Stage index of the next arrival. */
  nextStage = 0;

  constructor(stages: readonly TimedStage[]) {
    this.phases = stages.map(phaseOf);
    this.endMs = Infinity;
    this.seek();
  }

  /** Moves to the following arrival. */
  advance(): void {
    this.k++;
    this.seek();
  }

  /** No arrival at or after `tMs` (from the run start). */
  stopAt(tMs: number): void {
    this.endMs = Math.min(this.endMs, tMs);
    if (this.nextAtMs >= this.endMs) this.nextAtMs = Infinity;
  }

  /** Appends a constant-rate phase from `startMs` for `durationMs`; returns its stage index. */
  hold(startMs: number, rate: number, durationMs: number): number {
    const index = this.phases.length;
    this.phases.push({ index, startMs, durationMs, a: rate / 1000, b: 0, capPerMs: Infinity });
    this.phase = index;
    this.k = 0;
    this.endMs = Infinity;
    this.seek();
    return index;
  }

  /** Planned rate (TPS) at `tMs`, with its stage, or undefined after the last phase. */
  rateAt(tMs: number): { rate: number; stage: number } | undefined {
    if (tMs >= this.endMs) return undefined;
    for (let i = this.phases.length - 1; i >= 0; i--) {
      const p = this.phases[i] as Phase;
      if (tMs >= p.startMs && tMs < p.startMs + p.durationMs) {
        const perMs = Math.min(p.capPerMs, p.a + p.b * (tMs - p.startMs));
        return { rate: perMs * 1000, stage: p.index };
      }
    }
    return undefined;
  }

  private seek(): void {
    while (this.phase < this.phases.length) {
      const p = this.phases[this.phase] as Phase;
      const t = arrivalTime(p, this.k);
      if (t < p.durationMs && p.startMs + t < this.endMs) {
        this.nextAtMs = p.startMs + t;
        this.nextStage = p.index;
        return;
      }
      if (p.startMs + Math.min(t, p.durationMs) >= this.endMs) break;
      this.phase++;
      this.k = 0;
    }
    this.nextAtMs = Infinity;
  }
}

/**
 * Smooth weighted round-robin over the corridors: deterministic, and over any run of picks each
 * corridor's share is within one pick of its weight (40/25/20/15 holds exactly every 20 picks).
 */
export class CorridorPicker {
  private readonly weights: number[];
  private readonly current: number[];
  private readonly total: number;

  constructor(corridors: readonly CorridorDefinition[]) {
    this.weights = corridors.map((c) => c.weight);
    this.current = corridors.map(() => 0);
    this.total = this.weights.reduce((a, b) => a + b, 0);
  }

  next(): number {
    let best = 0;
    let bestValue = -Infinity;
    const w = this.weights;
    const cur = this.current;
    for (let i = 0; i < w.length; i++) {
      const v = (cur[i] as number) + (w[i] as number);
      cur[i] = v;
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    cur[best] = bestValue - this.total;
    return best;
  }
}
