import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, statfsSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, MlperfError } from '../errors.js';
import type { MetricsExport, RunManifest, RunStatus, RunTotals, TimeseriesRecord } from './types.js';
import { RESULTS_SCHEMA_VERSION } from './types.js';

/** Minimum free space at the start of a run; a 2-hour run writes tens of MB. */
const MIN_FREE_BYTES = 200 * 1024 * 1024;

export type NewRunManifest = Omit<RunManifest, 'schemaVersion' | 'kind' | 'status' | 'startedAt' | 'stages'> &
  Partial<Pick<RunManifest, 'startedAt' | 'stages'>>;

/** `target-1000tps-20261127T083512Z`: test id plus the UTC start time, sortable. */
export function runDirName(testId: string, at: Date = new Date()): string {
  const ts = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${testId}-${ts}`;
}

/** Writes one file atomically (temp file + rename), so a reader never sees half of it. */
export function writeFileAtomic(path: string, data: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Streams a run's evidence to its results directory while the test runs. Every method is
 * synchronous and cheap: it is called once per second (timeseries) or a few times per run.
 * An interrupted process leaves a directory the reader accepts: run.json says `running`,
 * timeseries.ndjson holds every completed second.
 */
export class ResultsWriter {
  readonly dir: string;
  private manifest: RunManifest;
  private timeseriesFd: number | undefined;

  private constructor(dir: string, manifest: RunManifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  /**
   * Creates `<baseDir>/<dirName>` (default `runDirName(testId)`) with metrics/, dashboards/, logs/;
   * fails at once, before any load, if it cannot be written or the disk is nearly full.
   */
  static create(baseDir: string, init: NewRunManifest, options: { dirName?: string; minFreeBytes?: number } = {}): ResultsWriter {
    const dir = join(baseDir, options.dirName ?? runDirName(init.testId));
    try {
      for (const sub of ['metrics', 'dashboards', 'logs']) mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, '.write-probe'), 'ok');
      unlinkSync(join(dir, '.write-probe'));
    } catch (err) {
      throw new MlperfError('RESULTS_UNWRITABLE', `--out ${baseDir}: cannot create ${dir}: ${(err as Error).message}`, {
        hint: 'choose a directory you can write to with --out, or fix its permissions',
        exitCode: ExitCode.badInput,
        cause: err,
      });
    }
    const need = options.minFreeBytes ?? MIN_FREE_BYTES;
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    if (free < need) {
      throw new MlperfError(
        'RESULTS_DISK_FULL',
        `--out ${baseDir}: only ${(free / 1024 / 1024).toFixed(0)} MiB free, ${(need / 1024 / 1024).toFixed(0)} MiB needed`,
        { hint: 'free some disk space or point --out at another disk', exitCode: ExitCode.badInput },
      );
    }
    const manifest: RunManifest = {
      ...init,
      schemaVersion: RESULTS_SCHEMA_VERSION,
      kind: 'mlperf-run',
      status: 'running',
      startedAt: init.startedAt ?? new Date().toISOString(),
      stages: init.stages ?? [],
    };
    const writer = new ResultsWriter(dir, manifest);
    writer.writeManifest();
    writer.timeseriesFd = openSync(join(dir, 'timeseries.ndjson'), 'a');
    return writer;
  }

  get current(): Readonly<RunManifest> {
    return this.manifest;
  }

  /** Appends one second and flushes it to the OS, so a killed process loses at most the current second. */
  appendSecond(record: TimeseriesRecord): void {
    if (this.timeseriesFd === undefined) throw new MlperfError('RESULTS_CLOSED', `${this.dir}: writer already finished`);
    writeSync(this.timeseriesFd, `${JSON.stringify(record)}\n`);
  }

  /** Merges `patch` into run.json and rewrites it atomically. */
  updateManifest(patch: Partial<RunManifest>): void {
    this.manifest = { ...this.manifest, ...patch };
    this.writeManifest();
  }

  writeK6Summary(summary: unknown): void {
    writeFileAtomic(join(this.dir, 'k6-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }

  writeMetricsExport(exp: MetricsExport): void {
    writeFileAtomic(join(this.dir, 'metrics', `${safeFileName(exp.name)}.json`), `${JSON.stringify(exp)}\n`);
  }

  /** Absolute path for a log file in logs/. */
  logPath(name: string): string {
    return join(this.dir, 'logs', safeFileName(name));
  }

  /** Ends the run: final status, totals and end time in run.json; closes the timeseries. */
  finish(status: Exclude<RunStatus, 'running'>, extra: { reason?: string; totals?: RunTotals } = {}): void {
    if (this.timeseriesFd !== undefined) {
      fsyncSync(this.timeseriesFd);
      closeSync(this.timeseriesFd);
      this.timeseriesFd = undefined;
    }
    const patch: Partial<RunManifest> = { status, endedAt: new Date().toISOString() };
    if (extra.reason !== undefined) patch.statusReason = extra.reason;
    if (extra.totals !== undefined) patch.totals = extra.totals;
    this.updateManifest(patch);
  }

  private writeManifest(): void {
    writeFileAtomic(join(this.dir, 'run.json'), `${JSON.stringify(this.manifest, null, 2)}\n`);
  }
}

/** Keeps a metric or log name usable as a file name on any OS. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || '_';
}
