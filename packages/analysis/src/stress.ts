import type { MetricBand, StressAnalysis, TimeseriesRecord } from '@mlperf/core';
import { bandOf } from './bands.js';
import { firstTimeAbove, type Series, subjectOf } from './metrics.js';
import type { RunData } from './model.js';
import { aggregate, bins } from './series.js';
import type { Signals } from './signals.js';
import { detectKnee } from './stats/knee.js';
import { fitUsl, uslNote } from './stats/usl.js';

type Signal = StressAnalysis['signals'][number];

export interface StressOptions {
  maxErrorRate?: number;
  maxP95Ms?: number;
  bands?: readonly MetricBand[];
}

interface CurveBin {
  t: number;
  offered: number;
  achieved: number;
  p95Ms?: number;
  errorRate?: number;
}

/** Splits the run at its peak: the ramp up to the highest prescribed rate, and what follows once the rate drops (recovery). */
export function splitAtPeak(records: readonly TimeseriesRecord[]): {
  ramp: TimeseriesRecord[];
  after: TimeseriesRecord[];
  peak: number;
} {
  let peak = 0;
  let peakIdx = -1;
  records.forEach((r, i) => {
    if (r.offeredRate >= peak) {
      peak = r.offeredRate;
      peakIdx = i;
    }
  });
  const dropIdx = records.findIndex((r, i) => i > peakIdx && r.offeredRate <= 0.5 * peak);
  if (dropIdx < 0) return { ramp: [...records], after: [], peak };
  return { ramp: records.slice(0, dropIdx), after: records.slice(dropIdx), peak };
}

function curveOf(ramp: readonly TimeseriesRecord[]): CurveBin[] {
  // about 40 points on the curve: 2 s bins for a quick-profile ramp, 45 s bins for the Phase-07 plan's 30 min
  const binS = Math.max(2, Math.round(ramp.length / 40));
  return bins(ramp, binS)
    .filter((b) => b.length >= Math.min(binS, 3))
    .map((b) => {
      const a = aggregate(b);
      const bin: CurveBin = {
        t: (b[0] as TimeseriesRecord).t,
        offered: a.offeredTps,
        achieved: a.achievedTps,
      };
      if (a.latency) bin.p95Ms = a.latency.p95;
      if (a.errorRate !== undefined) bin.errorRate = a.errorRate;
      return bin;
    });
}

function firstSustained(curve: readonly CurveBin[], pred: (b: CurveBin) => boolean): CurveBin | undefined {
  for (let i = 0; i + 1 < curve.length; i++)
    if (pred(curve[i] as CurveBin) && pred(curve[i + 1] as CurveBin)) return curve[i];
  return undefined;
}

const COMPONENT_THRESHOLDS: { key: keyof Signals; threshold: number; what: string }[] = [
  { key: 'dbConnections', threshold: 0.95, what: 'DB connections at >= 95% of max' },
  { key: 'dbPoolWait', threshold: 0.05, what: 'DB pool wait >= 50 ms' },
  { key: 'cpuThrottling', threshold: 0.25, what: 'CPU throttled periods >= 25%' },
  { key: 'cpuUsage', threshold: 0.9, what: 'CPU >= 90% of its limit' },
  { key: 'memoryRatio', threshold: 0.9, what: 'memory >= 90% of its limit' },
  { key: 'eventLoopLag', threshold: 0.1, what: 'event-loop lag >= 100 ms' },
  { key: 'kafkaLag', threshold: 1000, what: 'Kafka consumer lag >= 1000 messages' },
];

function firstComponent(
  signals: Signals,
  records: readonly TimeseriesRecord[],
  breakAt: number | undefined,
): StressAnalysis['firstComponentToFail'] {
  const hits: { subject: string; metric: string; at: number; what: string }[] = [];
  for (const c of COMPONENT_THRESHOLDS) {
    for (const s of signals[c.key] as Series[]) {
      const at = firstTimeAbove(s.points, c.threshold);
      if (at !== undefined)
        hits.push({
          subject:
            c.key === 'kafkaLag'
              ? `kafka:${s.labels.topic ?? 'all'}`
              : c.key.startsWith('db')
                ? 'mysql'
                : subjectOf(s.labels),
          metric: s.exportName,
          at,
          what: c.what,
        });
    }
  }
  for (const s of signals.serviceUp) {
    const down = s.points.find((p) => p[1] < 1);
    if (down)
      hits.push({
        subject: subjectOf(s.labels),
        metric: s.exportName,
        at: down[0],
        what: 'service down (up = 0)',
      });
  }
  const eng = records.find((r) => r.engine && (r.engine.cpu >= 0.9 || r.engine.schedulingLagP99Ms >= 100));
  if (eng)
    hits.push({
      subject: 'load-generator',
      metric: 'timeseries.engine',
      at: eng.t,
      what: 'generator CPU >= 90% or scheduling lag >= 100 ms',
    });
  const eligible = breakAt === undefined ? hits : hits.filter((h) => h.at <= breakAt + 30_000);
  const first = (eligible.length ? eligible : hits).sort((a, b) => a.at - b.at)[0];
  if (!first) return undefined;
  const rec = records.find((r) => r.t >= first.at);
  const rel =
    breakAt === undefined
      ? ''
      : first.at <= breakAt
        ? `, ${Math.round((breakAt - first.at) / 1000)} s before the break`
        : `, ${Math.round((first.at - breakAt) / 1000)} s after the break`;
  return {
    subject: first.subject,
    metric: first.metric,
    at: first.at,
    detail: `${first.what} at offered ${rec ? Math.round(rec.offeredRate) : '?'} TPS${rel}`,
  };
}

/**
 * Recovery after the load drops: seconds until a window of consecutive seconds is back in band
 * (success and p95 not in warning). The window is 10 s, or half the recovery phase when that is
 * shorter (a quick-profile recovery lasts 5 s), but at least 3 s.
 */
export function recoveryOf(
  after: readonly TimeseriesRecord[],
  bands?: readonly MetricBand[],
): StressAnalysis['recovery'] {
  if (after.length === 0) return undefined;
  const win = Math.min(10, Math.max(3, Math.floor(after.length / 2)));
  const okSuccess = bandOf('success-rate', bands).warning;
  const okP95 = bandOf('p95-latency', bands).warning;
  const t0 = (after[0] as TimeseriesRecord).t;
  for (let i = 0; i + win <= after.length; i++) {
    const a = aggregate(after.slice(i, i + win));
    if (a.successRate !== undefined && a.successRate >= okSuccess && (a.latency?.p95 ?? 0) <= okP95) {
      const seconds = Math.round(((after[i] as TimeseriesRecord).t - t0) / 1000);
      return {
        recovered: true,
        seconds,
        detail: `success >= ${okSuccess * 100}% and p95 <= ${okP95} ms again ${seconds} s after the load dropped`,
      };
    }
  }
  const a = aggregate(after);
  return {
    recovered: false,
    detail: `not back in band within ${after.length} s after the load dropped (success ${a.successRate === undefined ? 'n/a' : `${Math.round(a.successRate * 10000) / 100}%`}, p95 ${a.latency ? Math.round(a.latency.p95) : 'n/a'} ms)`,
  };
}

export function analyzeStress(data: RunData, signals: Signals, opts: StressOptions = {}): StressAnalysis {
  const records = data.timeseries;
  const { ramp, after } = splitAtPeak(records);
  const curve = curveOf(ramp);
  const maxErr =
    opts.maxErrorRate ?? data.test?.stopRule?.maxErrorRate ?? bandOf('error-rate', opts.bands).critical;
  const maxP95 = opts.maxP95Ms ?? data.test?.stopRule?.maxP95Ms ?? bandOf('p95-latency', opts.bands).critical;
  const signalsOut: Signal[] = [];
  const knee = detectKnee(
    curve.map((c) => c.offered),
    curve.map((c) => c.achieved),
  );
  if (knee) {
    const at = curve.find((c) => c.offered >= knee.x) ?? (curve[knee.index] as CurveBin);
    signalsOut.push({
      kind: 'knee',
      offeredTps: Math.round(knee.x),
      achievedTps: Math.round(at.achieved),
      at: at.t,
    });
  }
  const err = firstSustained(curve, (c) => (c.errorRate ?? 0) > maxErr);
  if (err)
    signalsOut.push({
      kind: 'error-rate',
      offeredTps: Math.round(err.offered),
      achievedTps: Math.round(err.achieved),
      at: err.t,
    });
  const p95 = firstSustained(curve, (c) => (c.p95Ms ?? 0) > maxP95);
  if (p95)
    signalsOut.push({
      kind: 'p95',
      offeredTps: Math.round(p95.offered),
      achievedTps: Math.round(p95.achieved),
      at: p95.t,
    });
  if (data.stopped) {
    // the engine's own stop rule saw the hub break: achieved stopped following offered (or errors / p95)
    const at = data.startMs + data.stopped.atS * 1000;
    const window = records.filter((r) => r.t + 1000 <= at && r.t >= at - 5000);
    const achieved = window.length ? aggregate(window).achievedTps : undefined;
    signalsOut.push({
      kind: 'stop-rule',
      offeredTps: Math.round(data.stopped.rate),
      ...(achieved !== undefined ? { achievedTps: Math.round(achieved) } : {}),
      at,
      detail: data.stopped.reason,
    });
  }
  signalsOut.sort((a, b) => a.at - b.at || a.offeredTps - b.offeredTps);
  const first = signalsOut[0];
  const errorTypes = aggregate(records, () => undefined).errorsByType;
  const out: StressAnalysis = {
    signals: signalsOut,
    errorTypes,
    curve: curve.map((c) => ({
      offered: c.offered,
      achieved: c.achieved,
      ...(c.p95Ms !== undefined ? { p95Ms: c.p95Ms } : {}),
      ...(c.errorRate !== undefined ? { errorRate: c.errorRate } : {}),
    })),
  };
  if (first) {
    out.breakingPointTps = first.offeredTps;
    out.firstSignal = first.kind;
  }
  const comp = firstComponent(signals, records, first?.at);
  if (comp) out.firstComponentToFail = comp;
  const rec = recoveryOf(after, opts.bands);
  if (rec) out.recovery = rec;
  const usl = fitUsl(curve.filter((c) => c.offered > 0));
  if (usl) out.usl = { ...usl, note: uslNote(usl, out.breakingPointTps) };
  return out;
}
