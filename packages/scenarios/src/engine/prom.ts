import { ENGINE_METRICS } from '@mlperf/core';
import type { Histogram } from 'hdr-histogram-js';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { type Counts, outcomeOf, type PeriodStats } from './period.js';
import { PromHistogram, PromSeries } from './prom-histogram.js';

/**
 * The engine's /metrics (prom-client registry for counters and gauges, names from
 * `ENGINE_METRICS`). Everything advances once per settled second from that second's period:
 * counters from its counts, the latency histograms from its HDR histograms. Nothing is observed
 * per transfer.
 */
export class EngineMetrics {
  readonly registry = new Registry();
  private readonly transfers: Counter<'outcome' | 'error_type' | 'corridor'>;
  private readonly iterations: Counter<'corridor'>;
  private readonly offered: Counter;
  private readonly dropped: Counter;
  private readonly targetRate: Gauge;
  private readonly schedulingLag: Gauge;
  private readonly e2e: PromHistogram;
  private readonly service: PromHistogram;
  private readonly ack: PromHistogram;

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
    const byCorridor = () => corridorNames.map((c) => new PromSeries(`corridor=${JSON.stringify(c)}`));
    this.e2e = new PromHistogram(
      ENGINE_METRICS.transferDuration,
      'Intended start of the prepare to the payer COMMITTED callback',
      byCorridor(),
    );
    this.service = new PromHistogram(
      ENGINE_METRICS.serviceDuration,
      'Actual send of the prepare to the payer COMMITTED callback',
      byCorridor(),
    );
    this.ack = new PromHistogram(ENGINE_METRICS.prepareAck, 'POST /transfers to its HTTP 202', [
      new PromSeries(''),
    ]);
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

  /** Advances counters and histograms by one settled second. */
  addSecond(sec: PeriodStats, corridorNames: readonly string[], targetRate: number, lagP99Ms: number): void {
    this.addCounts(sec.all, sec.corridors, corridorNames);
    for (let i = 0; i < sec.corridorE2e.length; i++) {
      this.e2e.series[i]?.add(sec.corridorE2e[i] as Histogram);
      this.service.series[i]?.add(sec.corridorService[i] as Histogram);
    }
    this.ack.series[0]?.add(sec.ack);
    this.targetRate.set(targetRate);
    this.schedulingLag.set(lagP99Ms / 1000);
  }

  private addCounts(all: Counts, corridors: readonly Counts[], corridorNames: readonly string[]): void {
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
  }

  async text(): Promise<string> {
    const base = await this.registry.metrics();
    return `${base}${this.e2e.text()}${this.service.text()}${this.ack.text()}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
