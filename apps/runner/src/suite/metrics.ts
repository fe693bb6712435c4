import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type MetricsExport,
  prometheusCriteria,
  type RunManifest,
  type TestDefinition,
  writeFileAtomic,
} from '@mlperf/core';
import { catalogueFor, exportQueries, type MetricPrefixes, type PrometheusClient } from '@mlperf/core/promql';

/** The catalogue queries exported after each run (k6 remote-write ones need k6), for the target's metric names. */
export function runQueries(prefixes?: MetricPrefixes) {
  return catalogueFor(prefixes ? { prefixes } : {})
    .filter((q) => q.family !== 'k6')
    .map((q) => ({ name: q.name, promql: q.promql, description: q.description, unit: q.unit }));
}

/** Exports the validation queries over the run's window into `<runDir>/metrics/` and notes them in run.json. */
export async function exportRunMetrics(
  client: PrometheusClient,
  runDir: string,
  prefixes?: MetricPrefixes,
): Promise<void> {
  const path = join(runDir, 'run.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as RunManifest;
  const start = Date.parse(manifest.startedAt) / 1000;
  const end = (manifest.endedAt ? Date.parse(manifest.endedAt) : Date.now()) / 1000;
  let metrics: RunManifest['metrics'];
  try {
    const r = await exportQueries({
      client,
      queries: runQueries(prefixes),
      start,
      end: Math.max(end, start + 1),
      dir: runDir,
      scrapeIntervalS: 1,
    });
    metrics = { exported: r.exported, skipped: r.skipped };
  } catch (err) {
    metrics = {
      exported: [],
      skipped: [{ name: '*', reason: `Prometheus export failed: ${(err as Error).message}` }],
    };
  }
  const current = JSON.parse(readFileSync(path, 'utf8')) as RunManifest;
  writeFileAtomic(path, `${JSON.stringify({ ...current, metrics }, null, 2)}\n`);
}

/** Notes in run.json that no Prometheus watched the run, and why, so every report can say what that leaves unjudged. */
export function noteNoPrometheus(runDir: string, reason: string): void {
  const path = join(runDir, 'run.json');
  const current = JSON.parse(readFileSync(path, 'utf8')) as RunManifest;
  const metrics: RunManifest['metrics'] = { exported: [], skipped: [{ name: '*', reason }] };
  writeFileAtomic(path, `${JSON.stringify({ ...current, metrics }, null, 2)}\n`);
}

/** What the run start says when no Prometheus watches: why, and which criteria will be inconclusive. */
export function noPrometheusLines(reason: string, tests: readonly TestDefinition[]): string[] {
  const affected = prometheusCriteria(tests);
  return [
    `note: ${reason}`,
    ...(affected.length
      ? [
          'note: without Prometheus these criteria will be inconclusive (no CPU, memory or service-health exports):',
          ...affected.map((t) => `        ${t.testId}: ${t.criteria.join(', ')}`),
        ]
      : []),
  ];
}

/** The same exports for a window so far, in memory (for a live diagnosis); empty when Prometheus fails. */
export async function exportLive(
  client: PrometheusClient,
  startS: number,
  endS: number,
  prefixes?: MetricPrefixes,
): Promise<Record<string, MetricsExport>> {
  const dir = mkdtempSync(join(tmpdir(), 'mlperf-live-'));
  try {
    await exportQueries({
      client,
      queries: runQueries(prefixes),
      start: startS,
      end: endS,
      dir,
      scrapeIntervalS: 1,
    });
    const out: Record<string, MetricsExport> = {};
    for (const f of readdirSync(join(dir, 'metrics'))) {
      if (!f.endsWith('.json')) continue;
      const m = JSON.parse(readFileSync(join(dir, 'metrics', f), 'utf8')) as MetricsExport;
      out[m.name] = m;
    }
    return out;
  } catch {
    return {};
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
