import type { MetricsExport, ResultsDirectory, TimeseriesRecord } from '@mlperf/core';
import { downsample, type Point } from '../downsample.js';
import type { PanelQuery } from '../grafana/panels.js';
import { exportLines, MAX_CHART_POINTS } from '../series.js';

export interface PanelLine {
  label: string;
  points: Point[];
}

/** What one panel shows: its lines and where they came from, or why it has none. */
export interface PanelData {
  lines: PanelLine[];
  source: 'metrics' | 'timeseries' | 'none';
  /** The file the lines came from, or why there is no data. */
  note: string;
}

const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);

/** `{{corridor}}` legends filled from a series' labels. */
function legendLabel(legend: string | undefined) {
  if (!legend || legend === '__auto') return undefined;
  return (metric: Record<string, string>) =>
    legend.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => metric[k] ?? '') || undefined;
}

type PerSecond = (r: TimeseriesRecord) => Record<string, number | null>;

/** Engine panels the per-second records answer too, when Prometheus did not (or was not there). */
const FROM_TIMESERIES: Record<string, PerSecond> = {
  engine_tps: (r) => ({ achieved: r.succeeded }),
  engine_offered_tps: (r) => ({ offered: r.offered }),
  engine_started_tps: (r) => ({ started: r.started }),
  engine_completed_tps: (r) => ({ completed: r.succeeded + sum(r.failed) }),
  engine_dropped_tps: (r) => ({ dropped: r.dropped }),
  engine_in_flight: (r) => ({ 'in flight': r.inFlight }),
  offered_rate: (r) => ({ 'offered rate': r.offeredRate }),
  engine_success_rate: (r) => {
    const done = r.succeeded + sum(r.failed);
    return { success: done > 0 ? r.succeeded / done : null };
  },
  engine_error_rate: (r) => {
    const done = r.succeeded + sum(r.failed);
    return { errors: done > 0 ? sum(r.failed) / done : null };
  },
  engine_p95_ms: (r) => ({ p95: r.latency.e2e?.count ? r.latency.e2e.p95 : null }),
  engine_p99_ms: (r) => ({ p99: r.latency.e2e?.count ? r.latency.e2e.p99 : null }),
  engine_errors_by_type: (r) => ({ ...r.failed }),
  corridor_tps: (r) => Object.fromEntries(Object.entries(r.corridors).map(([k, c]) => [k, c.succeeded])),
};

function timeseriesLines(records: TimeseriesRecord[], f: PerSecond): PanelLine[] {
  const first = records[0]?.s ?? 0;
  const byLabel = new Map<string, Point[]>();
  for (const r of records) {
    for (const [label, v] of Object.entries(f(r))) {
      const pts = byLabel.get(label) ?? [];
      pts.push([(r.s - first) / 60, v]);
      byLabel.set(label, pts);
    }
  }
  return [...byLabel].map(([label, pts]) => ({ label, points: downsample(pts, MAX_CHART_POINTS) }));
}

/** Why a panel has no data in this run. */
function absence(panel: PanelQuery, results: ResultsDirectory, exp?: MetricsExport): string {
  const name = panel.name ?? panel.title;
  if (exp) return `the query returned no series over the run: the target does not expose these metrics`;
  const skipped = results.manifest.metrics?.skipped.find((s) => s.name === name || s.name === '*');
  if (skipped) return skipped.reason;
  if (name.startsWith('k6_')) return 'k6 metrics: this run did not push k6 remote-write metrics';
  if (name.startsWith('node_'))
    return 'node_exporter metrics: no node_exporter was scraped (the private Prometheus scrapes the hub and the engine)';
  return `no metrics/${name}.json export`;
}

/** The lines of one panel: its Prometheus export, else the engine's per-second records, else why neither. */
export function panelData(panel: PanelQuery, results: ResultsDirectory, startMs: number): PanelData {
  const exports = Object.values(results.metrics);
  const exp =
    (panel.name ? results.metrics[panel.name] : undefined) ?? exports.find((e) => e.query === panel.promql);
  if (exp && exp.result.length > 0) {
    return {
      lines: exportLines(exp, startMs, 8, legendLabel(panel.legend)),
      source: 'metrics',
      note: `metrics/${exp.name}.json`,
    };
  }
  const f = panel.name ? FROM_TIMESERIES[panel.name] : undefined;
  if (f && results.timeseries.length > 0) {
    const lines = timeseriesLines(results.timeseries, f);
    if (lines.length > 0) return { lines, source: 'timeseries', note: 'timeseries.ndjson' };
    return { lines, source: 'none', note: 'timeseries.ndjson: none in this run (no second had any)' };
  }
  return { lines: [], source: 'none', note: absence(panel, results, exp) };
}
