import type { ArrivalSchedule } from './arrivals.js';
import { HealthSampler } from './health.js';
import { HostCpuSampler } from './host-cpu.js';
import { percentileMs } from './histograms.js';
import type { SecondSample, SecondSlot } from './second-ledger.js';

/**
 * The engine's once-a-second sampling point: when a wall-clock second is over, what the profile
 * planned for it and what the generator itself looked like (CPU, RSS, event-loop and scheduling
 * lag, in-flight). Every per-second reading of the machine belongs here.
 */
export class SecondSampler {
  private readonly health = new HealthSampler();
  private readonly host = new HostCpuSampler();
  /** Arrivals ended at this time (ms from the start): later seconds offer nothing. */
  arrivalsEndMs = Infinity;
  /** Stage of the last arrival handled (a second after the plan keeps it). */
  lastStage = 0;
  peakRssBytes = 0;

  constructor(
    private readonly schedule: ArrivalSchedule,
    private readonly wall0: () => number,
  ) {}

  take(slot: SecondSlot, inFlight: number): SecondSample {
    const s = slot.s;
    const mid = s * 1000 + 500;
    const planned = mid < this.arrivalsEndMs ? this.schedule.rateAt(mid) : undefined;
    const engine = this.health.sample(percentileMs(slot.stats.sched, 99));
    if (engine.rssBytes > this.peakRssBytes) this.peakRssBytes = engine.rssBytes;
    return {
      t: this.wall0() + s * 1000,
      s,
      stage: planned?.stage ?? this.lastStage,
      offeredRate: planned ? Math.round(planned.rate * 1000) / 1000 : 0,
      inFlight,
      engine,
      ...hostOf(this.host.sample()),
    };
  }

  stop(): void {
    this.health.stop();
  }
}

function hostOf(host: ReturnType<HostCpuSampler['sample']>): Pick<SecondSample, 'host'> {
  return host ? { host } : {};
}
