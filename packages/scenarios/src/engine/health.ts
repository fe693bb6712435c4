import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';

export interface EngineHealth {
  /** CPU time used over the last period, in cores (1 = one core busy). */
  cpu: number;
  rssBytes: number;
  eventLoopLagP99Ms: number;
  schedulingLagP99Ms: number;
}

/** The load generator's own health, sampled once per period: a busy engine reports itself. */
export class HealthSampler {
  private readonly loop: IntervalHistogram;
  private lastCpu = process.cpuUsage();
  private lastAt = performance.now();

  constructor() {
    this.loop = monitorEventLoopDelay({ resolution: 10 });
    this.loop.enable();
  }

  sample(schedulingLagP99Ms: number): EngineHealth {
    const now = performance.now();
    const cpu = process.cpuUsage(this.lastCpu);
    const wallUs = Math.max(1, (now - this.lastAt) * 1000);
    this.lastCpu = process.cpuUsage();
    this.lastAt = now;
    // monitorEventLoopDelay includes its own resolution; report the delay beyond it.
    const lag = Math.max(0, this.loop.percentile(99) / 1e6 - 10);
    this.loop.reset();
    return {
      cpu: Math.round(((cpu.user + cpu.system) / wallUs) * 1000) / 1000,
      rssBytes: process.memoryUsage.rss(),
      eventLoopLagP99Ms: Math.round(lag * 1000) / 1000,
      schedulingLagP99Ms: Math.round(schedulingLagP99Ms * 1000) / 1000,
    };
  }

  stop(): void {
    this.loop.disable();
  }
}
