import type { DfspDefinition } from '@mlperf/core';

/** The emulated Mojaloop services; each is one `container` in the emulated cAdvisor metrics. */
export type HubService = 'ml-api-adapter' | 'central-ledger' | 'mysql' | 'kafka';
export const HUB_SERVICES: readonly HubService[] = ['ml-api-adapter', 'central-ledger', 'mysql', 'kafka'];

/** Pipeline stages, each a Kafka topic with a consumer group (the handler). */
export type HubStage = 'prepare' | 'position' | 'fulfil' | 'notification';
export const HUB_STAGES: readonly HubStage[] = ['prepare', 'position', 'fulfil', 'notification'];

/** One handler: a consumer group reading a topic. */
export interface StageKnobs {
  /** Topic partitions. Position messages are keyed by DFSP, so only as many partitions as busy DFSPs help. */
  partitions: number;
  /** Consumers in the group; each owns `partition % consumers`. More consumers than partitions sit idle. */
  consumers: number;
  /** Messages one consumer processes at once (1 keeps a partition in order, as the position handler must). */
  inFlightPerConsumer: number;
  /** CPU time of the handler per message (ms), charged to the stage's service quota. */
  serviceTimeMs: number;
  /** Database queries per message, each holding a pool connection for `dbPool.queryTimeMs`. */
  queries: number;
}

export interface DbPoolKnobs {
  /** Pool size; shown as mysql_global_variables_max_connections. */
  size: number;
  /** Time a query holds its connection (ms). */
  queryTimeMs: number;
  /** A query waiting longer than this for a connection fails the transfer with 2001. */
  acquireTimeoutMs: number;
}

/** A window during which a service does nothing (`stall`) or is down and restarts (`crash`). */
export interface OutageKnobs {
  service: HubService;
  /** Period between outages (ms). */
  everyMs: number;
  /** Length of each outage (ms). */
  forMs: number;
}

export interface FaultKnobs {
  /** Fraction of prepares the hub fails itself, with `errorCode`. */
  errorRate: number;
  errorCode: string;
  /** Extra latency per message in `latencyStage`, held by the consumer (ms). */
  latencyMs: number;
  /** Extra uniformly random latency 0..jitter (ms), on a `latencyRatio` fraction of messages. */
  latencyJitterMs: number;
  latencyRatio: number;
  latencyStage: HubStage;
  /** Working-set growth per committed transfer (bytes) of `leakService`; at its memory limit it is OOM-killed. */
  leakBytesPerTransfer: number;
  leakService: HubService;
  stall: OutageKnobs | null;
  crash: OutageKnobs | null;
  /**
   * Fraction of committed transfers whose fulfil notification to the payer is never sent (a lost
   * callback, as the notification handler does not retry): the transfer is COMMITTED and
   * GET /transfers/{id} says so.
   */
  lostCallbackRatio: number;
}

export interface CallbackKnobs {
  /** Retries of a failed callback (connection error, timeout or 5xx) before it is logged and counted. */
  retries: number;
  retryDelayMs: number;
  timeoutMs: number;
  /** Keep-alive sockets per DFSP callback origin. */
  maxSockets: number;
}

export interface HubKnobs {
  /** ml-api-adapter CPU time per incoming FSPIOP request (ms). */
  ingressServiceTimeMs: number;
  /** Messages queued across all topics beyond which ingress answers 503 (2003), keeping memory bounded. */
  maxBacklog: number;
  stages: Record<HubStage, StageKnobs>;
  dbPool: DbPoolKnobs;
  /** CPU quota per service in cores (cAdvisor CFS quota / period). */
  cpuCores: Record<HubService, number>;
  /** Memory limit per service (bytes). */
  memoryLimitBytes: Record<HubService, number>;
  /** Working set per service at rest (bytes). */
  memoryBaseBytes: Record<HubService, number>;
  /** Time an emulated service takes to come back after a crash or an OOM kill (ms). */
  restartMs: number;
  faults: FaultKnobs;
  callbacks: CallbackKnobs;
  /** How long and how many finished transfers are kept for duplicate detection. */
  duplicateTtlMs: number;
  duplicateMaxEntries: number;
}

type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A deep-partial of the knobs, as accepted by `startHub({ knobs })` and `setProfile()`. */
export type HubKnobsPatch = DeepPartial<HubKnobs>;

export type HubProfileName =
  | 'healthy'
  | 'db-pool-exhausted'
  | 'kafka-lag'
  | 'cpu-throttled'
  | 'memory-leak'
  | 'flaky';

export interface HubProfile {
  name: string;
  description: string;
  /** The metric (PromQL) where this profile's cause shows. */
  evidence: string;
  knobs: HubKnobs;
}

export interface HubOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** FSPIOP (ml-api-adapter) port; 0 (default) picks a free port. */
  port?: number;
  /** Admin (central-ledger) port; default a free port. */
  adminPort?: number;
  /** Participants; default the Phase-07 plan's 8-DFSP topology. */
  dfsps?: DfspDefinition[];
  profile?: HubProfileName | HubProfile;
  /** Knobs applied over the profile. */
  knobs?: HubKnobsPatch;
  /** `process` runs the hub in a child process with its own event loop. */
  isolation?: 'in-process' | 'process';
  /** Receives warnings (failed callbacks, OOM kills, crashes); default: dropped (they are counted in metrics). */
  log?: (line: string) => void;
  /** Hub participant name used as FSPIOP-Source of its own messages; default `Hub`. */
  hubName?: string;
}

export interface ParticipantSnapshot {
  name: string;
  currency: string;
  /** Net position including in-flight reservations (central-ledger's POSITION value). */
  position: number;
  /** In-flight prepared amount included in `position`. */
  reserved: number;
  liquidity: number;
  netDebitCap: number;
}

export interface LedgerSnapshot {
  participants: ParticipantSnapshot[];
  /** Transfers currently held (not yet final). */
  inFlight: number;
  /** Transfers by final state since the last reset (each counted once, when it became final). */
  committed: number;
  aborted: number;
  /** Aborted transfers by FSPIOP error code. */
  abortedByCode: Record<string, number>;
  /** Accepted prepares (unique transfer ids) since the last reset. */
  prepared: number;
  /** Prepares refused before becoming transfers (unknown DFSP, modified duplicate 3106). */
  rejected: number;
  /** Attempts to finalize a transfer twice; always 0 unless there is a bug. */
  doubleFinalizations: number;
  /** Sum over participants of position minus in-flight reservations; constant for a conserving ledger. */
  netPositionSum: number;
  /** Callback deliveries that failed after every retry. */
  failedCallbacks: number;
  /** Fulfil notifications to payers never sent (`faults.lostCallbackRatio`). */
  lostCallbacks: number;
}

export interface HubHandle {
  /** FSPIOP base URL (ml-api-adapter role), without trailing slash. */
  url: string;
  /** Admin API base URL (central-ledger role). */
  adminUrl: string;
  metricsUrl: string;
  healthUrl: string;
  /** The active profile (with its knobs after overrides). */
  readonly profile: HubProfile;
  /** Switch to a named profile, or patch the active knobs. */
  setProfile(profile: HubProfileName | HubProfile | HubKnobsPatch): Promise<HubProfile>;
  /** Back to the initial state of `dfsps` (default: the DFSPs the hub started with). */
  reset(dfsps?: DfspDefinition[]): Promise<void>;
  ledger(): Promise<LedgerSnapshot>;
  /**
   * Settles when a hub in its own process exits, for whatever reason (`stop()` included): how it
   * ended. Absent for a hub inside this process.
   */
  readonly exited?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Process id of a hub in its own process. */
  readonly pid?: number;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
