import type { MetricsExport, TimeseriesRecord } from '@mlperf/core';
import { findExports, seriesOf } from '../metrics.js';
import { median } from '../stats/basic.js';
import { type Draft, draft, round } from './fixes.js';

/** Seconds at the start of a run that may be cold (consumers joining, pools and caches filling). */
const EARLY_S = 10;
/** The early latency must be at least this many times the settled latency. */
const LATENCY_FACTOR = 2;
/** A service started less than this long before the run is "recently started". */
const RECENT_S = 600;

const FIX = {
  action:
    'Warm the hub up before measuring (a warm-up stage at a low rate, or the Phase-07 plan 30-minute uptime check) and re-run; judge only the steady state',
  phase: 'Phase 07: Performance testing',
} as const;

interface Second {
  t: number;
  p50: number;
  done: number;
}

function seconds(records: readonly TimeseriesRecord[]): Second[] {
  return records
    .filter((r) => r.offered > 0 || r.started > 0)
    .map((r) => ({
      t: r.t,
      p50: r.latency.e2e?.p50 ?? Number.NaN,
      done: r.succeeded + Object.values(r.failed).reduce((a, b) => a + b, 0),
    }));
}

/** Uptime (s) of the youngest target service at `t`: from process_start_time_seconds exports. */
function youngestUptimeAt(metrics: Record<string, MetricsExport>, t: number): number | undefined {
  const exps = findExports(metrics, { names: ['process_start_time'], raw: ['process_start_time_seconds'] });
  let youngest: number | undefined;
  for (const e of exps) {
    for (const s of seriesOf(e)) {
      if (/^(mlperf-engine|mlperf|k6)/.test(s.labels.job ?? '')) continue;
      const start = s.points[0]?.[1];
      if (start === undefined || !Number.isFinite(start)) continue;
      const up = t / 1000 - start;
      if (up >= 0 && (youngest === undefined || up < youngest)) youngest = up;
    }
  }
  return youngest;
}

/**
 * A cold hub: latency high in the first seconds and falling as the run settles, with fewer
 * transfers finishing per second than later, and (where exported) services started just before
 * the run. Named instead of a plateau: the shortfall is the warm-up, not a capacity limit.
 */
export function coldStartRule(
  records: readonly TimeseriesRecord[],
  metrics: Record<string, MetricsExport>,
): Draft[] {
  const secs = seconds(records);
  if (secs.length < EARLY_S + 5) return [];
  const early = secs.slice(0, EARLY_S);
  const later = secs.slice(EARLY_S);
  const earlyP50 = median(early.map((s) => s.p50).filter(Number.isFinite));
  const laterP50 = median(later.map((s) => s.p50).filter(Number.isFinite));
  if (!(earlyP50 > 0 && laterP50 > 0) || earlyP50 < LATENCY_FACTOR * laterP50 || earlyP50 - laterP50 < 50)
    return [];
  // falling, not a spike in the middle of the first seconds: the first half is the slowest
  const half = Math.ceil(early.length / 2);
  const first = median(
    early
      .slice(0, half)
      .map((s) => s.p50)
      .filter(Number.isFinite),
  );
  const second = median(
    early
      .slice(half)
      .map((s) => s.p50)
      .filter(Number.isFinite),
  );
  if (!(first >= second)) return [];
  const earlyDone = median(early.map((s) => s.done));
  const laterDone = median(later.map((s) => s.done));
  const climbing = laterDone > 0 && earlyDone < 0.8 * laterDone;
  const uptime = youngestUptimeAt(metrics, records[0]?.t ?? 0);
  const recent = uptime !== undefined && uptime < RECENT_S;
  const confidence = round(Math.min(0.9, 0.45 + (climbing ? 0.15 : 0) + (recent ? 0.25 : 0)), 2);
  const since =
    uptime === undefined
      ? ''
      : ` The youngest service had been up ${Math.round(uptime)} s when the run started.`;
  return [
    draft('cold-start', undefined, {
      subject: 'hub',
      title: `Cold start: latency ${round(earlyP50 / laterP50, 1)}x higher in the first ${EARLY_S} s`,
      severity: 'warning',
      confidence,
      summary: `Median latency was ${Math.round(earlyP50)} ms over the first ${EARLY_S} s and ${Math.round(laterP50)} ms afterwards${climbing ? `, while ${round(earlyDone, 1)} transfers/s finished at first against ${round(laterDone, 1)} later` : ''}: the hub was warming up (consumers joining, connection pools and caches filling), not at a capacity limit.${since}`,
      evidence: [
        {
          metric: 'timeseries.latency.e2e.p50',
          window: { start: early[0]?.t ?? 0, end: (secs[secs.length - 1]?.t ?? 0) + 1000 },
          values: [
            { label: `p50 first ${EARLY_S} s`, value: round(earlyP50, 1), unit: 'ms' },
            { label: 'p50 afterwards', value: round(laterP50, 1), unit: 'ms' },
            { label: `finished/s first ${EARLY_S} s`, value: round(earlyDone, 2), unit: 'tps' },
            { label: 'finished/s afterwards', value: round(laterDone, 2), unit: 'tps' },
            ...(uptime !== undefined
              ? [{ label: 'youngest service uptime', value: round(uptime, 0), unit: 's' }]
              : []),
          ],
        },
      ],
      fix: FIX,
    }),
  ];
}
