import type {
  CorridorDefinition,
  RunTotals,
  StageWindow,
  StopRule,
  TimedStage,
  TimeseriesRecord,
} from '@mlperf/core';
import type { Histogram } from 'hdr-histogram-js';
import type { IdKind } from '../fspiop/ids.js';
import type { CallbackAnomalies } from './dfsp-roles.js';
import type { PeriodStats } from './period.js';
import type { LookupCounts } from './transfer-lookup.js';

/** A corridor as the engine runs it: names and amounts resolved. */
export interface EngineCorridor extends CorridorDefinition {
  name: string;
  /** FSPIOP canonical amount (`"0.1"`). */
  amount: string;
  currency: string;
}

export interface LoadEngineOptions {
  /** ml-api-adapter base URL. */
  hubUrl: string;
  corridors: EngineCorridor[];
  stages: TimedStage[];
  maxInFlight: number;
  /** Transfer expiration (the prepare's `expiration`), ms. */
  expirationMs: number;
  /** A transfer with no outcome this long after its send is a timeout. */
  timeoutMs: number;
  /**
   * A transfer with no callback at its timeout is looked up (GET /transfers/{id}) and waits this
   * long more for the answer before it is called a timeout; 0 or absent: no lookup.
   */
  lookupWaitMs?: number;
  /** Bounded drain after arrivals stop (abort); a normal end drains up to `timeoutMs`. */
  abortDrainMs: number;
  secret: string;
  idKind: IdKind;
  payeeRejectRatio: number;
  stopRule?: StopRule;
  stopWindowMs?: number;
  recovery?: { rate: number; durationMs: number };
  /** Abort when the target stops answering (connection errors only, 3 s in a row). */
  abortOnTargetDown: boolean;
  callbackHost: string;
  callbackPort: number;
  maxSockets: number;
  /** Per corridor: this engine starts that corridor's arrivals (an engine worker's share); default all. */
  share?: readonly boolean[];
  log: (line: string) => void;
  onSecond: (
    record: TimeseriesRecord,
    engine: { readonly elapsedS: number; readonly inFlight: number },
  ) => void;
}

export interface StopEvent {
  atS: number;
  rate: number;
  reason: string;
}

export interface EngineResult {
  status: 'completed' | 'aborted';
  reason?: string;
  targetDown: boolean;
  stop?: StopEvent;
  totals: RunTotals;
  stages: StageWindow[];
  /** Whole run, merged from the seconds. */
  total: PeriodStats;
  /** e2e per stage index (recovery is the last). */
  stageE2e: Map<number, Histogram>;
  http: { requests: number; failed: number };
  maxInFlight: number;
  peakInFlight: number;
  anomalies: CallbackAnomalies;
  /** Transfers looked up at their timeout, and what the hub said (transfer-lookup.ts). */
  lookups: LookupCounts;
  durationS: number;
  /** Seconds during which arrivals were scheduled (planned stages and recovery). */
  arrivalsS: number;
  startedAt: number;
  /** The engine's own cost: whole-run p99 scheduling lag, CPU seconds, peak RSS. */
  engine: { schedulingLagP99Ms: number; cpuSeconds: number; peakRssBytes: number };
}
