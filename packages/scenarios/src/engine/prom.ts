import { ENGINE_METRICS } from '@mlperf/core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type Counts, outcomeOf } from './period.js';

/** Seconds; includes the seed's 300 ms and 500 ms thresholds as bucket bounds. */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30,
];

interface Observer {
  observe(value: number): void;
}

/**
 * The engine's /metrics (prom-client, own registry, names from `ENGINE_METRICS`). Counters are
 * advanced once per second from the period counts; only the latency histograms are observed per
 * transfer, through children bound to their corridor once.
 */
export class EngineMetrics {
  readonly registry = new Registry();
  private readonly transfers: Counter<'outcome' | 'error_type' | 'corridor'>;
  private readonly iterations: Counter<'corridor'>;
  private readonly offered: Counter;
  private readonly dropped: Counter;
  private readonly targetRate: Gauge;
  private readonly schedulingLag: Gauge;
  readonly e2e: Observer[];
  readonly service: Observer[];
  readonly ack: Observer;

  constructor(corridorNames: readonly string[], inFlight: () => number) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.transfers = new Counter({
      name: ENGINE_METRICS.transfers,
      help: 'Finished transfers by outcome and error type',
      labelNames: ['outcome', 'error_type', 'corridor'],
      registers,
    });
    this.iterations = new Counter({
      name: ENGINE_METRICS.iterations,
      help: 'Arrivals that started a transfer',
      labelNames: ['corridor'],
      registers,
    });
    this.offered = new Counter({
      name: ENGINE_METRICS.offered,
      help: 'Arrivals the load profile prescribed',
      registers,
    });
    this.dropped = new Counter({
      name: ENGINE_METRICS.dropped,
      help: 'Arrivals that could not start (in-flight cap)',
      registers,
    });
    const durations = (name: string, help: string) =>
      new Histogram({ name, help, labelNames: ['corridor'], buckets: DURATION_BUCKETS, registers });
    const e2e = durations(
      ENGINE_METRICS.transferDuration,
      'Intended start of the prepare to the payer COMMITTED callback',
    );
    const service = durations(
      ENGINE_METRICS.serviceDuration,
      'Actual send of the prepare to the payer COMMITTED callback',
    );
    this.e2e = corridorNames.map((c) => e2e.labels(c));
    this.service = corridorNames.map((c) => service.labels(c));
    this.ack = new Histogram({
      name: ENGINE_METRICS.prepareAck,
      help: 'POST /transfers to its HTTP 202',
      buckets: DURATION_BUCKETS,
      registers,
    });
    new Gauge({
      name: ENGINE_METRICS.inFlight,
      help: 'Transfers in flight',
      registers,
      collect() {
        this.set(inFlight());
      },
    });
    this.targetRate = new Gauge({
      name: ENGINE_METRICS.targetRate,
      help: 'Arrival rate the profile prescribes now (TPS)',
      registers,
    });
    this.schedulingLag = new Gauge({
      name: ENGINE_METRICS.schedulingLag,
      help: 'p99 arrival scheduling lag over the last second',
      registers,
    });
  }

  /** Advances the counters by one period. */
  addSecond(
    all: Counts,
    corridors: readonly Counts[],
    corridorNames: readonly string[],
    targetRate: number,
    lagP99Ms: number,
  ): void {
    if (all.offered) this.offered.inc(all.offered);
    if (all.dropped) this.dropped.inc(all.dropped);
    corridors.forEach((c, i) => {
      const corridor = corridorNames[i] as string;
      if (c.started) this.iterations.inc({ corridor }, c.started);
      if (c.succeeded) this.transfers.inc({ outcome: 'success', error_type: '', corridor }, c.succeeded);
      for (const [errorType, n] of Object.entries(c.failed)) {
        this.transfers.inc({ outcome: outcomeOf(errorType), error_type: errorType, corridor }, n);
      }
    });
    this.targetRate.set(targetRate);
    this.schedulingLag.set(lagP99Ms / 1000);
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
