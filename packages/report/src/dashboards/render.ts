import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ResultsDirectory, readResults, writeFileAtomic } from '@mlperf/core';
import { svgToPng } from '../charts/raster.js';
import { buildDashboard, type DashboardRun } from '../grafana/dashboards.js';
import { DEFAULT_DASHBOARDS, type DashboardSpec } from '../grafana/panels.js';
import { type PanelData, panelData } from './panel-data.js';
import { dashboardSvg } from './svg.js';

/** One dashboard of a run, as written into its dashboards/ folder. */
export interface RenderedDashboard {
  uid: string;
  title: string;
  /** `<uid>.json`: the Grafana dashboard, importable, opened at the run's time range. */
  json: string;
  /** `<uid>.png`: its panels drawn from metrics/ and timeseries.ndjson. */
  png: string;
  panels: { title: string; source: PanelData['source']; note: string }[];
}

/** The file in dashboards/ that lists what each offline panel was drawn from. */
const OFFLINE_DASHBOARDS_FILE = 'offline.json';

function writeBinaryAtomic(path: string, data: Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function runWindow(r: ResultsDirectory): DashboardRun & { startMs: number; endMs: number } {
  const ts = r.timeseries;
  const startMs = ts[0]?.t ?? Date.parse(r.manifest.startedAt);
  const last = ts[ts.length - 1];
  const endMs = last ? last.t + 1000 : Date.parse(r.manifest.endedAt ?? r.manifest.startedAt) || startMs;
  return {
    runId: r.manifest.runId,
    from: new Date(startMs).toISOString(),
    to: new Date(Math.max(endMs, startMs + 1000)).toISOString(),
    ...(r.manifest.target.prometheusUrl ? { prometheusUrl: r.manifest.target.prometheusUrl } : {}),
    startMs,
    endMs,
  };
}

/**
 * Writes each dashboard of a run into `<runDir>/dashboards/`: the Grafana JSON (importable, at the
 * run's time range) and a PNG of its panels rendered offline through the report's chart code,
 * so the evidence exists without a Grafana. Panels without data say why.
 */
export async function renderRunDashboards(
  runDir: string,
  options: { specs?: DashboardSpec[] } = {},
): Promise<RenderedDashboard[]> {
  const r = readResults(runDir);
  const run = runWindow(r);
  const dir = join(runDir, 'dashboards');
  mkdirSync(dir, { recursive: true });
  const out: RenderedDashboard[] = [];
  for (const spec of options.specs ?? DEFAULT_DASHBOARDS) {
    const panels = spec.panels.map((p) => ({ panel: p, data: panelData(p, r, run.startMs) }));
    const json = join(dir, `${spec.uid}.json`);
    writeFileAtomic(json, `${JSON.stringify(buildDashboard(spec, run), null, 2)}\n`);
    const svg = dashboardSvg(spec, run, r.manifest.testName, panels);
    const png = join(dir, `${spec.uid}.png`);
    writeBinaryAtomic(png, await svgToPng(svg));
    out.push({
      uid: spec.uid,
      title: spec.title,
      json,
      png,
      panels: panels.map(({ panel, data }) => ({ title: panel.title, source: data.source, note: data.note })),
    });
  }
  writeFileAtomic(
    join(dir, OFFLINE_DASHBOARDS_FILE),
    `${JSON.stringify(
      {
        renderedBy: 'mlperf (offline, from metrics/ and timeseries.ndjson; not a Grafana capture)',
        from: run.from,
        to: run.to,
        dashboards: out.map((d) => ({
          uid: d.uid,
          title: d.title,
          json: `${d.uid}.json`,
          png: `${d.uid}.png`,
          panels: d.panels,
        })),
      },
      null,
      2,
    )}\n`,
  );
  return out;
}
