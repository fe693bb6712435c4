import { percentileMs } from './histograms.js';
import { addWire, type PeriodWire } from './period-wire.js';
import { PeriodStats } from './period.js';
import { type SecondSample, SecondSlot } from './second-ledger.js';

interface Pending {
  slot: SecondSlot;
  samples: SecondSample[];
  from: Set<number>;
}

/**
 * Merges the workers' settled seconds into one per second, exactly (counts added, HDR histograms
 * merged), and hands them over in order: a second is complete once every worker delivered it or
 * ended. The engine block of the merged second: CPU and RSS are the process's (the workers are
 * threads of it), lags the worst worker's, scheduling lag from the merged histogram.
 */
export class SecondMerger {
  private readonly pending = new Map<number, Pending>();
  private readonly ended = new Set<number>();
  private next = 0;

  constructor(
    private readonly workers: number,
    private readonly corridorCount: number,
    private readonly emit: (slot: SecondSlot, sample: SecondSample) => void,
  ) {}

  add(worker: number, period: PeriodWire, sample: SecondSample): void {
    let p = this.pending.get(sample.s);
    if (!p) {
      const slot = new SecondSlot(this.corridorCount);
      slot.s = sample.s;
      p = { slot, samples: [], from: new Set() };
      this.pending.set(sample.s, p);
    }
    addWire(p.slot.stats, period);
    p.samples.push(sample);
    p.from.add(worker);
    this.flush(false);
  }

  /** Worker `worker` has delivered its last second. */
  end(worker: number): void {
    this.ended.add(worker);
    this.flush(false);
  }

  /** Hands over complete seconds in order; with `force`, every pending one. */
  flush(force: boolean): void {
    for (;;) {
      const p = this.pending.get(this.next);
      if (!p) {
        if (!force || this.pending.size === 0) return;
        this.next = Math.min(...this.pending.keys());
        continue;
      }
      let complete = true;
      for (let w = 0; w < this.workers; w++) if (!p.from.has(w) && !this.ended.has(w)) complete = false;
      if (!complete && !force) return;
      this.pending.delete(this.next);
      this.next++;
      this.emit(p.slot, this.sample(p));
    }
  }

  private sample(p: Pending): SecondSample {
    const first = p.samples[0] as SecondSample;
    const out: SecondSample = { ...first, inFlight: 0 };
    let cpu = 0;
    let rss = 0;
    let loop = 0;
    for (const x of p.samples) {
      out.inFlight += x.inFlight;
      if (x.offeredRate > out.offeredRate) out.offeredRate = x.offeredRate;
      cpu = Math.max(cpu, x.engine?.cpu ?? 0);
      rss = Math.max(rss, x.engine?.rssBytes ?? 0);
      loop = Math.max(loop, x.engine?.eventLoopLagP99Ms ?? 0);
    }
    const sched = Math.round(percentileMs(p.slot.stats.sched, 99) * 1000) / 1000;
    out.engine = {
      cpu,
      rssBytes: rss,
      eventLoopLagP99Ms: loop,
      schedulingLagP99Ms: sched,
      workers: this.workers,
    };
    return out;
  }
}

/**
 * Merges the workers' live views of each wall-clock second (outcomes as they arrived) and hands
 * each second over once every worker still running delivered it: the rules judge the whole run.
 */
export class LiveMerger {
  private readonly pending = new Map<number, { stats: PeriodStats; from: Set<number>; active: boolean }>();
  private readonly ended = new Set<number>();

  constructor(
    private readonly workers: number,
    private readonly corridorCount: number,
    private readonly emit: (live: PeriodStats, s: number, rate: number, stopRuleActive: boolean) => void,
  ) {}

  add(worker: number, s: number, rate: number, period: PeriodWire, stopRuleActive: boolean): void {
    let p = this.pending.get(s);
    if (!p) {
      p = { stats: new PeriodStats(this.corridorCount), from: new Set(), active: true };
      this.pending.set(s, p);
    }
    addWire(p.stats, period);
    p.from.add(worker);
    p.active &&= stopRuleActive;
    for (let w = 0; w < this.workers; w++) if (!p.from.has(w) && !this.ended.has(w)) return;
    this.pending.delete(s);
    p.stats.seal();
    this.emit(p.stats, s, rate, p.active);
  }

  end(worker: number): void {
    this.ended.add(worker);
  }
}
