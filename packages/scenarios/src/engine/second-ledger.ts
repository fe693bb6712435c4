import type { TimeseriesRecord } from '@mlperf/core';
import { PeriodStats } from './period.js';

/** What is known of a second only when its wall-clock time is over: the engine's own sample. */
export type SecondSample = Pick<
  TimeseriesRecord,
  't' | 's' | 'stage' | 'offeredRate' | 'inFlight' | 'engine' | 'host'
>;

/** One second of intended starts: its transfers' counts and latencies, wherever their outcomes land. */
export class SecondSlot {
  readonly stats: PeriodStats;
  /** Second index (from the run start); -1 while the slot is free. */
  s = -1;
  /** Transfers started in this second with no outcome yet. */
  open = 0;
  sample: SecondSample | undefined = undefined;

  constructor(corridorCount: number) {
    this.stats = new PeriodStats(corridorCount);
  }
}

/**
 * The seconds of the run by intended start, oldest first. A transfer's outcome is recorded in
 * the slot of the second it was planned for; a slot settles (its timeseries line can be written)
 * once its wall-clock second is over (`sampled`) and none of its transfers is still open. Slots
 * settle strictly in order, so lines are appended in order and never rewritten. Slots are reused.
 */
export class SecondLedger {
  private readonly slots: SecondSlot[] = [];
  private readonly free: SecondSlot[] = [];
  private first = 0;

  constructor(private readonly corridorCount: number) {}

  /** The slot of second `s` (created on first use; `s` is never below a settled second). */
  at(s: number): SecondSlot {
    let slot = this.slots[s - this.first];
    while (!slot) {
      const fresh = this.free.pop() ?? new SecondSlot(this.corridorCount);
      fresh.s = this.first + this.slots.length;
      this.slots.push(fresh);
      slot = this.slots[s - this.first];
    }
    return slot;
  }

  /** The wall-clock second `s` is over: its sample is final. */
  sampled(s: number, sample: SecondSample): void {
    this.at(s).sample = sample;
  }

  /** Transfers started and not yet settled, over every pending second. */
  get pendingSeconds(): number {
    return this.slots.length;
  }

  /**
   * Hands settled seconds to `emit`, oldest first (at most `max`), then frees them. With `force`
   * (the end of the run), every sampled second is handed over, open transfers or not. True when
   * it stopped at `max` with another second possibly settled.
   */
  settle(emit: (slot: SecondSlot, sample: SecondSample) => void, force = false, max = Infinity): boolean {
    for (let n = 0; ; n++) {
      const slot = this.slots[0];
      if (!slot?.sample || (slot.open > 0 && !force)) return false;
      if (n >= max) return true;
      emit(slot, slot.sample);
      this.slots.shift();
      this.first++;
      slot.stats.reset();
      slot.s = -1;
      slot.open = 0;
      slot.sample = undefined;
      this.free.push(slot);
    }
  }
}
