import { HUB_SERVICES, type HubKnobs, type HubService } from './types.js';

/** CFS period, as the Linux scheduler's default (100 ms). */
export const CFS_PERIOD_MS = 100;

interface ServiceState {
  /** CPU time used, all time (ms). */
  usageMs: number;
  usedInPeriod: number;
  /** CPU work queued beyond the quota, served in later periods (ms). */
  backlogMs: number;
  periodHadDemand: boolean;
  periodThrottled: boolean;
  periods: number;
  throttledPeriods: number;
  leakBytes: number;
  restarts: number;
  downUntil: number;
  stalled: boolean;
  crashedWindow: number;
  startedAt: number;
  waiters: (() => void)[];
}

/**
 * The emulated containers: CPU quota with CFS accounting, memory working set with a limit (OOM kill),
 * and outages (stalls, crashes with restarts). Handlers charge their CPU time here.
 */
export class Emulation {
  readonly services = new Map<HubService, ServiceState>();
  private readonly timer: NodeJS.Timeout;
  private readonly t0 = Date.now();
  /** Working-set bytes per in-flight transfer, so load shows in memory too. */
  inFlight = 0;

  constructor(
    private readonly knobs: () => HubKnobs,
    private readonly log: (line: string) => void,
  ) {
    for (const s of HUB_SERVICES) {
      this.services.set(s, {
        usageMs: 0,
        usedInPeriod: 0,
        backlogMs: 0,
        periodHadDemand: false,
        periodThrottled: false,
        periods: 0,
        throttledPeriods: 0,
        leakBytes: 0,
        restarts: 0,
        downUntil: 0,
        stalled: false,
        crashedWindow: -1,
        startedAt: Date.now(),
        waiters: [],
      });
    }
    this.timer = setInterval(() => this.tick(), CFS_PERIOD_MS);
    this.timer.unref();
  }

  private state(s: HubService): ServiceState {
    return this.services.get(s)!;
  }

  /** Charges `ms` of CPU to `service`; returns how long the work is delayed by throttling (ms). */
  cpu(service: HubService, ms: number): number {
    if (ms <= 0) return 0;
    const st = this.state(service);
    const budget = this.knobs().cpuCores[service] * CFS_PERIOD_MS;
    st.usageMs += ms;
    st.periodHadDemand = true;
    if (st.backlogMs === 0 && st.usedInPeriod + ms <= budget) {
      st.usedInPeriod += ms;
      return 0;
    }
    st.periodThrottled = true;
    const overflow = st.usedInPeriod + ms - budget;
    st.usedInPeriod = Math.min(budget, st.usedInPeriod + ms);
    st.backlogMs += Math.max(0, overflow);
    // Time left in this period plus the periods the backlog needs.
    const intoPeriod = (Date.now() - this.t0) % CFS_PERIOD_MS;
    return CFS_PERIOD_MS - intoPeriod + (st.backlogMs / budget) * CFS_PERIOD_MS;
  }

  available(service: HubService): boolean {
    const st = this.state(service);
    return !st.stalled && st.downUntil <= Date.now();
  }

  isDown(service: HubService): boolean {
    return this.state(service).downUntil > Date.now();
  }

  /** Resolves when the service is up and not stalled. */
  whenAvailable(service: HubService): Promise<void> {
    return new Promise((resolve) => this.state(service).waiters.push(resolve));
  }

  leak(service: HubService, bytes: number): void {
    if (bytes > 0) this.state(service).leakBytes += bytes;
  }

  workingSetBytes(service: HubService): number {
    const k = this.knobs();
    const st = this.state(service);
    const perTransfer = service === 'central-ledger' || service === 'ml-api-adapter' ? 2048 : 512;
    return k.memoryBaseBytes[service] + st.leakBytes + this.inFlight * perTransfer;
  }

  snapshot(service: HubService): Readonly<ServiceState> {
    return this.state(service);
  }

  crash(service: HubService, reason: string, downMs: number): void {
    const st = this.state(service);
    st.restarts++;
    st.leakBytes = 0;
    st.downUntil = Date.now() + downMs;
    st.startedAt = st.downUntil;
    this.log(`${service} ${reason}; restarting in ${downMs} ms (restart #${st.restarts})`);
  }

  private tick(): void {
    const k = this.knobs();
    const now = Date.now();
    const elapsed = now - this.t0;
    for (const [name, st] of this.services) {
      const budget = k.cpuCores[name] * CFS_PERIOD_MS;
      if (st.periodHadDemand || st.backlogMs > 0) {
        st.periods++;
        if (st.periodThrottled) st.throttledPeriods++;
      }
      const carried = Math.min(st.backlogMs, budget);
      st.backlogMs -= carried;
      st.usedInPeriod = carried;
      st.periodHadDemand = carried > 0;
      st.periodThrottled = st.backlogMs > 0;

      const { stall, crash } = k.faults;
      st.stalled =
        !!stall && stall.service === name && elapsed % stall.everyMs >= stall.everyMs - stall.forMs;
      if (crash && crash.service === name) {
        const window = Math.floor(elapsed / crash.everyMs);
        if (elapsed % crash.everyMs >= crash.everyMs - crash.forMs && st.crashedWindow !== window) {
          st.crashedWindow = window;
          this.crash(name, 'crashed (fault injection)', crash.forMs);
        }
      }
      if (st.downUntil <= now && this.workingSetBytes(name) > k.memoryLimitBytes[name]) {
        this.crash(name, 'OOMKilled: working set above its memory limit', k.restartMs);
      }
      if (st.waiters.length > 0 && this.available(name)) {
        const w = st.waiters;
        st.waiters = [];
        for (const resolve of w) resolve();
      }
    }
  }

  /** Back to a fresh start (used by reset): no leak, no backlog. Counters stay monotonic. */
  clear(): void {
    for (const st of this.services.values()) {
      st.leakBytes = 0;
      st.backlogMs = 0;
      st.downUntil = 0;
    }
    this.inFlight = 0;
  }

  stop(): void {
    clearInterval(this.timer);
    for (const st of this.services.values()) {
      const w = st.waiters;
      st.waiters = [];
      for (const resolve of w) resolve();
    }
  }
}
