import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '@mlperf/core';
import { DEFAULT_DASHBOARDS, type DashboardSpec, type PanelQuery } from './panels.js';

const UNITS: Record<string, string> = {
  tps: 'reqps',
  ratio: 'percentunit',
  seconds: 's',
  ms: 'ms',
  bytes: 'bytes',
  Bps: 'Bps',
  cores: 'short',
  count: 'short',
  messages: 'short',
  'messages/s': 'short',
  connections: 'short',
  boolean: 'bool',
};

/** Grafana's own variable syntax, resolved by Grafana from the dashboard's datasource variable. */
const DATASOURCE = { type: 'prometheus', uid: '$' + '{datasource}' };

function panel(p: PanelQuery, i: number): Record<string, unknown> {
  return {
    id: i + 1,
    type: 'timeseries',
    title: p.title,
    ...(p.description ? { description: p.description } : {}),
    datasource: DATASOURCE,
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: {
      defaults: { unit: UNITS[p.unit] ?? p.unit, custom: { lineWidth: 1, fillOpacity: 0 } },
      overrides: [],
    },
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi' },
    },
    targets: [
      { refId: 'A', datasource: DATASOURCE, expr: p.promql, legendFormat: p.legend ?? '__auto', range: true },
    ],
  };
}

/** A run a dashboard is provisioned for: its time range and the Prometheus that watched it. */
export interface DashboardRun {
  runId: string;
  /** ISO times of the run's first and last second. */
  from: string;
  to: string;
  /** The Prometheus the run was scraped by, when known (a private one is gone after the run). */
  prometheusUrl?: string;
}

/** Grafana's import input: the import dialog asks which Prometheus datasource to use. */
const DS_INPUT = '$' + '{DS_PROMETHEUS}';

/**
 * One Grafana dashboard (JSON model, schema 39) for file provisioning or the import API; with
 * `run`, opened at that run's time range and importable (`__inputs` asks for the datasource).
 */
export function buildDashboard(spec: DashboardSpec, run?: DashboardRun): Record<string, unknown> {
  const datasource = {
    name: 'datasource',
    label: 'Prometheus',
    type: 'datasource',
    query: 'prometheus',
    hide: 0,
    current: run ? { selected: true, text: 'Prometheus', value: DS_INPUT } : {},
  };
  return {
    ...(run
      ? {
          __inputs: [
            {
              name: 'DS_PROMETHEUS',
              label: 'Prometheus',
              description: run.prometheusUrl
                ? `the run was scraped by ${run.prometheusUrl}; choose a Prometheus holding its data`
                : "choose a Prometheus holding the run's data",
              type: 'datasource',
              pluginId: 'prometheus',
              pluginName: 'Prometheus',
            },
          ],
        }
      : {}),
    uid: spec.uid,
    title: run ? `${spec.title} (${run.runId})` : spec.title,
    description: spec.description,
    tags: ['mlperf', 'mojaloop', ...(run ? [run.runId] : [])],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    editable: true,
    refresh: run ? '' : '10s',
    time: run ? { from: run.from, to: run.to } : { from: 'now-30m', to: 'now' },
    templating: { list: [datasource] },
    annotations: { list: [] },
    panels: spec.panels.map(panel),
  };
}

export interface ExportedDashboards {
  dir: string;
  files: string[];
  provisioning: string;
}

/**
 * Writes every dashboard as `<uid>.json` plus `provisioning.yaml`, a Grafana file provider that
 * loads them (copy it to /etc/grafana/provisioning/dashboards/).
 */
export function exportDashboards(
  outDir: string,
  specs: DashboardSpec[] = DEFAULT_DASHBOARDS,
): ExportedDashboards {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const files = specs.map((s) => {
    const f = join(dir, `${s.uid}.json`);
    writeFileAtomic(f, `${JSON.stringify(buildDashboard(s), null, 2)}\n`);
    return f;
  });
  const provisioning = join(dir, 'provisioning.yaml');
  writeFileAtomic(
    provisioning,
    [
      'apiVersion: 1',
      'providers:',
      '  - name: mlperf',
      '    folder: mlperf',
      '    type: file',
      '    disableDeletion: false',
      '    allowUiUpdates: true',
      '    options:',
      `      path: ${JSON.stringify(dir)}`,
      '',
    ].join('\n'),
  );
  return { dir, files, provisioning };
}
