/**
 * The phases of a run, and the one table that moves a run from one to the next.
 *
 *   idle ──start──▶ load ──arrivals-ended──▶ recovery (when a recovery hold is configured)
 *                     │                         │
 *                     └──arrivals-ended─────────┴──▶ drain ──settled | deadline──▶ done
 *   load, recovery ──abort──▶ drain (bounded by the abort drain; an abort in drain shortens it)
 *
 * In load and recovery arrivals are scheduled; in drain none are, and the run waits until every
 * started transfer has an outcome or has expired (its deadline), then writes what is left.
 */
export type RunPhase = 'idle' | 'load' | 'recovery' | 'drain' | 'done';

export type PhaseEvent =
  | { kind: 'start' }
  /** The schedule has no arrival left; `recovery` when a recovery hold should follow now. */
  | { kind: 'arrivals-ended'; recovery: boolean; drainMs: number }
  | { kind: 'abort'; drainMs: number }
  /** Drain over: every started transfer has an outcome, or the deadline passed. */
  | { kind: 'settled' };

function next(from: RunPhase, e: PhaseEvent): RunPhase {
  switch (e.kind) {
    case 'start':
      return from === 'idle' ? 'load' : from;
    case 'arrivals-ended':
      if (from === 'load') return e.recovery ? 'recovery' : 'drain';
      return from === 'recovery' ? 'drain' : from;
    case 'abort':
      return from === 'idle' || from === 'done' ? from : 'drain';
    case 'settled':
      return from === 'drain' ? 'done' : from;
  }
}

/** Which phase the run is in, and until when a drain may last (ms on the engine clock). */
export class PhaseMachine {
  phase: RunPhase = 'idle';
  drainDeadlineMs = Infinity;

  /** Applies `e` at `nowMs`; returns the phase entered, or undefined when the phase did not change. */
  on(e: PhaseEvent, nowMs: number): RunPhase | undefined {
    const from = this.phase;
    const to = next(from, e);
    if (to === 'drain' && 'drainMs' in e)
      this.drainDeadlineMs = Math.min(this.drainDeadlineMs, nowMs + e.drainMs);
    if (to === from) return undefined;
    this.phase = to;
    return to;
  }

  /** Arrivals are being scheduled. */
  get loading(): boolean {
    return this.phase === 'load' || this.phase === 'recovery';
  }
}
