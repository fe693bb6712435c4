import type { MetricsExport, TimeWindow } from '@mlperf/core';

/** One Prometheus series of an export, times in unix ms. */
export interface Series {
  exportName: string;
  query: string;
  labels: Record<string, string>;
  points: [number, number][];
}

export interface ExportMatcher {
  /** Catalogue names of the export (`db_connections_ratio`). */
  names: readonly string[];
  /** Raw metric names that may appear inside the export's PromQL (`mysql_global_status_threads_connected`). */
  raw: readonly string[];
  /** All of these must appear in the query (for ratios written inline). */
  allRaw?: readonly string[];
}

function mentions(query: string, metric: string): boolean {
  return occurs(query, metric, (head) => !/[A-Za-z0-9_:]$/.test(head)) || mojaPrefixed(query, metric);
}

/** The metric under any Mojaloop service prefix (`moja_cl_db_pool_pending` for `moja_db_pool_pending`). */
function mojaPrefixed(query: string, metric: string): boolean {
  const bare = metric.replace(/^moja_/, '');
  return occurs(query, bare, (head) => /(?:^|[^A-Za-z0-9_:])moja_(?:[a-z]+_)?$/.test(head));
}

function occurs(query: string, name: string, headOk: (head: string) => boolean): boolean {
  for (let i = query.indexOf(name); i >= 0; i = query.indexOf(name, i + 1)) {
    if (/[A-Za-z0-9_:]/.test(query[i + name.length] ?? '')) continue;
    if (headOk(query.slice(0, i))) return true;
  }
  return false;
}

/** Exports that carry a signal, matched by their catalogue name or by the metric names in their PromQL. */
export function findExports(metrics: Record<string, MetricsExport>, m: ExportMatcher): MetricsExport[] {
  return Object.values(metrics).filter((e) => {
    if (m.names.includes(e.name)) return true;
    const q = e.query ?? '';
    if (m.allRaw) return m.allRaw.every((r) => mentions(q, r));
    return m.raw.some((r) => mentions(q, r));
  });
}

/** True when an export is a quotient (catalogue `_ratio` name, or a `/` in its PromQL). */
export function isRatio(e: MetricsExport): boolean {
  return /ratio/.test(e.name) || /\)\s*\/|\w\s*\/\s*\w|\/\s*\(/.test(e.query ?? '');
}

/** True when the export's PromQL applies rate()/irate()/increase()/deriv()/histogram_quantile(): values are not raw counters. */
export function isDerived(e: MetricsExport): boolean {
  return /\b(rate|irate|increase|deriv|histogram_quantile|delta|avg_over_time|max_over_time)\s*\(/.test(
    e.query ?? '',
  );
}

export function seriesOf(e: MetricsExport, window?: TimeWindow): Series[] {
  return e.result.map((r) => {
    const points: [number, number][] = [];
    for (const [t, v] of r.values) {
      const ms = t * 1000;
      const y = Number(v);
      if (!Number.isFinite(y)) continue;
      if (window && (ms < window.start || ms >= window.end)) continue;
      points.push([ms, y]);
    }
    return { exportName: e.name, query: e.query, labels: r.metric, points };
  });
}

/** Human name of what a series describes: the container / service / job it is labelled with. */
export function subjectOf(labels: Record<string, string>): string {
  return (
    labels.container ??
    labels.service ??
    labels.app ??
    labels.deployment ??
    labels.job ??
    labels.pod ??
    labels.instance ??
    (labels.topic ? `kafka:${labels.topic}` : undefined) ??
    'all'
  );
}

/** Per-second rate of a cumulative counter (resets treated as restarts from zero). */
export function counterRate(points: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 1; i < points.length; i++) {
    const [t0, v0] = points[i - 1] as [number, number];
    const [t1, v1] = points[i] as [number, number];
    const dt = (t1 - t0) / 1000;
    if (dt <= 0) continue;
    const dv = v1 >= v0 ? v1 - v0 : v1;
    out.push([t1, dv / dt]);
  }
  return out;
}

/** Joins two series on timestamps and divides; points where the denominator is 0 are skipped. */
export function divide(
  num: readonly [number, number][],
  den: readonly [number, number][],
): [number, number][] {
  const byT = new Map(den.map(([t, v]) => [t, v]));
  const single = den.length === 1 ? (den[0] as [number, number])[1] : undefined;
  const out: [number, number][] = [];
  for (const [t, v] of num) {
    const d = byT.get(t) ?? single;
    if (d !== undefined && d > 0) out.push([t, v / d]);
  }
  return out;
}

/** Pairs numerator and denominator series by subject (or uses a lone denominator for all). */
export function ratioSeries(
  nums: readonly Series[],
  dens: readonly Series[],
  asRates: boolean,
  name: string,
): Series[] {
  const out: Series[] = [];
  for (const n of nums) {
    const subject = subjectOf(n.labels);
    const d = dens.find((x) => subjectOf(x.labels) === subject) ?? (dens.length === 1 ? dens[0] : undefined);
    if (!d) continue;
    const np = asRates ? counterRate(n.points) : n.points;
    const dp = asRates ? counterRate(d.points) : d.points;
    out.push({
      exportName: name,
      query: `${n.query} / ${d.query}`,
      labels: n.labels,
      points: divide(np, dp),
    });
  }
  return out;
}

/** Fraction of points at or above `threshold`. */
export function fractionAbove(points: readonly [number, number][], threshold: number): number {
  if (points.length === 0) return 0;
  let c = 0;
  for (const [, v] of points) if (v >= threshold) c++;
  return c / points.length;
}

export function firstTimeAbove(
  points: readonly [number, number][],
  threshold: number,
  sustain = 2,
): number | undefined {
  let run = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as [number, number];
    run = p[1] >= threshold ? run + 1 : 0;
    if (run >= sustain) return (points[i - sustain + 1] as [number, number])[0];
  }
  return undefined;
}

export function values(points: readonly [number, number][]): number[] {
  return points.map((p) => p[1]);
}
