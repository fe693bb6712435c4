import type { Histogram } from 'hdr-histogram-js';
import { newHistogram, percentileMs } from './histograms.js';
import type { EngineMetrics } from './prom.js';
import { PeriodStats } from './period.js';
import type { SecondSample, SecondSlot } from './second-ledger.js';
import { StopRuleWindow, type StopVerdict } from './stop-rule.js';
import type { LoadEngineOptions } from './types.js';

const TARGET_DOWN_SECONDS = 3;

/** What a settled second tells the run: keep going, the target is down, or the stop rule fired. */
export type SecondSignal =
  | undefined
  | { kind: 'target-down'; reason: string }
  | { kind: 'stop-rule'; verdict: StopVerdict; rate: number; s: number };

/** Where the engine hands each settled second (this process's accounts, or the coordinator of the workers). */
export interface SecondSink {
  take(slot: SecondSlot, sample: SecondSample, judge: boolean): SecondSignal;
  /** Stage index of the recovery hold, once it began. */
  recoveryStage: number | undefined;
}

/**
 * Everything done with a second once it has settled (all its transfers have an outcome): its
 * timeseries line, /metrics, the run and steady-state totals, per-stage latency, and the two
 * rules that read whole seconds (dead target, stress stop rule).
 */
export class SettledSeconds implements SecondSink {
  readonly total: PeriodStats;
  readonly steady: PeriodStats;
  steadySeconds = 0;
  readonly stageE2e = new Map<number, Histogram>();
  private readonly stopWindow: StopRuleWindow | undefined;
  private downSeconds = 0;
  /** Stage index of the recovery hold, once it began: its seconds are neither steady state nor judged by the stop rule. */
  recoveryStage: number | undefined = undefined;

  constructor(
    corridorCount: number,
    private readonly o: Pick<
      LoadEngineOptions,
      'steady' | 'stopRule' | 'stopWindowMs' | 'abortOnTargetDown' | 'onSecond'
    >,
    private readonly corridorNames: readonly string[],
    private readonly metrics: EngineMetrics,
    private readonly live: { readonly elapsedS: number; readonly inFlight: number },
  ) {
    this.total = new PeriodStats(corridorCount);
    this.steady = new PeriodStats(corridorCount);
    this.stopWindow = o.stopRule ? new StopRuleWindow(o.stopRule, o.stopWindowMs ?? 10_000) : undefined;
  }

  /** Writes and accounts one settled second; `judge` false at the end of the run (no rules). */
  take(slot: SecondSlot, sample: SecondSample, judge: boolean): SecondSignal {
    const sec = slot.stats;
    sec.seal();
    const record = sec.toRecord(sample, this.corridorNames);
    this.metrics.addSecond(
      sec,
      this.corridorNames,
      sample.offeredRate,
      sample.engine?.schedulingLagP99Ms ?? 0,
    );
    this.accumulate(sec, sample);
    this.o.onSecond(record, this.live);
    return judge ? this.judge(sec, sample) : undefined;
  }

  private accumulate(sec: PeriodStats, sample: SecondSample): void {
    this.total.add(sec);
    let h = this.stageE2e.get(sample.stage);
    if (!h) {
      h = newHistogram();
      this.stageE2e.set(sample.stage, h);
    }
    h.add(sec.e2e);
    const s = sample.s;
    const inSteady = s >= this.o.steady.fromMs / 1000 && s + 1 <= this.o.steady.toMs / 1000;
    if (inSteady && this.recoveryStage === undefined) {
      this.steadySeconds++;
      this.steady.add(sec);
    }
  }

  private judge(sec: PeriodStats, sample: SecondSample): SecondSignal {
    if (this.o.abortOnTargetDown) {
      const conn = sec.all.failed.connection ?? 0;
      const outcomes = sec.all.succeeded + sec.all.failedTotal;
      this.downSeconds = conn > 0 && conn >= outcomes * 0.9 ? this.downSeconds + 1 : 0;
      if (this.downSeconds >= TARGET_DOWN_SECONDS)
        return {
          kind: 'target-down',
          reason: `target unreachable: only connection errors for ${TARGET_DOWN_SECONDS}s (--abort-on-target-down)`,
        };
    }
    if (this.stopWindow && this.recoveryStage === undefined) {
      const verdict = this.stopWindow.push(sec);
      if (verdict) return { kind: 'stop-rule', verdict, rate: sample.offeredRate, s: sample.s };
    }
    return undefined;
  }

  /** Whole-run p99 scheduling lag (ms). */
  get schedulingLagP99Ms(): number {
    return percentileMs(this.total.sched, 99);
  }
}
