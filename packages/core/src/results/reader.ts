import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, MlperfError } from '../errors.js';
import type { MetricsExport, ResultsDirectory, RunManifest, TimeseriesRecord } from './types.js';
import { RESULTS_SCHEMA_VERSION } from './types.js';

function readJson(path: string, what: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`${what}: cannot be parsed (${(err as Error).message})`);
    return undefined;
  }
}

/** Parses NDJSON text; a damaged line (a process killed mid-write) is skipped and reported. */
export function parseTimeseries(text: string, problems: string[] = []): TimeseriesRecord[] {
  const out: TimeseriesRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line) as TimeseriesRecord);
    } catch {
      const last = i === lines.length - 1 || lines.slice(i + 1).every((l) => l.trim() === '');
      problems.push(
        last
          ? `timeseries.ndjson: last line ${i + 1} is truncated (the run was interrupted mid-write); it was skipped`
          : `timeseries.ndjson: line ${i + 1} is not valid JSON; it was skipped`,
      );
    }
  }
  return out;
}

/**
 * Reads a results directory: complete, aborted, or left behind by a killed process. Only a missing
 * or unreadable run.json is fatal; everything else missing is listed in `problems`.
 */
export function readResults(dir: string): ResultsDirectory {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new MlperfError('RESULTS_NOT_FOUND', `${dir}: no such results directory`, {
      hint: 'pass the directory `mlperf run` wrote, e.g. results/target-1000tps-20261127T083512Z',
      exitCode: ExitCode.badInput,
    });
  }
  const problems: string[] = [];
  const manifestPath = join(dir, 'run.json');
  if (!existsSync(manifestPath)) {
    throw new MlperfError('RESULTS_INVALID', `${dir}: run.json is missing, so this is not an mlperf results directory`, {
      hint: 'for k6 output use `mlperf analyze --k6-summary <file>`; otherwise pass a directory written by `mlperf run`',
    });
  }
  const manifest = readJson(manifestPath, 'run.json', problems) as RunManifest | undefined;
  if (!manifest || manifest.kind !== 'mlperf-run') {
    throw new MlperfError('RESULTS_INVALID', `${manifestPath}: not an mlperf run manifest`, {
      hint: problems[0] ?? 'the file must have "kind": "mlperf-run"',
    });
  }
  if (manifest.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    problems.push(`run.json: schema version ${manifest.schemaVersion}, this reader knows ${RESULTS_SCHEMA_VERSION}`);
  }
  if (manifest.status === 'running') {
    problems.push('run.json: status is still "running": the run was interrupted (process killed?); treating it as aborted');
  }

  const tsPath = join(dir, 'timeseries.ndjson');
  const timeseries = existsSync(tsPath) ? parseTimeseries(readFileSync(tsPath, 'utf8'), problems) : [];
  if (!existsSync(tsPath)) problems.push('timeseries.ndjson: missing');
  else if (timeseries.length === 0) problems.push('timeseries.ndjson: holds no complete second');

  const k6Path = join(dir, 'k6-summary.json');
  const k6Summary = existsSync(k6Path) ? readJson(k6Path, 'k6-summary.json', problems) : undefined;
  if (!existsSync(k6Path)) problems.push('k6-summary.json: missing (the run did not finish)');

  const metrics: Record<string, MetricsExport> = {};
  for (const f of listFiles(join(dir, 'metrics'))) {
    if (!f.endsWith('.json')) continue;
    const m = readJson(join(dir, 'metrics', f), `metrics/${f}`, problems) as MetricsExport | undefined;
    if (m && typeof m.name === 'string' && Array.isArray(m.result)) metrics[m.name] = m;
    else if (m) problems.push(`metrics/${f}: not a metrics export (needs name and result)`);
  }
  return {
    dir,
    manifest,
    timeseries,
    k6Summary,
    metrics,
    dashboards: listFiles(join(dir, 'dashboards')),
    logs: listFiles(join(dir, 'logs')),
    problems,
  };
}

function listFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')).sort() : [];
}

/** True when `dir` holds a run.json: a results directory rather than a suite directory. */
export function isResultsDirectory(dir: string): boolean {
  return existsSync(join(dir, 'run.json'));
}
