import type { TimeseriesRecord, TimeWindow } from '@mlperf/core';
import { type Series, fractionAbove, subjectOf, values } from '../metrics.js';
import { restartCount, type Signals } from '../signals.js';
import { mean, median, quantile } from '../stats/basic.js';
import { mannKendall, theilSen } from '../stats/trend.js';
import { type Draft, draft, FIXES, round, seriesEvidence } from './fixes.js';

export interface RuleContext {
  window: TimeWindow;
  signals: Signals;
  plannedTps?: number;
  achievedTps?: number;
  /** Payer DFSPs of the test: position partitions beyond this number do not help. */
  payerCount: number;
  /** Timeseries seconds inside the window. */
  records: readonly TimeseriesRecord[];
}

const usable = (s: Series) => s.points.length >= 2;

/** Connections in use at max_connections, with requests queueing for a pool connection. */
export function dbPoolRule(ctx: RuleContext): Draft[] {
  const conns = ctx.signals.dbConnections.filter(usable);
  const waits = ctx.signals.dbPoolWait.filter(usable);
  const sat = conns
    .map((s) => ({ s, frac: fractionAbove(s.points, 0.95) }))
    .sort((a, b) => b.frac - a.frac)[0];
  const wait = waits
    .map((s) => ({ s, p50: median(values(s.points)), p95: quantile(values(s.points), 0.95) }))
    .sort((a, b) => b.p95 - a.p95)[0];
  const pending = ctx.signals.dbPoolPending.filter(usable).map((s) => median(values(s.points)));
  const saturated = sat !== undefined && sat.frac >= 0.3;
  const queued = pending.some((p) => p >= 1);
  const waiting = (wait !== undefined && (wait.p50 > 0.005 || wait.p95 > 0.05)) || queued;
  // Every connection busy with nobody waiting is a well-sized pool; with queue data, require a queue.
  const hasQueueData = wait !== undefined || pending.length > 0;
  const fires = hasQueueData
    ? waiting && (saturated || (sat?.frac ?? 0) >= 0.1 || conns.length === 0)
    : saturated;
  if (!fires) return [];
  const evidence = [];
  if (sat) evidence.push(seriesEvidence(sat.s, ctx.window, 'ratio'));
  if (wait) evidence.push(seriesEvidence(wait.s, ctx.window, 'ms', 1000));
  const parts = [];
  if (sat) parts.push(`connections at >= 95% of max for ${Math.round(sat.frac * 100)}% of the window`);
  if (wait) parts.push(`pool wait p95 ${round(wait.p95 * 1000, 1)} ms`);
  if (queued) parts.push(`${Math.round(Math.max(...pending))} queries queued for a connection (median)`);
  return [
    draft('db-pool-exhausted', undefined, {
      subject: 'mysql',
      title: 'Database connection pool exhausted',
      severity: saturated && waiting ? 'critical' : 'warning',
      confidence: round(Math.min(0.97, 0.55 + (saturated ? 0.25 : 0) + (waiting ? 0.15 : 0)), 2),
      summary: `Transfers queue for a database connection: ${parts.join('; ')}.`,
      evidence,
      fix: FIXES.db,
    }),
  ];
}

/** The second half of the window stays above the first half's median: growth held, not one burst. */
function sustained(ys: readonly number[]): boolean {
  const half = Math.floor(ys.length / 2);
  const base = median(ys.slice(0, half));
  const later = ys.slice(half);
  return later.length > 0 && later.filter((y) => y > base).length >= 0.8 * later.length;
}

/**
 * Consumer lag that grows over the window (Theil-Sen slope, Mann-Kendall significant), per topic,
 * sustained (held through the window, not one burst after a pause) and large against the topic's
 * message rate (about the planned TPS): growth >= 1% of it, and >= half a second of it behind.
 */
export function kafkaLagRule(ctx: RuleContext): Draft[] {
  const rate = ctx.plannedTps ?? 0;
  const minSlope = Math.max(1, 0.01 * rate);
  const minLag = Math.max(100, 0.5 * rate);
  const byTopic = new Map<string, { s: Series; slope: number; last: number; partitions: Set<string> }>();
  for (const s of ctx.signals.kafkaLag.filter((x) => x.points.length >= 4)) {
    const xs = s.points.map((p) => p[0] / 1000);
    const ys = values(s.points);
    const { slope } = theilSen(xs, ys);
    // Mann-Kendall needs ~10 points to reach p < 0.01; a shorter window must rise almost monotonically.
    const rising =
      ys.length >= 10
        ? mannKendall(xs, ys).trend === 'increasing'
        : ys.slice(1).filter((y, i) => y >= (ys[i] as number)).length >= 0.8 * (ys.length - 1);
    const last = ys[ys.length - 1] as number;
    const topic = s.labels.topic ?? s.labels.consumergroup ?? 'all';
    const entry = byTopic.get(topic) ?? {
      s,
      slope: Number.NEGATIVE_INFINITY,
      last: 0,
      partitions: new Set<string>(),
    };
    if (s.labels.partition !== undefined) entry.partitions.add(s.labels.partition);
    if (rising && sustained(ys) && slope >= minSlope && last >= minLag && slope > entry.slope)
      Object.assign(entry, { s, slope, last });
    byTopic.set(topic, entry);
  }
  // A growth export (deriv) decides only for topics without a lag series: sustained, not a blip.
  for (const s of ctx.signals.kafkaLagGrowth.filter((x) => x.points.length >= 4)) {
    const topic = s.labels.topic ?? s.labels.consumergroup ?? 'all';
    if ((byTopic.get(topic)?.slope ?? 0) > 1) continue;
    const ys = values(s.points);
    const growth = median(ys);
    const positive = ys.filter((y) => y > 0).length / ys.length;
    if (growth >= minSlope && positive >= 0.8) {
      const known = byTopic.get(topic);
      byTopic.set(topic, {
        s,
        slope: growth,
        last: known?.last ?? 0,
        partitions: known?.partitions ?? new Set<string>(),
      });
    }
  }
  const out: Draft[] = [];
  for (const [topic, e] of byTopic) {
    if (!(e.slope > 1)) continue;
    const behindS = ctx.plannedTps ? e.last / ctx.plannedTps : undefined;
    const isPosition = /position/.test(topic);
    const manyPartitions = isPosition && e.partitions.size >= ctx.payerCount && ctx.payerCount > 0;
    const note = isPosition
      ? ` Position messages are keyed by payer DFSP, so more than ${ctx.payerCount} position partitions (one per payer) do not help${manyPartitions ? ` (it already has ${e.partitions.size})` : ''}; scale the position handler's consumers and CPU up to that.`
      : '';
    const ev = seriesEvidence(e.s, ctx.window, 'messages');
    ev.values.push({ label: 'growth', value: round(e.slope, 2), unit: 'messages/s' });
    out.push(
      draft('kafka-lag', e.s, {
        subject: `kafka:${topic}`,
        title: `Kafka consumer lag growing on ${topic}`,
        severity: behindS !== undefined && behindS > 10 ? 'critical' : 'warning',
        confidence: round(Math.min(0.95, 0.7 + (behindS !== undefined && behindS > 5 ? 0.2 : 0)), 2),
        summary: `Lag on ${topic} grows by ${round(e.slope, 1)} messages/s${e.last ? ` to ${Math.round(e.last)}` : ''}${behindS !== undefined && e.last ? ` (${round(behindS, 1)} s of traffic behind)` : ''}: its consumers cannot keep up.${note}`,
        evidence: [ev],
        fix: manyPartitions
          ? {
              ...FIXES.kafka,
              action:
                'Scale the position handler (consumers, CPU); partitions beyond the payer count do not help',
            }
          : FIXES.kafka,
      }),
    );
  }
  return out;
}

/** Throttled CFS periods above 25% (kubernetes-mixin CPUThrottlingHigh). */
export function cpuThrottlingRule(ctx: RuleContext): Draft[] {
  return ctx.signals.cpuThrottling.filter(usable).flatMap((s) => {
    const m = mean(values(s.points));
    if (!(m > 0.25)) return [];
    return [
      draft('cpu-throttling', s, {
        title: `CPU throttling on ${subjectOf(s.labels)}`,
        severity: m > 0.5 ? 'critical' : 'warning',
        confidence: round(Math.min(0.95, 0.6 + 0.4 * Math.min(1, (m - 0.25) / 0.5)), 2),
        summary: `${Math.round(m * 100)}% of CFS periods throttled (alert threshold 25%): the CPU limit caps ${subjectOf(s.labels)}.`,
        evidence: [seriesEvidence(s, ctx.window, 'ratio')],
        fix: FIXES.replicas,
      }),
    ];
  });
}

export function cpuSaturationRule(ctx: RuleContext): Draft[] {
  const throttled = new Set(
    ctx.signals.cpuThrottling.filter((s) => mean(values(s.points)) > 0.25).map((s) => subjectOf(s.labels)),
  );
  return ctx.signals.cpuUsage.filter(usable).flatMap((s) => {
    const m = mean(values(s.points));
    if (!(m >= 0.9) || throttled.has(subjectOf(s.labels))) return [];
    return [
      draft('other', s, {
        title: `CPU saturated on ${subjectOf(s.labels)}`,
        severity: 'critical',
        confidence: 0.6,
        summary: `CPU use averages ${Math.round(m * 100)}% of the limit (critical band > 90%).`,
        evidence: [seriesEvidence(s, ctx.window, 'ratio')],
        fix: FIXES.replicas,
      }),
    ];
  });
}

export function memoryNearLimitRule(ctx: RuleContext): Draft[] {
  return ctx.signals.memoryRatio.filter(usable).flatMap((s) => {
    const p95 = quantile(values(s.points), 0.95);
    if (!(p95 >= 0.8)) return [];
    return [
      draft('memory-near-limit', s, {
        title: `Memory near its limit on ${subjectOf(s.labels)}`,
        severity: p95 >= 0.9 ? 'critical' : 'warning',
        confidence: p95 >= 0.9 ? 0.85 : 0.7,
        summary: `Working set reaches ${Math.round(p95 * 100)}% of the memory limit (p95): the OOM killer is close.`,
        evidence: [seriesEvidence(s, ctx.window, 'ratio')],
        fix: FIXES.memory,
      }),
    ];
  });
}

export function eventLoopRule(ctx: RuleContext): Draft[] {
  const cpuBound = new Set(
    [...ctx.signals.cpuThrottling, ...ctx.signals.cpuUsage]
      .filter((s) => mean(values(s.points)) > 0.25)
      .map((s) => subjectOf(s.labels)),
  );
  return ctx.signals.eventLoopLag.filter(usable).flatMap((s) => {
    const typical = median(values(s.points));
    const p95 = quantile(values(s.points), 0.95);
    if (!(typical > 0.1)) return [];
    const subject = subjectOf(s.labels);
    return [
      draft('event-loop-lag', s, {
        title: `Event-loop lag on ${subject}`,
        severity: typical > 0.5 ? 'critical' : 'warning',
        confidence: cpuBound.has(subject) ? 0.35 : 0.55,
        summary: `Node.js event-loop lag p99 stays above 100 ms (median ${Math.round(typical * 1000)} ms, p95 ${Math.round(p95 * 1000)} ms over the window): the service cannot pick up work on time.`,
        evidence: [seriesEvidence(s, ctx.window, 'ms', 1000)],
        fix: FIXES.replicas,
      }),
    ];
  });
}

export function serviceFailureRule(ctx: RuleContext): Draft[] {
  const out: Draft[] = [];
  for (const s of ctx.signals.serviceUp.filter(usable)) {
    const down = s.points.filter((p) => p[1] < 1).length;
    if (down === 0) continue;
    out.push(
      draft('other', s, {
        title: `${subjectOf(s.labels)} was down`,
        severity: 'critical',
        confidence: 0.9,
        summary: `${subjectOf(s.labels)} failed its scrape (up = 0) in ${down} of ${s.points.length} samples.`,
        evidence: [seriesEvidence(s, ctx.window, 'up')],
        fix: FIXES.errors,
      }),
    );
  }
  for (const s of ctx.signals.restarts.filter(usable)) {
    const n = restartCount(s);
    if (n <= 0) continue;
    out.push(
      draft('other', s, {
        title: `${subjectOf(s.labels)} restarted ${n} time${n === 1 ? '' : 's'}`,
        severity: 'critical',
        confidence: 0.8,
        summary: `The container restarted during the test (OOM kill or failed probe).`,
        evidence: [seriesEvidence(s, ctx.window, 'restarts')],
        fix: FIXES.errors,
      }),
    );
  }
  return out;
}
