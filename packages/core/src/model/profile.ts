import { MlperfError } from '../errors.js';
import { formatDuration, parseDuration } from './duration.js';
import { stageArrivals, timeStages } from './stages.js';
import type {
  ProfileInfo,
  ProfileName,
  Stage,
  SuiteCriterion,
  SuiteDefinition,
  TestDefinition,
} from './types.js';

/** The quick profile runs the whole suite in minutes: every duration divided by 60. */
const QUICK_TIME_SCALE = 1 / 60;

export interface ProfileOptions {
  profile?: ProfileName;
  /** Multiplier for every duration; default 1 for `full`, 1/60 for `quick`. */
  timeScale?: number;
  /** Upper bound on every rate (TPS). */
  rateCap?: number;
}

/** Evaluation windows (stop rule, recovery) never shrink below this, or they would hold too few samples. */
const MIN_WINDOW_MS = 3000;

/**
 * Scales a suite for a profile: `full` is the Phase-07 plan's numbers; `quick` divides every duration by 60
 * (open-ramp slopes are steepened to match, so the same rates are reached); `rateCap` bounds every
 * rate. Transfer expiration is not scaled: it is a per-transfer timeout, not a test length.
 */
export function resolveProfile(suite: SuiteDefinition, options: ProfileOptions = {}): SuiteDefinition {
  const name = options.profile ?? 'full';
  const timeScale = options.timeScale ?? (name === 'quick' ? QUICK_TIME_SCALE : 1);
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new MlperfError('PROFILE_INVALID', `timeScale: ${timeScale} must be a positive number`, {
      hint: 'use e.g. --time-scale 0.0167 for 1/60 of the Phase-07 plan durations',
    });
  }
  if (options.rateCap !== undefined && !(options.rateCap > 0)) {
    throw new MlperfError('PROFILE_INVALID', `rateCap: ${options.rateCap} must be > 0`, {
      hint: 'use e.g. --rate-cap 500 to bound every rate at 500 TPS',
    });
  }
  const cap = (r: number) => (options.rateCap === undefined ? r : Math.min(r, options.rateCap));
  const scale = (d: string, path: string, min = 1) =>
    formatDuration(Math.max(min, Math.round(parseDuration(d, path) * timeScale)));
  const window = (d: string, path: string) => scale(d, path, Math.min(MIN_WINDOW_MS, parseDuration(d, path)));

  const scaleStage = (s: Stage, path: string): Stage => {
    switch (s.kind) {
      case 'constant':
        return { ...s, rate: cap(s.rate), duration: scale(s.duration, `${path}.duration`) };
      case 'ramp':
        return { ...s, from: cap(s.from), to: cap(s.to), duration: scale(s.duration, `${path}.duration`) };
      case 'open-ramp': {
        const maxRate =
          options.rateCap === undefined ? s.maxRate : Math.min(s.maxRate ?? options.rateCap, options.rateCap);
        const out: Stage = { ...s, from: cap(s.from), stepPerMinute: s.stepPerMinute / timeScale };
        if (maxRate !== undefined) out.maxRate = maxRate;
        if (s.maxDuration !== undefined) out.maxDuration = scale(s.maxDuration, `${path}.maxDuration`);
        return out;
      }
    }
  };

  const scaleTest = (t: TestDefinition, i: number): TestDefinition => {
    const p = `tests[${i}]`;
    const out: TestDefinition = { ...t, stages: t.stages.map((s, j) => scaleStage(s, `${p}.stages[${j}]`)) };
    // Warm-up and cool-down shrink with the test, or a short test would have no steady state left.
    if (t.warmup) out.warmup = scale(t.warmup, `${p}.warmup`);
    if (t.cooldown) out.cooldown = scale(t.cooldown, `${p}.cooldown`);
    // Transfer counts follow the planned volume (time scale and rate cap together).
    const volume = boundedArrivals(out.stages) / Math.max(1, boundedArrivals(t.stages));
    const count = (n: number) => Math.round(n * volume);
    out.criteria = t.criteria.map((c) => (c.kind === 'transfers' ? { ...c, min: count(c.min) } : c));
    if (t.expected?.transfers !== undefined)
      out.expected = { ...t.expected, transfers: count(t.expected.transfers) };
    if (t.stopRule?.window)
      out.stopRule = { ...t.stopRule, window: window(t.stopRule.window, `${p}.stopRule.window`) };
    if (t.recovery)
      out.recovery = {
        rate: cap(t.recovery.rate),
        duration: window(t.recovery.duration, `${p}.recovery.duration`),
      };
    if (out.expected?.duration)
      out.expected = { ...out.expected, duration: scale(out.expected.duration, `${p}.expected.duration`) };
    return out;
  };

  const scaleCriterion = (c: SuiteCriterion, i: number): SuiteCriterion => {
    if (c.kind === 'sustained')
      return { ...c, rate: cap(c.rate), duration: scale(c.duration, `criteria[${i}].duration`) };
    if (c.kind === 'linear-scaling') return { ...c, upToRate: cap(c.upToRate) };
    if (c.kind === 'clean-recovery' && c.within)
      return { ...c, within: window(c.within, `criteria[${i}].within`) };
    return c;
  };

  const profile: ProfileInfo = { name, timeScale };
  if (options.rateCap !== undefined) profile.rateCap = options.rateCap;
  const out: SuiteDefinition = {
    ...suite,
    tests: suite.tests.map(scaleTest),
    criteria: suite.criteria.map(scaleCriterion),
    profile,
  };
  if (suite.cooldownBetweenTests)
    out.cooldownBetweenTests = window(suite.cooldownBetweenTests, 'cooldownBetweenTests');
  return out;
}

/** Planned arrivals of the stages that have a bound (an unbounded open ramp adds nothing). */
function boundedArrivals(stages: readonly Stage[]): number {
  return timeStages(stages)
    .filter((t) => Number.isFinite(t.durationMs))
    .reduce((n, t) => n + stageArrivals(t, 0, t.durationMs), 0);
}
