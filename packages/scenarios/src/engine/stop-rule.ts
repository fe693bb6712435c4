import type { StopRule } from '@mlperf/core';
import type { Histogram } from 'hdr-histogram-js';
import { newHistogram, percentileMs } from './histograms.js';
import type { PeriodStats } from './period.js';

/** Outcomes a window must hold before the rule may fire: a handful of early errors at 3 TPS is not a breaking point. */
const MIN_OUTCOMES = 100;

interface Slot {
  offered: number;
  succeeded: number;
  failed: number;
  e2e: Histogram | undefined;
}

export interface StopVerdict {
  reason: string;
  errorRate: number;
  p95Ms: number;
  achievedRatio: number;
}

/**
 * The stress test's stop rule over a trailing window of whole seconds: error rate, p95 and
 * achieved/offered. The window's latency histogram is kept by adding the newest second and
 * subtracting the one that leaves, so each check is exact and cheap.
 */
export class StopRuleWindow {
  private readonly slots: Slot[] = [];
  private readonly window: Histogram | undefined;
  private readonly seconds: number;

  constructor(
    private readonly rule: StopRule,
    windowMs: number,
  ) {
    this.seconds = Math.max(1, Math.round(windowMs / 1000));
    this.window = rule.maxP95Ms !== undefined ? newHistogram() : undefined;
  }

  /** Adds one finished second; returns a verdict when the rule fires. */
  push(second: PeriodStats): StopVerdict | undefined {
    let e2e: Histogram | undefined;
    if (this.window) {
      e2e = newHistogram();
      e2e.add(second.e2e);
      this.window.add(e2e);
    }
    this.slots.push({
      offered: second.all.offered,
      succeeded: second.all.succeeded,
      failed: second.all.failedTotal,
      e2e,
    });
    if (this.slots.length > this.seconds) {
      const old = this.slots.shift() as Slot;
      if (this.window && old.e2e) this.window.subtract(old.e2e);
    }
    if (this.slots.length < this.seconds) return undefined;
    let offered = 0;
    let succeeded = 0;
    let failed = 0;
    for (const s of this.slots) {
      offered += s.offered;
      succeeded += s.succeeded;
      failed += s.failed;
    }
    const outcomes = succeeded + failed;
    if (outcomes < MIN_OUTCOMES) return undefined;
    const errorRate = failed / outcomes;
    const p95Ms = this.window ? percentileMs(this.window, 95) : 0;
    const achievedRatio = offered > 0 ? succeeded / offered : 1;
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const w = `${this.seconds}s`;
    let reason: string | undefined;
    if (this.rule.maxErrorRate !== undefined && errorRate > this.rule.maxErrorRate)
      reason = `error rate ${pct(errorRate)} over ${w} > ${pct(this.rule.maxErrorRate)}`;
    else if (this.rule.maxP95Ms !== undefined && p95Ms > this.rule.maxP95Ms)
      reason = `p95 ${p95Ms.toFixed(0)} ms over ${w} > ${this.rule.maxP95Ms} ms`;
    else if (this.rule.minAchievedRatio !== undefined && achievedRatio < this.rule.minAchievedRatio)
      reason = `achieved/offered ${pct(achievedRatio)} over ${w} < ${pct(this.rule.minAchievedRatio)}`;
    return reason ? { reason, errorRate, p95Ms, achievedRatio } : undefined;
  }
}
