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

/** One Grafana dashboard (JSON model, schema 39) for file provisioning or the import API. */
export function buildDashboard(spec: DashboardSpec): Record<string, unknown> {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['mlperf', 'mojaloop'],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    editable: true,
    refresh: '10s',
    time: { from: 'now-30m', to: 'now' },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Prometheus',
          type: 'datasource',
          query: 'prometheus',
          hide: 0,
          current: {},
        },
      ],
    },
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
