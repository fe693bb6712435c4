import { parseDuration } from './duration.js';
import type { Stage } from './types.js';

/** A stage with its start time and bounded length resolved, in ms from the test start. */
export interface TimedStage {
  index: number;
  stage: Stage;
  startMs: number;
  /** For an open ramp: its safety bound (`maxDuration`, or the time to reach `maxRate`), or Infinity. */
  durationMs: number;
  fromRate: number;
  /** Rate at the end of the stage (for an open ramp: at its bound). */
  toRate: number;
}

export function stageName(stage: Stage, index: number): string {
  if (stage.name) return stage.name;
  switch (stage.kind) {
    case 'constant':
      return `constant ${stage.rate} TPS`;
    case 'ramp':
      return `ramp ${stage.from}->${stage.to} TPS`;
    case 'open-ramp':
      return `open ramp from ${stage.from} TPS +${stage.stepPerMinute}/min`;
    default:
      return `stage ${index}`;
  }
}

function openRampDurationMs(stage: Extract<Stage, { kind: 'open-ramp' }>, path: string): number {
  const bounds: number[] = [];
  if (stage.maxDuration !== undefined) bounds.push(parseDuration(stage.maxDuration, `${path}.maxDuration`));
  if (stage.maxRate !== undefined && stage.stepPerMinute > 0) {
    bounds.push(((stage.maxRate - stage.from) / stage.stepPerMinute) * 60_000);
  }
  return bounds.length ? Math.max(0, Math.min(...bounds)) : Number.POSITIVE_INFINITY;
}

/** Lays the stages end to end. Assumes a validated definition (durations parse). */
export function timeStages(stages: readonly Stage[], path = 'stages'): TimedStage[] {
  let startMs = 0;
  return stages.map((stage, index) => {
    const p = `${path}[${index}]`;
    let durationMs: number;
    let fromRate: number;
    let toRate: number;
    if (stage.kind === 'constant') {
      durationMs = parseDuration(stage.duration, `${p}.duration`);
      fromRate = toRate = stage.rate;
    } else if (stage.kind === 'ramp') {
      durationMs = parseDuration(stage.duration, `${p}.duration`);
      fromRate = stage.from;
      toRate = stage.to;
    } else {
      durationMs = openRampDurationMs(stage, p);
      fromRate = stage.from;
      toRate = Number.isFinite(durationMs)
        ? stage.from + (stage.stepPerMinute * durationMs) / 60_000
        : Number.POSITIVE_INFINITY;
    }
    const timed: TimedStage = { index, stage, startMs, durationMs, fromRate, toRate };
    startMs += durationMs;
    return timed;
  });
}

/** Planned arrival rate (TPS) of a timed stage at `tMs` from the stage start. */
function stageRateAt(t: TimedStage, tMs: number): number {
  const s = t.stage;
  if (s.kind === 'constant') return s.rate;
  if (s.kind === 'ramp')
    return t.durationMs <= 0 ? s.to : s.from + ((s.to - s.from) * Math.min(tMs, t.durationMs)) / t.durationMs;
  const rate = s.from + (s.stepPerMinute * tMs) / 60_000;
  return s.maxRate === undefined ? rate : Math.min(rate, s.maxRate);
}

/** Planned arrival rate at `tMs` from the test start, or undefined after the last stage. */
export function rateAt(
  stages: readonly TimedStage[],
  tMs: number,
): { rate: number; stage: number } | undefined {
  for (const t of stages) {
    if (tMs >= t.startMs && tMs < t.startMs + t.durationMs)
      return { rate: stageRateAt(t, tMs - t.startMs), stage: t.index };
  }
  return undefined;
}

/** Expected arrivals in a stage between `fromMs` and `toMs` (from the stage start): the rate's integral. */
export function stageArrivals(t: TimedStage, fromMs: number, toMs: number): number {
  const a = Math.max(0, fromMs);
  const b = Math.min(toMs, t.durationMs);
  if (b <= a) return 0;
  return ((stageRateAt(t, a) + stageRateAt(t, b)) / 2) * ((b - a) / 1000);
}

/** Total bounded duration of the stages (Infinity when an open ramp has no bound). */
export function totalDurationMs(stages: readonly TimedStage[]): number {
  return stages.reduce((sum, t) => sum + t.durationMs, 0);
}
