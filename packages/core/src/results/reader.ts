import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, MlperfError } from '../errors.js';
import { errorMessage } from '../error-message.js';
import { describeIssues, MetricsExportSchema, RunManifestSchema, TimeseriesRecordSchema, v } from './schema.js';
import type { MetricsExport, ResultsDirectory, RunManifest, TimeseriesRecord } from './types.js';
import { RESULTS_SCHEMA_VERSION } from './types.js';

function readJson(path: string, what: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    problems.push(`${what}: cannot be parsed (${errorMessage(err)})`);
    return undefined;
  }
}

/** One timeseries record checked against the schema: the record, or what is wrong with it. */
export function checkTimeseriesRecord(value: unknown): { record: TimeseriesRecord } | { problem: string } {
  const r = v.safeParse(TimeseriesRecordSchema, value);
  return r.success ? { record: r.output as unknown as TimeseriesRecord } : { problem: describeIssues(r.issues) };
}

/**
 * Parses NDJSON text. A damaged line (a process killed mid-write) or a record that breaks the
 * schema (null, an array, wrong types, negative counts) is skipped and counted in `problems`.
 */
export function parseTimeseries(text: string, problems: string[] = []): TimeseriesRecord[] {
  const out: TimeseriesRecord[] = [];
  const invalid: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      const last = i === lines.length - 1 || lines.slice(i + 1).every((l) => l.trim() === '');
      problems.push(
        last
          ? `timeseries.ndjson: last line ${i + 1} is truncated (the run was interrupted mid-write); it was skipped`
          : `timeseries.ndjson: line ${i + 1} is not valid JSON; it was skipped`,
      );
      continue;
    }
    const checked = checkTimeseriesRecord(value);
    if ('record' in checked) out.push(checked.record);
    else invalid.push(`line ${i + 1}: ${checked.problem}`);
  }
  if (invalid.length > 0) {
    const shown = invalid.slice(0, 3).join('; ');
    problems.push(
      `timeseries.ndjson: ${invalid.length} invalid record(s) skipped (${shown}${invalid.length > 3 ? '; ...' : ''})`,
    );
  }
  return out;
}

/** run.json checked: an unknown schema version or a broken manifest is bad input (exit 2). */
export function checkRunManifest(value: unknown, path: string): RunManifest {
  const m = value as Partial<RunManifest> | undefined;
  if (typeof m !== 'object' || m === null || Array.isArray(m) || m.kind !== 'mlperf-run') {
    throw new MlperfError('RESULTS_INVALID', `${path}: not an mlperf run manifest`, {
      hint: 'the file must be a JSON object with "kind": "mlperf-run"',
      exitCode: ExitCode.badInput,
    });
  }
  if (m.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new MlperfError(
      'RESULTS_SCHEMA_UNKNOWN',
      `${path}: schemaVersion ${JSON.stringify(m.schemaVersion)} is not one this mlperf reads (it reads ${RESULTS_SCHEMA_VERSION})`,
      {
        hint:
          typeof m.schemaVersion === 'number' && m.schemaVersion > RESULTS_SCHEMA_VERSION
            ? 'it was written by a newer mlperf: upgrade mlperf to read it'
            : 'the file was edited or damaged: set "schemaVersion": 1 only if it is really this format',
        exitCode: ExitCode.badInput,
      },
    );
  }
  const r = v.safeParse(RunManifestSchema, m);
  if (!r.success) {
    throw new MlperfError('RESULTS_INVALID', `${path}: ${describeIssues(r.issues, 3)}`, {
      hint: 'run.json was edited or damaged; it must be as `mlperf run` wrote it',
      exitCode: ExitCode.badInput,
    });
  }
  return r.output as unknown as RunManifest;
}

function readMetrics(dir: string, problems: string[]): Record<string, MetricsExport> {
  const metrics: Record<string, MetricsExport> = {};
  for (const f of listFiles(join(dir, 'metrics'))) {
    if (!f.endsWith('.json')) continue;
    const m = readJson(join(dir, 'metrics', f), `metrics/${f}`, problems);
    if (m === undefined) continue;
    const r = v.safeParse(MetricsExportSchema, m);
    if (r.success) metrics[r.output.name] = r.output as unknown as MetricsExport;
    else problems.push(`metrics/${f}: not a metrics export (${describeIssues(r.issues)}); skipped`);
  }
  return metrics;
}

/**
 * Reads a results directory: complete, aborted, or left behind by a killed process. Only a missing,
 * unreadable or unknown run.json is fatal; everything else missing or invalid is listed in `problems`.
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
  const raw = readJson(manifestPath, 'run.json', problems);
  if (raw === undefined) {
    throw new MlperfError('RESULTS_INVALID', `${manifestPath}: not an mlperf run manifest`, {
      hint: problems[0] ?? 'the file must have "kind": "mlperf-run"',
    });
  }
  const manifest = checkRunManifest(raw, manifestPath);
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

  return {
    dir,
    manifest,
    timeseries,
    k6Summary,
    metrics: readMetrics(dir, problems),
    dashboards: listFiles(join(dir, 'dashboards')),
    logs: listFiles(join(dir, 'logs')),
    problems,
  };
}

function listFiles(dir: string): string[] {
  return existsSync(dir) && statSync(dir).isDirectory()
    ? readdirSync(dir).filter((f) => !f.startsWith('.')).sort()
    : [];
}

/** True when `dir` holds a run.json: a results directory rather than a suite directory. */
export function isResultsDirectory(dir: string): boolean {
  return existsSync(join(dir, 'run.json'));
}
