import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMlperfError, MlperfError } from '../errors.js';
import { RESULTS_SCHEMA_VERSION, type MetricsExport } from '../results/types.js';
import type { PrometheusClient } from './client.js';
import { chooseStep } from './step.js';

/** A query to export: a catalogue entry or any `{ name, promql }`. */
export interface ExportableQuery {
  name: string;
  promql: string;
  description?: string;
  unit?: string;
}

export type MissingWindow = NonNullable<MetricsExport['missing']>[number];

export interface ExportOptions {
  client: PrometheusClient;
  queries: readonly ExportableQuery[];
  /** Test window, unix seconds or Dates. */
  start: number | Date;
  end: number | Date;
  /** The run directory; files go to `<dir>/metrics/<name>.json`. */
  dir: string;
  /** Scrape interval in seconds (the smallest useful step); default 1. */
  scrapeIntervalS?: number;
  step?: number;
  source?: MetricsExport['source'];
  /** Selector whose samples show Prometheus was scraping (default `up`). */
  livenessSelector?: string;
}

export interface ExportReport {
  exported: string[];
  skipped: { name: string; reason: string }[];
  /** Windows in which Prometheus had no samples at all (down, restarting). */
  missing: MissingWindow[];
  step: number;
  files: string[];
}

const FILE_NAME = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$/;
const toUnix = (t: number | Date) => (t instanceof Date ? t.getTime() / 1000 : t);

async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFile(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

const TRANSIENT = new Set(['PROMETHEUS_UNAVAILABLE', 'PROMETHEUS_TIMEOUT', 'PROMETHEUS_CANCELED']);

/** One retry, a second later, for errors that usually pass (Prometheus busy or restarting). */
async function retryOnce<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(isMlperfError(err) && TRANSIENT.has(err.code))) throw err;
    await new Promise((r) => setTimeout(r, 1000));
    return fn();
  }
}

/**
 * Windows of [start, end] with no liveness samples: at each step, whether any target was
 * scraped in the preceding `gap` seconds. Throws if Prometheus cannot be asked.
 */
async function findMissingWindows(
  client: PrometheusClient,
  start: number,
  end: number,
  step: number,
  scrapeIntervalS: number,
  selector = 'up',
): Promise<MissingWindow[]> {
  const gap = Math.max(step, 3 * scrapeIntervalS);
  const { data } = await client.queryRange(`count(count_over_time(${selector}[${Math.ceil(gap)}s]))`, {
    start,
    end,
    step,
  });
  const present = new Set((data[0]?.values ?? []).map(([t]) => Math.round(t * 1000)));
  const windows: MissingWindow[] = [];
  let open: number | undefined;
  let last = start;
  for (let t = start; t <= end + 1e-9; t += step) {
    if (!present.has(Math.round(t * 1000))) {
      open ??= Math.max(start, t - gap);
      last = t;
    } else if (open !== undefined) {
      windows.push({
        start: open,
        end: last,
        reason: 'no samples: Prometheus was not scraping (down or restarting)',
      });
      open = undefined;
    }
  }
  if (open !== undefined)
    windows.push({
      start: open,
      end: Math.min(end, last),
      reason: 'no samples: Prometheus was not scraping (down or restarting)',
    });
  return windows;
}

/**
 * Writes each query's range over the test window to `<dir>/metrics/<name>.json` (MetricsExport),
 * with the PromQL used, the windows Prometheus has no data for, and its warnings. A query that
 * fails still gets a file, with the whole window marked missing and the reason.
 */
export async function exportQueries(options: ExportOptions): Promise<ExportReport> {
  const start = toUnix(options.start);
  const end = toUnix(options.end);
  for (const q of options.queries) {
    if (!FILE_NAME.test(q.name)) {
      throw new MlperfError(
        'PROMQL_BAD_EXPORT_NAME',
        `query name ${JSON.stringify(q.name)} cannot be a file name`,
        {
          hint: 'use letters, digits, _, . and - (e.g. engine_tps)',
        },
      );
    }
  }
  const scrape = options.scrapeIntervalS ?? 1;
  const step = options.step ?? chooseStep(start, end, scrape);
  const metricsDir = join(options.dir, 'metrics');
  await mkdir(metricsDir, { recursive: true });
  const report: ExportReport = { exported: [], skipped: [], missing: [], step, files: [] };
  let unreachable: string | undefined;
  try {
    report.missing = await findMissingWindows(
      options.client,
      start,
      end,
      step,
      scrape,
      options.livenessSelector,
    );
  } catch (err) {
    if (isMlperfError(err) && (err.code === 'PROMETHEUS_UNREACHABLE' || err.code === 'PROMETHEUS_TIMEOUT'))
      unreachable = err.message;
  }
  for (const q of options.queries) {
    const file: MetricsExport = {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      name: q.name,
      query: q.promql,
      ...(q.description ? { description: q.description } : {}),
      ...(q.unit ? { unit: q.unit } : {}),
      start,
      end,
      step,
      source: options.source ?? 'prometheus',
      resultType: 'matrix',
      result: [],
    };
    let failure = unreachable && `Prometheus unreachable at export: ${unreachable}`;
    if (!failure) {
      try {
        const res = await retryOnce(() => options.client.queryRange(q.promql, { start, end, step }));
        file.result = res.data;
        const notes = [...res.warnings, ...res.infos.map((i) => `info: ${i}`)];
        if (notes.length > 0) file.warnings = notes;
      } catch (err) {
        failure = isMlperfError(err) ? `${err.code}: ${err.message}` : String(err);
        if (isMlperfError(err) && err.code === 'PROMETHEUS_UNREACHABLE') unreachable = err.message;
      }
    }
    if (failure) {
      file.missing = [{ start, end, reason: failure }];
      report.skipped.push({ name: q.name, reason: failure });
    } else {
      if (report.missing.length > 0) file.missing = report.missing;
      report.exported.push(q.name);
    }
    const path = join(metricsDir, `${q.name}.json`);
    await writeJsonAtomic(path, file);
    report.files.push(path);
  }
  return report;
}
