import type { TimeWindow } from '@mlperf/core';
import { tryParseDuration } from '@mlperf/core';
import type { RunData } from './model.js';

/**
 * The steady-state rule, as documented in the README and written into analysis.json:
 * 1. The plateau is the span of the run's stages at its highest constant planned rate (for a test
 *    without constant stages, every second at >= 98% of the highest prescribed rate).
 * 2. Warm-up is cut from the plateau's start and cool-down from its end: the test's `warmup` /
 *    `cooldown` when set; otherwise Mojaloop's benchmark practice (first 5 min, last 2 min),
 *    scaled down for short plateaus to at most 10% and 4% of the plateau.
 * 3. An aborted run's plateau ends at its last recorded second.
 * 4. If fewer than 10 s remain, the whole plateau is used and the rule says so.
 */
export interface SteadyState extends TimeWindow {
  rule: string;
  plannedTps?: number;
  /** Seconds the steady window would span had the run completed. */
  plannedSeconds: number;
  /** Seconds it spans. */
  seconds: number;
}

const DEFAULT_WARMUP_S = 300;
const DEFAULT_COOLDOWN_S = 120;

interface Plateau {
  startS: number;
  endS: number;
  rate: number;
}

function plateauFromStages(data: RunData): Plateau | undefined {
  const constant = data.stages.filter((s) => s.kind === 'constant' && s.fromRate === s.toRate);
  if (constant.length === 0) return undefined;
  const rate = Math.max(...constant.map((s) => s.fromRate));
  const at = constant.filter((s) => s.fromRate === rate);
  const first = at[0] as (typeof at)[number];
  const last = at[at.length - 1] as (typeof at)[number];
  const lastData = data.timeseries[data.timeseries.length - 1];
  const def = data.test?.stages[last.index];
  const plannedMs = def && def.kind !== 'open-ramp' ? tryParseDuration(def.duration) : undefined;
  const endS =
    last.endS ??
    (plannedMs !== undefined ? last.startS + plannedMs / 1000 : lastData ? lastData.s + 1 : first.startS);
  return { startS: first.startS, endS, rate };
}

function plateauFromSeries(data: RunData): Plateau | undefined {
  if (data.timeseries.length === 0) return undefined;
  const peak = Math.max(...data.timeseries.map((r) => r.offeredRate));
  if (!(peak > 0)) return undefined;
  const hi = data.timeseries.filter((r) => r.offeredRate >= 0.98 * peak);
  const first = hi[0];
  const last = hi[hi.length - 1];
  if (!first || !last) return undefined;
  return { startS: first.s, endS: last.s + 1, rate: data.plannedTps ?? peak };
}

export function steadyState(data: RunData): SteadyState | undefined {
  const plateau = plateauFromStages(data) ?? plateauFromSeries(data);
  const first = data.timeseries[0];
  const last = data.timeseries[data.timeseries.length - 1];
  if (!plateau || !first || !last) return undefined;
  const span = plateau.endS - plateau.startS;
  const warmSet = tryParseDuration(data.test?.warmup);
  const coolSet = tryParseDuration(data.test?.cooldown);
  const warm = warmSet !== undefined ? warmSet / 1000 : Math.min(DEFAULT_WARMUP_S, Math.round(0.1 * span));
  const cool = coolSet !== undefined ? coolSet / 1000 : Math.min(DEFAULT_COOLDOWN_S, Math.round(0.04 * span));
  const plannedEnd = plateau.endS - cool;
  const startS = plateau.startS + warm;
  const endS = Math.min(plannedEnd, last.s + 1);
  const source =
    warmSet !== undefined || coolSet !== undefined
      ? "the test's warmup/cooldown"
      : 'default: first 5 min / last 2 min, at most 10% / 4% of the plateau';
  let rule = `steady state = plateau at ${round(plateau.rate)} TPS (s ${plateau.startS}-${plateau.endS}) minus ${warm} s warm-up and ${cool} s cool-down (${source})`;
  let s0 = startS;
  let s1 = endS;
  if (s1 - s0 < 10) {
    s0 = plateau.startS;
    s1 = Math.min(plateau.endS, last.s + 1);
    rule += '; fewer than 10 s remained, so the whole plateau is used';
  }
  if (endS < plannedEnd) rule += `; the run ended early at s ${last.s + 1}`;
  const t0 = first.t - first.s * 1000;
  return {
    start: t0 + s0 * 1000,
    end: t0 + s1 * 1000,
    rule,
    plannedTps: plateau.rate,
    plannedSeconds: Math.max(0, plannedEnd - startS),
    seconds: Math.max(0, s1 - s0),
  };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
