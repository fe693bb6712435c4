import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ExitCode, MlperfError, readResults, safeFileName, writeFileAtomic } from '@mlperf/core';
import { readAnalysisFile } from '../load.js';
import { timeseriesTotals } from '../series.js';
import { fmtDuration, fmtInt, fmtPercent, fmtValue } from '../view/format.js';
import { isBinary, scrubText } from './secrets.js';
import { walkTree } from './walk.js';

export interface CollectedItem {
  /** As the Phase-07 plan lists it: "K6 summary report", "Prometheus metrics export"... */
  item: string;
  present: boolean;
  files: string[];
  note: string;
}

export interface Collection {
  dir: string;
  items: CollectedItem[];
  written: string[];
}

const RESOURCE = /cpu|memory|mem_|rss|resident|working_set|throttl|network|disk|connections/i;

/**
 * Copies a log file, or every file under a directory of logs, into `logsDir`, scrubbed. Symlinks
 * inside the directory are followed only while they stay inside it.
 */
function copyLogs(src: string, logsDir: string): string[] {
  if (!existsSync(src)) {
    throw new MlperfError('COLLECT_LOGS_NOT_FOUND', `--logs ${src}: no such file or directory`, {
      hint: 'pass a log file or a directory of logs',
      exitCode: ExitCode.badInput,
    });
  }
  const files = statSync(src).isDirectory()
    ? walkTree(src).files.map((f) => ({ abs: f.abs, name: f.rel.replaceAll('/', '_') }))
    : [{ abs: src, name: basename(src) }];
  const written: string[] = [];
  for (const f of files) {
    const target = join(logsDir, safeFileName(f.name));
    const buf = readFileSync(f.abs);
    if (isBinary(buf)) copyFileSync(f.abs, target);
    else writeFileAtomic(target, scrubText(f.abs, buf.toString('utf8')).text);
    written.push(`logs/${basename(target)}`);
  }
  return written;
}

/**
 * `mlperf collect`: gathers what the Phase-07 plan's collect-test-results lists into the results directory
 * (summary, metrics exports, dashboards, logs, resource data), copies extra logs (secrets scrubbed),
 * derives `summary.txt` and `resources.csv`, and writes `collection.json` saying what is there.
 */
export function collectResults(dir: string, options: { logsFrom?: string[] } = {}): Collection {
  const r = readResults(dir);
  const written: string[] = [];
  const logsDir = join(dir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  for (const src of options.logsFrom ?? []) written.push(...copyLogs(src, logsDir));

  const totals = timeseriesTotals(r.timeseries);
  const analysis = readAnalysisFile(dir).analysis;
  const a = analysis?.kind === 'test' ? analysis : undefined;
  const finished = totals.succeeded + totals.failed;
  const lines = [
    `${r.manifest.testName} (${r.manifest.runId})`,
    `status: ${r.manifest.status}${r.manifest.statusReason ? ` (${r.manifest.statusReason})` : ''}`,
    `started: ${r.manifest.startedAt}  ended: ${r.manifest.endedAt ?? '-'}`,
    `duration: ${fmtDuration(totals.durationS)}`,
    `transactions: ${fmtInt(totals.succeeded)} succeeded, ${fmtInt(totals.failed)} failed, ${fmtInt(totals.dropped)} dropped`,
    `success rate: ${fmtPercent(finished ? totals.succeeded / finished : undefined)}`,
    ...Object.entries(totals.errorsByType).map(([k, n]) => `errors ${k}: ${fmtInt(n)}`),
    ...(a
      ? [
          `verdict: ${a.verdict.toUpperCase()}: ${a.headline}`,
          ...a.criteria.map(
            (c) =>
              `${c.status === 'pass' ? '✓' : c.status === 'fail' ? '✗' : '?'} ${c.label}: ${fmtValue(c.value, c.unit)}`,
          ),
        ]
      : ['verdict: not analysed']),
    '',
  ];
  writeFileAtomic(join(dir, 'summary.txt'), lines.join('\n'));
  written.push('summary.txt');

  const csv = ['unix_s,metric,series,value'];
  for (const exp of Object.values(r.metrics).sort((x, y) => x.name.localeCompare(y.name))) {
    if (!RESOURCE.test(`${exp.name} ${exp.query}`)) continue;
    for (const s of exp.result) {
      const label = Object.entries(s.metric)
        .map(([k, v]) => `${k}=${v}`)
        .join(';');
      for (const [t, v] of s.values) csv.push(`${t},${exp.name},"${label.replace(/"/g, '""')}",${v}`);
    }
  }
  const hasResources = csv.length > 1;
  if (hasResources) {
    writeFileAtomic(join(dir, 'resources.csv'), `${csv.join('\n')}\n`);
    written.push('resources.csv');
  }

  const list = (sub: string, re: RegExp) =>
    existsSync(join(dir, sub))
      ? readdirSync(join(dir, sub))
          .filter((f) => re.test(f))
          .sort()
          .map((f) => `${sub}/${f}`)
      : [];
  const skipped = r.manifest.metrics?.skipped ?? [];
  const items: CollectedItem[] = [
    {
      item: 'K6 summary report',
      present: r.k6Summary !== undefined,
      files: [...(r.k6Summary !== undefined ? ['k6-summary.json'] : []), 'summary.txt'],
      note:
        r.k6Summary !== undefined
          ? 'k6 --summary-export compatible'
          : 'k6-summary.json missing (the run did not finish); summary.txt derived from timeseries.ndjson',
    },
    {
      item: 'Prometheus metrics export',
      present: Object.keys(r.metrics).length > 0,
      files: list('metrics', /\.json$/),
      note:
        skipped.length > 0
          ? `not exported: ${skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}`
          : Object.keys(r.metrics).length > 0
            ? 'query_range matrices'
            : 'no Prometheus was configured for this run',
    },
    {
      item: 'Grafana dashboard snapshots',
      present: list('dashboards', /\.png$/i).length > 0,
      files: list('dashboards', /\.png$/i),
      note:
        list('dashboards', /\.png$/i).length > 0
          ? 'captured at start, peak and end'
          : 'none yet: run `mlperf dashboards capture --grafana-url <url> --test <dir>`',
    },
    {
      item: 'Service logs',
      present: list('logs', /./).length > 0,
      files: list('logs', /./),
      note: 'engine, hub and any logs passed with --logs (secrets scrubbed)',
    },
    {
      item: 'Resource utilization data',
      present: hasResources,
      files: hasResources ? ['resources.csv'] : [],
      note: hasResources
        ? 'CPU, memory, throttling, connections from the Prometheus exports'
        : 'no resource metrics among the Prometheus exports',
    },
  ];
  writeFileAtomic(
    join(dir, 'collection.json'),
    `${JSON.stringify({ kind: 'mlperf-collection', runId: r.manifest.runId, items }, null, 2)}\n`,
  );
  written.push('collection.json');
  return { dir, items, written };
}
