import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DfspDefinition } from '@mlperf/core';
import { Emulation } from './emulation.js';
import { Ledger } from './ledger.js';
import { HubMetrics } from './metrics.js';
import { Notifier } from './notifier.js';
import { DbPool, Stage } from './pipeline.js';
import { resolveHubProfile } from './profiles.js';
import {
  type FulfilMsg,
  type NotifyMsg,
  type PositionMsg,
  type PrepareMsg,
  TransferHandlers,
} from './transfers.js';
import {
  HUB_SERVICES,
  HUB_STAGES,
  type HubKnobs,
  type HubKnobsPatch,
  type HubProfile,
  type HubProfileName,
  type HubService,
  type LedgerSnapshot,
} from './types.js';
import { sendJson } from './http/util.js';

const VERSION = '0.1.0';

/** Everything of one hub but its servers: ledger, pipeline, emulated services, metrics. */
export class HubCore {
  profile: HubProfile;
  readonly ledger: Ledger;
  readonly emu: Emulation;
  readonly pool: DbPool;
  readonly metrics: HubMetrics;
  readonly notifier: Notifier;
  readonly handlers: TransferHandlers;
  readonly stages: TransferHandlers['stages'];
  private dfsps: DfspDefinition[];
  private readonly poolTimer: NodeJS.Timeout;
  readonly startedAt = new Date();

  constructor(
    dfsps: DfspDefinition[],
    profile: HubProfile,
    readonly log: (line: string) => void,
    readonly hubName: string,
  ) {
    this.profile = profile;
    this.dfsps = dfsps;
    const knobs = () => this.profile.knobs;
    this.ledger = new Ledger(() => ({
      ttlMs: knobs().duplicateTtlMs,
      maxEntries: knobs().duplicateMaxEntries,
    }));
    this.ledger.load(dfsps, new Map());
    this.emu = new Emulation(knobs, log);
    let metrics: HubMetrics | undefined;
    this.pool = new DbPool(knobs, this.emu, (s) => metrics?.poolWait.observe(s));
    this.notifier = new Notifier(
      () => knobs().callbacks,
      log,
      (dfsp, type, ok) => metrics?.callbacks.inc({ dfsp, type, outcome: ok ? 'delivered' : 'failed' }),
    );
    // biome-ignore lint/suspicious/noExplicitAny: stages of different message types
    let stageList: Stage<any>[] = [];
    metrics = new HubMetrics({
      emu: this.emu,
      pool: this.pool,
      stages: () => stageList,
      ledger: () => this.ledger,
      knobs,
      failedCallbacks: () => this.notifier.failed,
    });
    this.metrics = metrics;
    this.handlers = new TransferHandlers(
      () => this.ledger,
      knobs,
      metrics,
      this.emu,
      (cb) => this.notifier.send(cb),
      hubName,
    );
    const m = metrics;
    const ctx = {
      emu: this.emu,
      pool: this.pool,
      knobs,
      observe: (stage: (typeof HUB_STAGES)[number], s: number, ok: boolean) =>
        m.handlers[stage][ok ? 0 : 1].observe(s),
    };
    const h = this.handlers;
    this.stages = {
      prepare: new Stage<PrepareMsg>(
        'prepare',
        'topic-transfer-prepare',
        'cl_transfer_prepare',
        'central-ledger',
        ctx,
        h.prepare,
      ),
      position: new Stage<PositionMsg>(
        'position',
        'topic-transfer-position',
        'cl_transfer_position',
        'central-ledger',
        ctx,
        h.position,
      ),
      fulfil: new Stage<FulfilMsg>(
        'fulfil',
        'topic-transfer-fulfil',
        'cl_transfer_fulfil',
        'central-ledger',
        ctx,
        h.fulfil,
      ),
      notification: new Stage<NotifyMsg>(
        'notification',
        'topic-notification-event',
        'ml_notification_event',
        'ml-api-adapter',
        ctx,
        h.notification,
      ),
    };
    this.handlers.stages = this.stages;
    stageList = Object.values(this.stages);
    this.poolTimer = setInterval(() => this.pool.tick(), 1000);
    this.poolTimer.unref();
  }

  /** Messages produced and not yet processed, over all topics. */
  backlog(): number {
    let n = 0;
    for (const s of HUB_STAGES) n += this.stages[s].lag();
    return n;
  }

  get knobs(): HubKnobs {
    return this.profile.knobs;
  }

  setProfile(p: HubProfileName | HubProfile | HubKnobsPatch): HubProfile {
    const next =
      typeof p === 'string' || (typeof p === 'object' && p !== null && 'knobs' in p && 'name' in p)
        ? resolveHubProfile(p as HubProfileName | HubProfile)
        : resolveHubProfile(this.profile, p as HubKnobsPatch);
    this.profile = next;
    for (const s of HUB_STAGES) this.stages[s].configure(next.knobs.stages[s]);
    return next;
  }

  /** Back to the initial state of `dfsps` (default: the current ones); registered endpoints are kept by name. */
  reset(dfsps?: DfspDefinition[]): void {
    if (dfsps) this.dfsps = dfsps;
    const endpoints = new Map([...this.ledger.participants.values()].map((p) => [p.name, p.endpoints]));
    for (const s of HUB_STAGES) this.stages[s].clear();
    this.handlers.clear();
    this.emu.clear();
    this.ledger.load(this.dfsps, endpoints);
  }

  snapshot(): LedgerSnapshot {
    const h = this.handlers;
    return {
      ...this.ledger.snapshot(this.notifier.failed),
      rejected: h.rejected,
      lostCallbacks: h.lostCallbacks,
    };
  }

  async metricsResponse(res: ServerResponse): Promise<void> {
    const text = await this.metrics.registry.metrics();
    res.writeHead(200, {
      'content-type': this.metrics.registry.contentType,
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  /** `/health` as Mojaloop services answer it; `/health/<service>` for one emulated service. */
  async health(req: IncomingMessage, res: ServerResponse, self: HubService): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const asked = path.startsWith('/health/') ? path.slice('/health/'.length) : self;
    if (!(HUB_SERVICES as readonly string[]).includes(asked)) {
      sendJson(res, 404, {
        errorInformation: { errorCode: '3002', errorDescription: `Unknown URI - no service ${asked}` },
      });
      return;
    }
    const service = asked as HubService;
    const deps: HubService[] = service === 'mysql' || service === 'kafka' ? [] : ['kafka', 'mysql'];
    const up = (s: HubService) => (this.emu.isDown(s) ? 'DOWN' : 'OK');
    const services = deps.map((d) => ({ name: d === 'kafka' ? 'broker' : 'datastore', status: up(d) }));
    const status = up(service) === 'OK' && services.every((s) => s.status === 'OK') ? 'OK' : 'DOWN';
    const st = this.emu.snapshot(service);
    sendJson(res, status === 'OK' ? 200 : 502, {
      status,
      service,
      uptime: Math.max(0, (Date.now() - st.startedAt) / 1000),
      startTime: new Date(st.startedAt).toISOString(),
      versionNumber: VERSION,
      services,
    });
  }

  stop(): void {
    for (const s of HUB_STAGES) this.stages[s].stop();
    this.handlers.stop();
    this.emu.stop();
    this.pool.stop();
    this.notifier.stop();
    clearInterval(this.poolTimer);
  }
}
