import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CFS_PERIOD_MS, type Emulation } from './emulation.js';
import type { Ledger } from './ledger.js';
import type { DbPool, Partition, Stage } from './pipeline.js';
import { HUB_SERVICES, type HubKnobs, type HubStage } from './types.js';

const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10,
  30,
];
const STAGE_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface MetricSources {
  emu: Emulation;
  pool: DbPool;
  // biome-ignore lint/suspicious/noExplicitAny: stages carry different message types
  stages: () => Stage<any>[];
  ledger: () => Ledger;
  knobs: () => HubKnobs;
  failedCallbacks: () => number;
}

const HANDLER_HISTOGRAMS: Record<HubStage, [string, string]> = {
  prepare: ['moja_cl_transfer_prepare_handler', 'central-ledger prepare handler: one message (seconds)'],
  position: ['moja_cl_transfer_position_batch', 'central-ledger position handler: one message (seconds)'],
  fulfil: ['moja_cl_transfer_fulfil_handler', 'central-ledger fulfil handler: one message (seconds)'],
  notification: [
    'moja_ml_notification_event_delivery',
    'ml-api-adapter notification handler: one callback (seconds)',
  ],
};

/** The hub's Prometheus registry, with the names real Mojaloop deployments expose. */
export class HubMetrics {
  readonly registry = new Registry();
  readonly prepareHist: Histogram<'success'>;
  readonly fulfilHist: Histogram<'success'>;
  private readonly prepareObs: Histogram.Internal<string>[];
  private readonly fulfilObs: Histogram.Internal<string>[];
  readonly txTransfer: Histogram;
  readonly transferDuration: Histogram;
  readonly handlers: Record<HubStage, [ok: Histogram.Internal<string>, failed: Histogram.Internal<string>]>;
  readonly transfers: Counter<'outcome' | 'error_code'>;
  readonly validationTotal: Counter;
  readonly validationSuccess: Counter;
  readonly validationError: Counter<'error_type'>;
  readonly poolWait: Histogram;
  readonly callbacks: Counter<'dfsp' | 'type' | 'outcome'>;

  constructor(src: MetricSources) {
    const r = this.registry;
    collectDefaultMetrics({ register: r });
    const hist = (name: string, help: string, labelNames: string[] = [], buckets = LATENCY_BUCKETS) =>
      new Histogram({ name, help, labelNames, buckets, registers: [r] });
    this.prepareHist = hist(
      'moja_cl_transfer_prepare',
      'Prepare path: POST received to prepare forwarded to the payee (success) or refused (seconds)',
      ['success'],
    ) as Histogram<'success'>;
    this.fulfilHist = hist(
      'moja_cl_transfer_fulfil',
      'Fulfil path: PUT received to commit (success), or a reserved transfer aborted (seconds)',
      ['success'],
    ) as Histogram<'success'>;
    this.prepareObs = [this.prepareHist.labels('true'), this.prepareHist.labels('false')];
    this.fulfilObs = [this.fulfilHist.labels('true'), this.fulfilHist.labels('false')];
    this.txTransfer = hist(
      'moja_ml_tx_transfer',
      'End to end: prepare received to commit notification sent (seconds)',
      ['success'],
    );
    this.transferDuration = hist(
      'mojaloop_transfer_duration',
      'Same as moja_ml_tx_transfer, under the Phase-07 plan name',
    );
    this.handlers = Object.fromEntries(
      (Object.keys(HANDLER_HISTOGRAMS) as HubStage[]).map((s) => {
        const [name, help] = HANDLER_HISTOGRAMS[s];
        const h = hist(name, help, ['success'], STAGE_BUCKETS);
        return [s, [h.labels('true'), h.labels('false')]];
      }),
    ) as HubMetrics['handlers'];
    this.transfers = new Counter({
      name: 'moja_cl_transfers_total',
      help: 'Transfers reaching a final state, by outcome (committed, aborted) and FSPIOP error code',
      labelNames: ['outcome', 'error_code'],
      registers: [r],
    });
    this.validationTotal = new Counter({
      name: 'mojaloop_transfer_total',
      help: 'Final transfers',
      registers: [r],
    });
    this.validationSuccess = new Counter({
      name: 'mojaloop_transfer_success',
      help: 'Committed transfers',
      registers: [r],
    });
    this.validationError = new Counter({
      name: 'mojaloop_transfer_error',
      help: 'Aborted transfers by error type (FSPIOP error code)',
      labelNames: ['error_type'],
      registers: [r],
    });
    this.poolWait = hist(
      'moja_cl_db_pool_wait_seconds',
      'Time a query waited for a pool connection',
      [],
      STAGE_BUCKETS,
    );
    this.callbacks = new Counter({
      name: 'moja_ml_callbacks_total',
      help: 'DFSP callbacks by outcome (delivered, failed after retries)',
      labelNames: ['dfsp', 'type', 'outcome'],
      registers: [r],
    });

    const ledgerGauge = (name: string, help: string, value: () => number) =>
      new Gauge({
        name,
        help,
        registers: [r],
        collect() {
          this.set(value());
        },
      });
    ledgerGauge(
      'moja_cl_transfers_in_flight',
      'Transfers prepared and not yet final',
      () => src.ledger().active.size,
    );
    ledgerGauge(
      'mysql_global_status_threads_connected',
      'Open pool connections (emulated)',
      () => src.pool.open,
    );
    ledgerGauge(
      'mysql_global_status_threads_running',
      'Connections running a query (emulated)',
      () => src.pool.busy,
    );
    ledgerGauge(
      'mysql_global_variables_max_connections',
      'Pool size (emulated)',
      () => src.knobs().dbPool.size,
    );
    ledgerGauge('moja_cl_db_pool_pending', 'Queries waiting for a connection', () => src.pool.waiting);
    ledgerGauge('moja_ml_callbacks_failed', 'Callbacks that failed after every retry', src.failedCallbacks);

    new Gauge({
      name: 'moja_cl_participant_position',
      help: 'Net position per DFSP incl. reservations (major units)',
      labelNames: ['dfsp', 'currency'],
      registers: [r],
      collect() {
        this.reset();
        for (const p of src.ledger().participants.values())
          this.set({ dfsp: p.name, currency: p.currency }, (p.position + p.reserved) / 10_000);
      },
    });

    const kafka = (name: string, help: string, labelNames: string[], fill: (g: Gauge) => void) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [r],
        collect() {
          this.reset();
          fill(this);
        },
      });
    const perPartition = (g: Gauge, group: boolean, value: (p: Partition<unknown>) => number) => {
      for (const s of src.stages()) {
        s.partitions.forEach((p, i) => {
          const l = { topic: s.topic, partition: String(i) };
          g.set(group ? { ...l, consumergroup: s.group } : l, value(p));
        });
      }
    };
    const groupLabels = ['consumergroup', 'topic', 'partition'];
    kafka('kafka_consumergroup_lag', 'Messages produced, not yet processed', groupLabels, (g) =>
      perPartition(g, true, (p) => p.produced - p.committed),
    );
    kafka('kafka_topic_partition_current_offset', 'Log end offset', ['topic', 'partition'], (g) =>
      perPartition(g, false, (p) => p.produced),
    );
    kafka('kafka_consumergroup_current_offset', 'Committed offset', groupLabels, (g) =>
      perPartition(g, true, (p) => p.committed),
    );

    ledgerGauge(
      'mysql_global_status_innodb_row_lock_current_waits',
      'Position updates waiting behind another update of the same participant (emulated)',
      () => {
        const position = src.stages().find((s) => s.name === 'position');
        let waits = 0;
        for (const p of position?.partitions ?? []) waits += Math.max(0, p.produced - p.committed - 1);
        return waits;
      },
    );

    const containerLabels = ['container', 'service', 'pod', 'namespace'];
    const labels = (svc: string) => ({
      container: svc,
      service: svc,
      pod: `${svc}-0`,
      namespace: 'mojaloop',
    });
    const perService = (
      name: string,
      help: string,
      type: 'counter' | 'gauge',
      value: (svc: (typeof HUB_SERVICES)[number]) => number,
    ) => {
      const collect = function (this: Gauge | Counter) {
        this.reset();
        for (const svc of HUB_SERVICES) {
          if (this instanceof Gauge) this.set(labels(svc), value(svc));
          else this.inc(labels(svc), value(svc));
        }
      };
      if (type === 'counter')
        new Counter({ name, help, labelNames: containerLabels, registers: [r], collect });
      else new Gauge({ name, help, labelNames: containerLabels, registers: [r], collect });
    };
    const st = (svc: (typeof HUB_SERVICES)[number]) => src.emu.snapshot(svc);
    perService(
      'container_cpu_usage_seconds_total',
      'Emulated CPU time (s)',
      'counter',
      (s) => st(s).usageMs / 1000,
    );
    perService(
      'container_cpu_cfs_periods_total',
      'Emulated CFS periods with demand',
      'counter',
      (s) => st(s).periods,
    );
    perService(
      'container_cpu_cfs_throttled_periods_total',
      'Emulated CFS periods that hit the quota',
      'counter',
      (s) => st(s).throttledPeriods,
    );
    perService(
      'container_spec_cpu_quota',
      'CPU quota per period (microseconds)',
      'gauge',
      (s) => src.knobs().cpuCores[s] * CFS_PERIOD_MS * 1000,
    );
    perService('container_spec_cpu_period', 'CFS period (microseconds)', 'gauge', () => CFS_PERIOD_MS * 1000);
    perService('container_memory_working_set_bytes', 'Emulated working set', 'gauge', (s) =>
      src.emu.workingSetBytes(s),
    );
    perService(
      'container_spec_memory_limit_bytes',
      'Memory limit',
      'gauge',
      (s) => src.knobs().memoryLimitBytes[s],
    );
    perService(
      'kube_pod_container_status_restarts_total',
      'Restarts (crashes, OOM kills)',
      'counter',
      (s) => st(s).restarts,
    );
    perService('moja_service_up', '1 when the emulated service is up', 'gauge', (s) =>
      src.emu.isDown(s) ? 0 : 1,
    );
  }

  prepare(ok: boolean, seconds: number): void {
    this.prepareObs[ok ? 0 : 1]!.observe(seconds);
  }

  fulfil(ok: boolean, seconds: number): void {
    this.fulfilObs[ok ? 0 : 1]!.observe(seconds);
  }

  /** Counts a transfer reaching its final state. */
  final(committed: boolean, errorCode: string): void {
    this.transfers.inc({
      outcome: committed ? 'committed' : 'aborted',
      error_code: committed ? '' : errorCode,
    });
    this.validationTotal.inc();
    if (committed) this.validationSuccess.inc();
    else this.validationError.inc({ error_type: errorCode });
  }

  /** The payer got its commit notification: the end-to-end time of a transfer. */
  observeDelivered(seconds: number): void {
    this.txTransfer.observe({ success: 'true' }, seconds);
    this.transferDuration.observe(seconds);
  }
}
