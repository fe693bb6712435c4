import type { DashboardRun } from '../grafana/dashboards.js';
import type { DashboardSpec, PanelQuery } from '../grafana/panels.js';
import { lineSeries, renderSvg, timeAxes } from '../charts/render.js';
import { RASTER_FONT } from '../charts/raster.js';
import type { PanelData } from './panel-data.js';

const WIDTH = 1200;
const HEADER = 90;
const GAP = 12;
const PANEL_W = (WIDTH - 3 * GAP) / 2;
const PANEL_H = 280;
const TITLE_H = 28;

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** How a panel's unit reads on its axis, and the factor its values are shown at (ratios as %). */
function axisOf(unit: string): { name: string; factor: number } {
  if (unit === 'ratio') return { name: '%', factor: 100 };
  if (unit === 'tps') return { name: 'per second', factor: 1 };
  if (unit === 'boolean') return { name: 'up (1) / down (0)', factor: 1 };
  return { name: unit, factor: 1 };
}

function chartSvg(panel: PanelQuery, data: PanelData, minutes: number): string {
  const axis = axisOf(panel.unit);
  const axes = timeAxes(axis.name, { yMin: 0 });
  return renderSvg(
    {
      ...axes,
      // every panel over the run's whole time range, as Grafana shows a dashboard
      xAxis: { ...(axes.xAxis as object), name: '', min: 0, max: minutes },
      textStyle: { fontFamily: RASTER_FONT },
      grid: { left: 60, right: 20, top: 30, bottom: 36 + 22 * legendRows(data) },
      legend: { bottom: 0, type: 'plain', itemGap: 16, textStyle: { fontSize: 11 } },
      series: data.lines.map((l) =>
        lineSeries(
          l.label,
          l.points.map(([x, y]) => [x, y === null ? null : y * axis.factor]),
        ),
      ),
    },
    { width: PANEL_W, height: PANEL_H - TITLE_H },
  );
}

/** How many rows the legend below a panel takes (about 6.5 px a character, 40 px per item's mark). */
function legendRows(data: PanelData): number {
  const width = data.lines.reduce((w, l) => w + l.label.length * 6.5 + 40, 0);
  return Math.max(1, Math.ceil(width / (PANEL_W - 40)));
}

/** Words of `text` in lines of at most `max` characters. */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/)) {
    if (line && line.length + w.length + 1 > max) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

function panelSvg(panel: PanelQuery, data: PanelData, minutes: number, x: number, y: number): string {
  const frame = `<rect x="${x}" y="${y}" width="${PANEL_W}" height="${PANEL_H}" fill="#ffffff" stroke="#d0d7de" rx="4"/>`;
  const title = `<text x="${x + 10}" y="${y + 19}" font-family="${RASTER_FONT}" font-size="14" font-weight="bold" fill="#1f2328">${esc(panel.title)}</text>`;
  const source = `<text x="${x + PANEL_W - 10}" y="${y + 19}" text-anchor="end" font-family="${RASTER_FONT}" font-size="10" fill="#57606a">${esc(data.source === 'none' ? 'no data' : data.note)}</text>`;
  if (data.source === 'none') {
    const why = wrap(data.note, 70)
      .map(
        (l, i) =>
          `<text x="${x + PANEL_W / 2}" y="${y + PANEL_H / 2 + 16 + i * 16}" text-anchor="middle" font-family="${RASTER_FONT}" font-size="12" fill="#57606a">${esc(l)}</text>`,
      )
      .join('');
    const head = `<text x="${x + PANEL_W / 2}" y="${y + PANEL_H / 2 - 8}" text-anchor="middle" font-family="${RASTER_FONT}" font-size="16" fill="#57606a">No data</text>`;
    return frame + title + source + head + why;
  }
  const chart = chartSvg(panel, data, minutes).replace('<svg ', `<svg x="${x}" y="${y + TITLE_H}" `);
  return frame + title + source + chart;
}

/** The whole dashboard as one SVG: a header naming the run and time range, then its panels two by two. */
export function dashboardSvg(
  spec: DashboardSpec,
  run: DashboardRun,
  testName: string,
  panels: { panel: PanelQuery; data: PanelData }[],
): string {
  const minutes = Math.max(1 / 60, (Date.parse(run.to) - Date.parse(run.from)) / 60_000);
  const rows = Math.ceil(panels.length / 2);
  const height = HEADER + rows * (PANEL_H + GAP) + GAP;
  const body = panels
    .map(({ panel, data }, i) =>
      panelSvg(
        panel,
        data,
        minutes,
        GAP + (i % 2) * (PANEL_W + GAP),
        HEADER + Math.floor(i / 2) * (PANEL_H + GAP),
      ),
    )
    .join('\n');
  const range = `${run.from.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} – ${run.to.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">
<rect width="${WIDTH}" height="${height}" fill="#f6f8fa"/>
<text x="${GAP}" y="30" font-family="${RASTER_FONT}" font-size="20" font-weight="bold" fill="#1f2328">${esc(spec.title)}</text>
<text x="${GAP}" y="52" font-family="${RASTER_FONT}" font-size="13" fill="#1f2328">${esc(`${testName} · ${run.runId} · ${range}`)}</text>
${wrap(
  'x: minutes since the run started. Rendered offline by mlperf from metrics/ (Prometheus exports) and timeseries.ndjson, not a Grafana screenshot; the Grafana JSON beside this file opens the same panels at this time range.',
  190,
)
  .map(
    (l, i) =>
      `<text x="${GAP}" y="${68 + i * 13}" font-family="${RASTER_FONT}" font-size="11" fill="#57606a">${esc(l)}</text>`,
  )
  .join('\n')}
${body}
</svg>`;
}
