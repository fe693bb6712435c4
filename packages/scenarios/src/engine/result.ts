import type { RunTotals, StageWindow } from '@mlperf/core';
import { stageName } from '@mlperf/core';
import type { ArrivalSchedule } from './arrivals.js';
import type { CallbackAnomalies } from './dfsp-roles.js';
import type { SettledSeconds } from './settled-seconds.js';
import type { LookupCounts } from './transfer-lookup.js';
import type { EngineResult, LoadEngineOptions, StopEvent } from './types.js';

/** Where the run's arrivals stood when it ended (ms from the start). */
export interface ArrivalWindow {
  elapsedMs: number;
  arrivalsEndMs: number;
  plannedEndMs: number;
  recoveryStage: number | undefined;
  recoveryStartMs: number;
}

/** Stages as they actually ran: cut at a stop or abort, plus the recovery hold. */
export function stageWindows(
  o: Pick<LoadEngineOptions, 'stages' | 'recovery'>,
  schedule: ArrivalSchedule,
  w: ArrivalWindow,
): StageWindow[] {
  const end = Math.min(w.arrivalsEndMs, w.elapsedMs);
  const plannedEnd = Math.min(w.plannedEndMs, end);
  const out: StageWindow[] = [];
  for (const t of o.stages) {
    if (t.startMs >= plannedEnd) break;
    const stageEnd = Math.min(t.startMs + t.durationMs, plannedEnd);
    out.push({
      index: t.index,
      name: stageName(t.stage, t.index),
      kind: t.stage.kind,
      startS: t.startMs / 1000,
      endS: Math.round(stageEnd) / 1000,
      fromRate: t.fromRate,
      toRate:
        Math.round((schedule.rateAt(Math.max(t.startMs, stageEnd - 1))?.rate ?? t.toRate) * 1000) / 1000,
    });
  }
  if (w.recoveryStage !== undefined && o.recovery) {
    out.push({
      index: w.recoveryStage,
      name: 'recovery',
      kind: 'constant',
      startS: Math.round(w.recoveryStartMs) / 1000,
      endS: Math.round(end) / 1000,
      fromRate: o.recovery.rate,
      toRate: o.recovery.rate,
    });
  }
  return out;
}

export interface RunEnd {
  abortReason: string | undefined;
  targetDown: boolean;
  stop: StopEvent | undefined;
  unfinished: number;
  stages: StageWindow[];
  window: ArrivalWindow;
  startedAt: number;
  http: { requests: number; failed: number };
  maxInFlight: number;
  peakInFlight: number;
  anomalies: CallbackAnomalies;
  lookups: LookupCounts;
  cpuSeconds: number;
  peakRssBytes: number;
}

/** The engine's result from its settled seconds and how the run ended. */
export function engineResult(settled: SettledSeconds, e: RunEnd): EngineResult {
  const all = settled.total.all;
  const totals: RunTotals = {
    offered: all.offered,
    started: all.started,
    dropped: all.dropped,
    succeeded: all.succeeded,
    failed: { ...all.failed },
    unfinished: e.unfinished,
  };
  const out: EngineResult = {
    status: e.abortReason !== undefined ? 'aborted' : 'completed',
    targetDown: e.targetDown,
    totals,
    stages: e.stages,
    total: settled.total,
    stageE2e: settled.stageE2e,
    http: e.http,
    maxInFlight: e.maxInFlight,
    peakInFlight: e.peakInFlight,
    anomalies: { ...e.anomalies },
    lookups: { ...e.lookups },
    durationS: e.window.elapsedMs / 1000,
    arrivalsS: Math.min(e.window.arrivalsEndMs, e.window.elapsedMs) / 1000,
    startedAt: e.startedAt,
    engine: {
      schedulingLagP99Ms: settled.schedulingLagP99Ms,
      cpuSeconds: e.cpuSeconds,
      peakRssBytes: e.peakRssBytes,
    },
  };
  if (e.abortReason !== undefined) out.reason = e.abortReason;
  if (e.stop) out.stop = e.stop;
  return out;
}
