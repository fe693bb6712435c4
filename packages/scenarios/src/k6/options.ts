import type { TestDefinition } from '@mlperf/core';
import { ExitCode, MlperfError, formatDuration, parseDuration, stageName, timeStages } from '@mlperf/core';

/**
 * Transfer metrics of a rendered k6 run. k6 records the prepare (`ack`, `accepted`); the outcome and
 * the end-to-end time are recorded where the payer's callback arrives, in the DFSP simulator
 * (`e2e`, `success` name what k6 remote-write would carry for scripts that measure them in k6).
 */
export const K6_METRICS = {
  /** Trend (time): end to end, k6's start of the transfer -> the payer's callback. */
  e2e: 'transfer_e2e_duration',
  /** Rate: 1 per COMMITTED transfer, 0 per failed one (tag error_type). */
  success: 'transfer_success',
  /** Trend (time): POST /transfers -> HTTP 202 from ml-api-adapter (recorded by k6). */
  ack: 'transfer_prepare_ack_duration',
  /** Rate: 1 per prepare the hub accepted (202), 0 per refused one (tag error_type) (recorded by k6). */
  accepted: 'transfer_prepare_accepted',
} as const;

/** A k6 threshold: the expression, or the object form that can abort the test. */
export type K6Threshold = string | { threshold: string; abortOnFail: boolean; delayAbortEval?: string };

/** One k6 scenario of the rendered `options.scenarios` (arrival-rate executors only). */
export type K6Scenario = {
  executor: 'constant-arrival-rate' | 'ramping-arrival-rate';
  startTime: string;
  timeUnit: string;
  preAllocatedVUs: number;
  maxVUs: number;
  gracefulStop: string;
  tags: Record<string, string>;
} & (
  | { executor: 'constant-arrival-rate'; rate: number; duration: string }
  | { executor: 'ramping-arrival-rate'; startRate: number; stages: { target: number; duration: string }[] }
);

export interface K6SizingOptions {
  /** How long a VU is busy per transfer (the prepare and its acknowledgement); sizes the VU pools. Default 50 ms. */
  expectedLatencyMs?: number;
  /** k6 runner pods sharing the load (k6-operator parallelism); scales count thresholds. Default 1. */
  parallelism?: number;
}

/** Default VU busy time per transfer: the prepare until the hub's 202 (the outcome does not hold the VU). */
export const VU_BUSY_MS = 50;

/** The time a VU is busy per transfer, in ms, used to size VU pools. */
export function expectedLatencyMs(_test: TestDefinition, override?: number): number {
  return override ?? VU_BUSY_MS;
}

/** VUs for a peak rate: in flight = rate x latency (Little's law), 1.5x headroom; the cap allows 4x latency. */
export function vuPools(peakRate: number, latencyMs: number, maxInFlight?: number) {
  const busyS = latencyMs / 1000;
  // At least 10: a VU started mid-run costs k6 a script initialisation, late on a busy machine.
  const preAllocatedVUs = Math.max(10, Math.ceil(peakRate * busyS * 1.5));
  const cap = maxInFlight ?? Math.ceil(peakRate * Math.max(4 * busyS, 1));
  return { preAllocatedVUs: Math.min(preAllocatedVUs, Math.max(1, cap)), maxVUs: Math.max(1, cap) };
}

/** k6 rates are integers per timeUnit: whole TPS per second, else per minute. */
function rateUnit(rates: number[]): { timeUnit: string; scale: number } {
  return rates.every((r) => Number.isInteger(r))
    ? { timeUnit: '1s', scale: 1 }
    : { timeUnit: '1m', scale: 60 };
}

/** Scenario name of stage `index` (k6 allows letters, digits, `_` and `-`). */
export function scenarioName(index: number): string {
  return `stage_${index}`;
}

/**
 * The test's stages as sequential k6 arrival-rate scenarios (`startTime` = stage start); an open
 * ramp becomes a bounded linear ramp; the recovery phase, if any, is a last constant scenario.
 */
export function k6Scenarios(test: TestDefinition, options: K6SizingOptions = {}): Record<string, K6Scenario> {
  const latency = expectedLatencyMs(test, options.expectedLatencyMs);
  const expirationStop = '30s';
  const scenarios: Record<string, K6Scenario> = {};
  const timed = timeStages(test.stages, `tests.${test.id}.stages`);
  let endMs = 0;
  for (const t of timed) {
    if (!Number.isFinite(t.durationMs)) {
      throw new MlperfError(
        'K6_UNBOUNDED_STAGE',
        `tests.${test.id}.stages[${t.index}]: an open ramp without maxRate or maxDuration cannot run on k6`,
        {
          hint: 'give the open-ramp stage a maxDuration (e.g. 30m) or a maxRate',
          exitCode: ExitCode.badInput,
        },
      );
    }
    const name = stageName(t.stage, t.index);
    const peak = Math.max(t.fromRate, t.toRate);
    const base = {
      startTime: formatDuration(t.startMs),
      ...vuPools(peak, latency, test.maxInFlight),
      gracefulStop: expirationStop,
      tags: { stage: name, stage_index: String(t.index) },
    };
    if (t.stage.kind === 'constant') {
      const u = rateUnit([t.stage.rate]);
      scenarios[scenarioName(t.index)] = {
        executor: 'constant-arrival-rate',
        ...base,
        timeUnit: u.timeUnit,
        rate: Math.round(t.stage.rate * u.scale),
        duration: formatDuration(t.durationMs),
      };
    } else {
      const u = rateUnit([t.fromRate, t.toRate]);
      scenarios[scenarioName(t.index)] = {
        executor: 'ramping-arrival-rate',
        ...base,
        timeUnit: u.timeUnit,
        startRate: Math.round(t.fromRate * u.scale),
        stages: [{ target: Math.round(t.toRate * u.scale), duration: formatDuration(t.durationMs) }],
      };
    }
    endMs = t.startMs + t.durationMs;
  }
  if (test.recovery) {
    const u = rateUnit([test.recovery.rate]);
    scenarios.recovery = {
      executor: 'constant-arrival-rate',
      startTime: formatDuration(endMs),
      ...vuPools(test.recovery.rate, latency, test.maxInFlight),
      gracefulStop: expirationStop,
      tags: { stage: 'recovery', stage_index: String(timed.length) },
      timeUnit: u.timeUnit,
      rate: Math.round(test.recovery.rate * u.scale),
      duration: formatDuration(parseDuration(test.recovery.duration, `tests.${test.id}.recovery.duration`)),
    };
  }
  return scenarios;
}

/** Planned arrivals of the whole test (stages + recovery), for count thresholds. */
export function plannedArrivals(test: TestDefinition): number {
  let total = 0;
  for (const t of timeStages(test.stages)) {
    if (Number.isFinite(t.durationMs)) total += ((t.fromRate + t.toRate) / 2) * (t.durationMs / 1000);
  }
  if (test.recovery) total += test.recovery.rate * (parseDuration(test.recovery.duration) / 1000);
  return Math.round(total);
}

function add(into: Record<string, K6Threshold[]>, metric: string, t: K6Threshold): void {
  const list = into[metric] ?? [];
  into[metric] = list;
  const key = typeof t === 'string' ? t : t.threshold;
  if (!list.some((x) => (typeof x === 'string' ? x : x.threshold) === key)) list.push(t);
}

/** Rounds a fraction for a threshold expression without float noise (`0.995`, not `0.9950000001`). */
const frac = (x: number) => String(Math.round(x * 1e6) / 1e6);

/**
 * k6 thresholds of a test: its `thresholds` when given, else derived from its criteria; plus the
 * stop rule as aborting thresholds. Count thresholds are per runner (each runner of a distributed
 * test evaluates its own share), so they are divided by `parallelism`.
 */
export function k6Thresholds(
  test: TestDefinition,
  options: K6SizingOptions = {},
): Record<string, K6Threshold[]> {
  const out: Record<string, K6Threshold[]> = {};
  const parallelism = options.parallelism ?? 1;
  if (test.thresholds) {
    for (const [metric, list] of Object.entries(test.thresholds)) for (const t of list) add(out, metric, t);
  } else {
    const planned = plannedArrivals(test) / parallelism;
    for (const c of test.criteria) {
      switch (c.kind) {
        // k6 sees the prepare only: a share of refused prepares or slow acknowledgements above the
        // criterion already fails it; the analyzer judges the outcomes from the simulator's records.
        case 'success-rate':
          add(out, K6_METRICS.accepted, `rate>=${frac(c.min)}`);
          break;
        case 'error-rate':
          add(out, K6_METRICS.accepted, `rate>=${frac(1 - c.max)}`);
          break;
        case 'latency':
          add(out, K6_METRICS.ack, `p(${c.percentile})<${c.maxMs}`);
          break;
        case 'achieved-rate':
          add(out, 'dropped_iterations', `count<=${Math.floor(planned * (1 - c.minRatio))}`);
          break;
        case 'transfers':
          add(out, 'iterations', `count>=${Math.ceil(c.min / parallelism)}`);
          break;
        default:
          // cpu, memory, service failures and leaks are judged from Prometheus by the analyzer.
          break;
      }
    }
  }
  const stop = test.stopRule;
  if (stop) {
    const delayAbortEval = stop.window ?? '10s';
    if (stop.maxErrorRate !== undefined)
      add(out, K6_METRICS.accepted, {
        threshold: `rate>=${frac(1 - stop.maxErrorRate)}`,
        abortOnFail: true,
        delayAbortEval,
      });
    if (stop.maxP95Ms !== undefined)
      add(out, K6_METRICS.ack, { threshold: `p(95)<${stop.maxP95Ms}`, abortOnFail: true, delayAbortEval });
  }
  return out;
}

/** Peak planned rate of a test (stages and recovery), TPS. */
export function peakRate(test: TestDefinition): number {
  const rates = timeStages(test.stages).flatMap((t) => [t.fromRate, t.toRate].filter(Number.isFinite));
  if (test.recovery) rates.push(test.recovery.rate);
  return Math.max(0, ...rates);
}
