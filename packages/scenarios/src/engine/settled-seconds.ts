import type { Histogram } from 'hdr-histogram-js';
import { newHistogram, percentileMs } from './histograms.js';
import type { EngineMetrics } from './prom.js';
import { PeriodStats } from './period.js';
import type { SecondSample, SecondSlot } from './second-ledger.js';
import type { LoadEngineOptions } from './types.js';

/** Where the engine hands each settled second (this process's accounts, or the coordinator of the workers). */
export interface SecondSink {
  take(slot: SecondSlot, sample: SecondSample): void;
  /** Stage index of the recovery hold, once it began. */
  recoveryStage: number | undefined;
}

/**
 * Everything done with a second once it has settled (all its transfers have an outcome): its
 * timeseries line, /metrics, the run totals, per-stage latency.
 */
export class SettledSeconds implements SecondSink {
  readonly total: PeriodStats;
  readonly stageE2e = new Map<number, Histogram>();
  /** Stage index of the recovery hold, once it began. */
  recoveryStage: number | undefined = undefined;

  constructor(
    corridorCount: number,
    private readonly o: Pick<LoadEngineOptions, 'onSecond'>,
    private readonly corridorNames: readonly string[],
    private readonly metrics: EngineMetrics,
    private readonly live: { readonly elapsedS: number; readonly inFlight: number },
  ) {
    this.total = new PeriodStats(corridorCount);
  }

  /** Writes and accounts one settled second. */
  take(slot: SecondSlot, sample: SecondSample): void {
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
  }

  private accumulate(sec: PeriodStats, sample: SecondSample): void {
    this.total.add(sec);
    let h = this.stageE2e.get(sample.stage);
    if (!h) {
      h = newHistogram();
      this.stageE2e.set(sample.stage, h);
    }
    h.add(sec.e2e);
  }

  /** Whole-run p99 scheduling lag (ms). */
  get schedulingLagP99Ms(): number {
    return percentileMs(this.total.sched, 99);
  }
}
