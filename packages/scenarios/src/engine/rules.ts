import type { PeriodStats } from './period.js';
import { StopRuleWindow, type StopVerdict } from './stop-rule.js';
import type { LoadEngineOptions } from './types.js';

const TARGET_DOWN_SECONDS = 3;

/** What the run's rules say after a wall-clock second: keep going, the target is down, or the stop rule fired. */
export type SecondSignal =
  | undefined
  | { kind: 'target-down'; reason: string }
  | { kind: 'stop-rule'; verdict: StopVerdict; rate: number; s: number };

/**
 * The two rules that steer a running test: a dead target (only connection errors for 3 s, with
 * --abort-on-target-down) and the stress test's stop rule. They read each wall-clock second's
 * outcomes as they arrived (not the intended-start seconds, which settle only when their last
 * transfer has an outcome or expired): a control decision cannot wait for the slowest transfer.
 */
export class RunRules {
  private readonly stopWindow: StopRuleWindow | undefined;
  private downSeconds = 0;

  constructor(
    private readonly o: Pick<LoadEngineOptions, 'stopRule' | 'stopWindowMs' | 'abortOnTargetDown'>,
  ) {
    this.stopWindow = o.stopRule ? new StopRuleWindow(o.stopRule, o.stopWindowMs ?? 10_000) : undefined;
  }

  /** The live view needs the e2e histogram (the stop rule has a p95 limit). */
  get needsLatency(): boolean {
    return this.o.stopRule?.maxP95Ms !== undefined;
  }

  /** Judges one wall-clock second (`live`: arrivals planned in it, outcomes that arrived in it). */
  check(live: PeriodStats, s: number, rate: number, stopRuleActive: boolean): SecondSignal {
    if (this.o.abortOnTargetDown) {
      const conn = live.all.failed.connection ?? 0;
      const outcomes = live.all.succeeded + live.all.failedTotal;
      this.downSeconds = conn > 0 && conn >= outcomes * 0.9 ? this.downSeconds + 1 : 0;
      if (this.downSeconds >= TARGET_DOWN_SECONDS)
        return {
          kind: 'target-down',
          reason: `target unreachable: only connection errors for ${TARGET_DOWN_SECONDS}s (--abort-on-target-down)`,
        };
    }
    if (this.stopWindow && stopRuleActive) {
      const verdict = this.stopWindow.push(live);
      if (verdict) return { kind: 'stop-rule', verdict, rate, s };
    }
    return undefined;
  }
}
