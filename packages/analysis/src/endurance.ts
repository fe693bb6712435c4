import type { EnduranceAnalysis, TimeseriesRecord, TimeWindow, TrendResult } from '@mlperf/core';
import { type Draft, draft, round } from './bottlenecks/fixes.js';
import { FIXES } from './bottlenecks/index.js';
import { type Series, subjectOf } from './metrics.js';
import type { RunData } from './model.js';
import { aggregate, bins, failedCount } from './series.js';
import type { Signals } from './signals.js';
import { downsample, median } from './stats/basic.js';
import { mannWhitney } from './stats/tests.js';
import { mannKendall, theilSen } from './stats/trend.js';

const HOUR_MS = 3_600_000;

/** Theil-Sen slope per hour with an autocorrelation-adjusted Mann-Kendall p-value. */
export function trendOf(
  subject: string,
  metric: string,
  unit: string,
  points: readonly [number, number][],
  minSlopePerHour = 0,
  alpha = 0.01,
): TrendResult | undefined {
  if (points.length < 8) return undefined;
  const ds = downsample(points, 400);
  const t0 = (ds[0] as [number, number])[0];
  const xs = ds.map((p) => (p[0] - t0) / HOUR_MS);
  const ys = ds.map((p) => p[1]);
  const ts = theilSen(xs, ys);
  const mk = mannKendall(xs, ys, alpha);
  return {
    subject,
    metric,
    slopePerHour: ts.slope,
    unit,
    pValue: mk.pValue,
    significant: mk.trend !== 'none' && Math.abs(ts.slope) > minSlopePerHour,
    intercept: ts.intercept,
    points: downsample(points, 120).map(([t, v]) => [Math.round(t), v]),
  };
}

/** Below this steady window (minutes) a memory rise fails the leak criterion only when it is large. */
export const LEAK_WINDOW_MIN = 10;
/** Growth within the window, as a share of the level, that is a leak however short the window. */
export const CLEAR_GROWTH = 0.25;

/**
 * In a short window a significant rise may be a warm-up or a backlog of a starved hub (queued work
 * holds memory), not a leak: returns the largest such rise when none of the leaks is clear.
 */
export function shortWindowGrowth(
  leaks: readonly TrendResult[],
  steady: TimeWindow | undefined,
): { subject: string; share: number; minutes: number } | undefined {
  if (leaks.length === 0) return undefined;
  const spanMs = (t: TrendResult) =>
    steady ? steady.end - steady.start : (t.points?.at(-1)?.[0] ?? 0) - (t.points?.[0]?.[0] ?? 0);
  const grown = leaks.map((t) => {
    const level = t.points?.[0]?.[1] ?? t.intercept ?? 0;
    const share = level > 0 ? (t.slopePerHour * spanMs(t)) / 3_600_000 / level : Number.POSITIVE_INFINITY;
    return { subject: t.subject, share, minutes: Math.round((spanMs(t) / 60_000) * 10) / 10 };
  });
  const first = grown[0] as (typeof grown)[number];
  if (first.minutes >= LEAK_WINDOW_MIN || grown.some((g) => g.share >= CLEAR_GROWTH)) return undefined;
  return grown.reduce((a, b) => (b.share > a.share ? b : a), first);
}

/** Memory trend per service; a leak is a significant rise faster than `maxSlope` (default 1% of the level per hour). */
export function memoryTrends(signals: Signals, maxSlopeBytesPerHour?: number): TrendResult[] {
  const useBytes = signals.memoryBytes.length > 0;
  const series = useBytes ? signals.memoryBytes : signals.memoryRatio;
  const out: TrendResult[] = [];
  for (const s of series) {
    const level = median(s.points.map((p) => p[1]));
    const first = s.points[0]?.[0] ?? 0;
    const hours = ((s.points[s.points.length - 1]?.[0] ?? first) - first) / HOUR_MS;
    // A leak must matter: >= 1% of the level per hour, and >= 1% growth over the window itself.
    const material = Math.max(0.01 * Math.abs(level), (0.01 * Math.abs(level)) / Math.max(hours, 1e-9));
    const floor = maxSlopeBytesPerHour !== undefined && useBytes ? maxSlopeBytesPerHour : material;
    const t = trendOf(subjectOf(s.labels), s.exportName, useBytes ? 'bytes' : 'ratio', s.points, floor);
    if (t) out.push(t);
  }
  return out;
}

function lastValue(s: Series | undefined): number | undefined {
  return s?.points[s.points.length - 1]?.[1];
}

export interface EnduranceOutput {
  endurance: EnduranceAnalysis;
  findings: Draft[];
}

export function analyzeEndurance(
  data: RunData,
  steady: TimeWindow,
  signals: Signals,
  records: readonly TimeseriesRecord[],
  maxSlopeBytesPerHour?: number,
  trends?: TrendResult[],
): EnduranceOutput {
  const findings: Draft[] = [];
  const memory = trends ?? memoryTrends(signals, maxSlopeBytesPerHour);
  const exhaustion: EnduranceAnalysis['exhaustion'] = [];
  const testHours = (steady.end - steady.start) / HOUR_MS;

  for (const m of memory) {
    if (!(m.significant && m.slopePerHour > 0)) continue;
    // the criterion's rule: a small rise in a short window is not called a leak
    if (shortWindowGrowth([m], steady)) continue;
    const bytes = signals.memoryBytes.find((s) => subjectOf(s.labels) === m.subject);
    const ratio = signals.memoryRatio.find((s) => subjectOf(s.labels) === m.subject);
    // The limit from its own export, else derived from working set / (working set / limit).
    const lastBytes = lastValue(bytes);
    const lastRatio = lastValue(ratio);
    const limit =
      lastValue(
        signals.memoryLimit.find((s) => subjectOf(s.labels) === m.subject) ??
          (signals.memoryLimit.length === 1 ? signals.memoryLimit[0] : undefined),
      ) ??
      (lastBytes !== undefined && lastRatio !== undefined && lastRatio > 0
        ? lastBytes / lastRatio
        : undefined);
    let hours: number | null = null;
    let detail: string;
    if (m.unit === 'bytes' && limit !== undefined && limit > 0) {
      const cur = lastValue(bytes) ?? 0;
      hours = Math.max(0, (limit - cur) / m.slopePerHour);
      detail = `${mib(cur)} of ${mib(limit)} used, growing ${mib(m.slopePerHour)}/h`;
    } else if (m.unit === 'ratio') {
      const cur = lastValue(ratio) ?? 0;
      hours = Math.max(0, (1 - cur) / m.slopePerHour);
      detail = `${Math.round(cur * 100)}% of the limit used, growing ${round(m.slopePerHour * 100, 2)} points/h`;
    } else {
      detail = `growing ${mib(m.slopePerHour)}/h; no memory limit exported, so no projection`;
    }
    exhaustion.push({
      subject: m.subject,
      resource: 'memory',
      hoursRemaining: hours === null ? null : round(hours, 2),
      detail,
    });
    findings.push(
      draft('memory-leak', undefined, {
        subject: m.subject,
        title: `Memory leak in ${m.subject}`,
        severity: hours !== null && hours < Math.max(24, testHours) ? 'critical' : 'warning',
        confidence: round(Math.min(0.97, 1 - m.pValue), 2),
        summary: `Memory grows ${m.unit === 'bytes' ? `${mib(m.slopePerHour)}/h` : `${round(m.slopePerHour * 100, 2)} points/h`} (Theil-Sen; Mann-Kendall p = ${m.pValue.toExponential(1)}, autocorrelation-adjusted)${hours !== null ? `; the limit is reached in ${round(hours, 1)} h` : ''}.`,
        evidence: [
          {
            metric: m.metric,
            window: steady,
            labels: { subject: m.subject },
            values: [
              { label: 'slope', value: round(m.slopePerHour, 2), unit: `${m.unit}/h` },
              { label: 'p-value', value: m.pValue },
            ],
          },
        ],
        fix: FIXES.memory,
      }),
    );
  }

  const endurance: EnduranceAnalysis = { memory, exhaustion };
  const drift = latencyDrift(records);
  if (drift) {
    endurance.latencyDrift = drift;
    if (drift.significant) {
      findings.push(
        draft('latency-drift', undefined, {
          subject: 'transfers',
          title: `Latency drifted up ${Math.round((drift.changeRatio - 1) * 100)}%`,
          severity: drift.lastP95Ms > 300 ? 'critical' : 'warning',
          confidence: round(Math.min(0.95, 1 - drift.pValue), 2),
          summary: `p95 went from ${round(drift.firstP95Ms, 1)} ms in the first steady window to ${round(drift.lastP95Ms, 1)} ms in the last (Mann-Whitney on 10-s p95s, p = ${drift.pValue.toExponential(1)}).`,
          evidence: [
            {
              metric: 'timeseries.latency.e2e',
              window: steady,
              values: [
                { label: 'first p95', value: round(drift.firstP95Ms, 2), unit: 'ms' },
                { label: 'last p95', value: round(drift.lastP95Ms, 2), unit: 'ms' },
              ],
            },
          ],
        }),
      );
    }
  }
  const binS = records.length >= 1200 ? 60 : 10;
  const errPoints: [number, number][] = bins(records, binS).flatMap((b) => {
    const s = b.reduce((a, r) => a + r.succeeded, 0);
    const f = b.reduce((a, r) => a + failedCount(r.failed), 0);
    return s + f > 0 ? [[(b[0] as TimeseriesRecord).t, f / (s + f)] as [number, number]] : [];
  });
  const errTrend = trendOf('transfers', 'error-rate', 'ratio', errPoints, 0.001);
  if (errTrend) {
    endurance.errorRateTrend = errTrend;
    if (errTrend.significant && errTrend.slopePerHour > 0) {
      findings.push(
        draft('error-rate-increase', undefined, {
          subject: 'transfers',
          title: 'Error rate increased over the run',
          severity: 'warning',
          confidence: round(Math.min(0.95, 1 - errTrend.pValue), 2),
          summary: `The error rate rises ${round(errTrend.slopePerHour * 100, 3)} points per hour (Mann-Kendall p = ${errTrend.pValue.toExponential(1)}).`,
          evidence: [
            {
              metric: 'timeseries.failed',
              window: steady,
              values: [{ label: 'slope', value: errTrend.slopePerHour, unit: 'ratio/h' }],
            },
          ],
        }),
      );
    }
  }
  for (const e of liquidity(data, records)) {
    exhaustion.push(e);
    if (e.hoursRemaining !== null && e.hoursRemaining < Math.max(8, 2 * testHours)) {
      findings.push(
        draft('resource-exhaustion', undefined, {
          subject: e.subject,
          title: `${e.subject} runs out of liquidity in ${round(e.hoursRemaining, 1)} h`,
          severity: e.hoursRemaining < testHours ? 'critical' : 'warning',
          confidence: 0.9,
          summary: `${e.detail}. Prepares will fail with 4001 (payer liquidity) once it is used up.`,
          evidence: [
            {
              metric: 'timeseries.corridors',
              window: steady,
              values: [{ label: 'hours remaining', value: e.hoursRemaining, unit: 'h' }],
            },
          ],
          fix: {
            action: 'Fund the payer (recordFundsIn) or reset positions between tests (./reset-test-data.sh)',
            runbookScript: './reset-test-data.sh',
            phase: 'Phase 07: Pre-test preparation',
          },
        }),
      );
    }
  }
  return { endurance, findings };
}

function mib(b: number): string {
  return `${round(b / 1024 / 1024, 1)} MiB`;
}

/** First vs last fifth of the steady window, compared on their 10-second p95s. */
export function latencyDrift(
  records: readonly TimeseriesRecord[],
): EnduranceAnalysis['latencyDrift'] | undefined {
  const n = records.length;
  const part = Math.max(30, Math.floor(n / 5));
  if (n < 2 * part) return undefined;
  const first = records.slice(0, part);
  const last = records.slice(n - part);
  const p95s = (rs: readonly TimeseriesRecord[]) =>
    bins(rs, 10).flatMap((b) => aggregate(b).latency?.p95 ?? []);
  const a = p95s(first);
  const b = p95s(last);
  const fa = aggregate(first).latency?.p95;
  const fb = aggregate(last).latency?.p95;
  if (a.length < 3 || b.length < 3 || fa === undefined || fb === undefined || fa <= 0) return undefined;
  const test = mannWhitney(a, b);
  const changeRatio = fb / fa;
  return {
    firstP95Ms: fa,
    lastP95Ms: fb,
    changeRatio,
    pValue: test.pValue,
    significant: test.pValue < 0.01 && changeRatio > 1.1,
  };
}

/** Hours until each payer DFSP's liquidity (or net debit cap) is used up at the observed rate. */
export function liquidity(
  data: RunData,
  records: readonly TimeseriesRecord[],
): EnduranceAnalysis['exhaustion'] {
  const amount = Number(data.transfer?.amount);
  if (!(amount > 0) || records.length === 0) return [];
  const out: EnduranceAnalysis['exhaustion'] = [];
  const payers = new Set(data.corridors.map((c) => c.payer));
  for (const dfsp of data.dfsps.filter((d) => payers.has(d.id))) {
    const names = data.corridors
      .filter((c) => c.payer === dfsp.id)
      .map((c) => c.name ?? `${c.payer}->${c.payee}`);
    const rate =
      records.reduce((a, r) => a + names.reduce((x, n) => x + (r.corridors[n]?.succeeded ?? 0), 0), 0) /
      records.length;
    const used =
      data.timeseries.reduce(
        (a, r) => a + names.reduce((x, n) => x + (r.corridors[n]?.succeeded ?? 0), 0),
        0,
      ) * amount;
    const cap = dfsp.netDebitCap > 0 ? Math.min(dfsp.liquidity, dfsp.netDebitCap) : dfsp.liquidity;
    const left = cap - dfsp.initialPosition - used;
    const perHour = rate * amount * 3600;
    const hours = perHour > 0 ? Math.max(0, left / perHour) : null;
    out.push({
      subject: dfsp.id,
      resource: 'liquidity',
      hoursRemaining: hours === null ? null : round(hours, 2),
      detail: `${dfsp.id} pays ${round(rate, 1)} transfers/s x ${amount} ${dfsp.currency} = ${round(perHour, 0)} ${dfsp.currency}/h; ${round(left, 2)} of ${cap} left after this run`,
    });
  }
  return out;
}
