import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { AnalysisResult } from '@mlperf/core';
import { ExitCode, MlperfError } from '@mlperf/core';
import { importK6Ndjson } from '@mlperf/core/k6';
import { type AnalyzeOptions, analyzeData } from '../analyze.js';
import type { RunData } from '../model.js';
import { addSummaries, readSummary, sortK6Inputs } from './inputs.js';
import { summaryData } from './summary-data.js';

export type K6InputKind = 'summary' | 'ndjson';

function notFound(path: string): MlperfError {
  return new MlperfError('K6_INPUT_NOT_FOUND', `${path}: no such file`, {
    hint: 'pass a k6 --summary-export JSON, a handleSummary JSON or a --out json NDJSON(.gz) file',
    exitCode: ExitCode.badInput,
  });
}

/** Tells a k6 summary (one JSON object) from `--out json` NDJSON (plain or .gz). */
export function detectK6Input(path: string): K6InputKind {
  if (!existsSync(path) || !statSync(path).isFile()) throw notFound(path);
  if (/\.(gz|ndjson|jsonl)$/.test(path)) return 'ndjson';
  const head = readFileSync(path, { encoding: 'latin1', flag: 'r' }).slice(0, 4096);
  if (head.charCodeAt(0) === 0x1f && head.charCodeAt(1) === 0x8b) return 'ndjson';
  const firstLine = head.split('\n', 1)[0] ?? '';
  return /^\{"(type|metric)":/.test(firstLine) && firstLine.endsWith('}') ? 'ndjson' : 'summary';
}

export function baseData(origin: string, source: RunData['source']): RunData {
  const name = basename(origin).replace(/\.(gz|json|ndjson|jsonl)$/g, '');
  return {
    source,
    origin,
    runId: name,
    testId: 'k6',
    testName: `k6 run (${basename(origin)})`,
    status: 'completed',
    dfsps: [],
    corridors: [],
    stages: [],
    startMs: 0,
    timeseries: [],
    metrics: {},
    problems: [],
  };
}

/** The internal model of a k6 summary (no per-second data: criteria over the whole run, no steady state). */
export function k6SummaryData(path: string, opts: { targetTps?: number } = {}): RunData {
  return summaryData(readSummary(path), baseData(path, 'k6-summary'), opts);
}

/**
 * The internal model of k6 `--out json` NDJSON: one file, or the files of parallel runners merged
 * by time; per second of transfer start; damaged gzip read up to the damage (said in `problems`).
 */
export async function k6NdjsonData(
  paths: string | string[],
  opts: { targetTps?: number } = {},
): Promise<RunData> {
  const list = Array.isArray(paths) ? paths : [paths];
  const imp = await importK6Ndjson(list);
  const data = baseData(list.join(', '), 'k6-ndjson');
  if (imp.records.length === 0) {
    throw new MlperfError(
      'K6_NDJSON_EMPTY',
      `${data.origin}: no k6 iterations or transfer points in ${imp.lines} lines`,
      {
        hint: imp.damage.length
          ? `the file is damaged: ${imp.damage.join('; ')}`
          : 'pass the file written by `k6 run --out json=<file>`',
        exitCode: ExitCode.badInput,
      },
    );
  }
  data.timeseries = imp.records;
  data.startMs = imp.startMs;
  data.durationS = imp.durationS;
  if (opts.targetTps) data.plannedTps = opts.targetTps;
  data.k6Thresholds = imp.thresholds;
  data.k6Checks = imp.checks;
  data.latencySource = imp.latencySource;
  if (imp.damage.length) data.inputDamage = imp.damage;
  data.problems.push(
    ...imp.damage.map((d) => `input damaged, analysed what could be read: ${d}`),
    ...imp.problems,
    `k6 NDJSON: transfers counted in the second they started; latency from ${imp.latencySource}; outcomes from ${imp.outcomeSource ?? 'nothing (unknown)'}; offered rate estimated as started + dropped iterations per second`,
  );
  // Corridors come from the points' tags; their planned weights are unknown, so none are claimed.
  return data;
}

/**
 * Analyzes real k6 output the same way as an mlperf run: one summary, or the NDJSON of one or
 * several runners (merged by time) with their summaries if given (k6's own threshold verdicts).
 */
export async function analyzeK6(
  paths: string | string[],
  opts: AnalyzeOptions = {},
): Promise<AnalysisResult> {
  const list = Array.isArray(paths) ? paths : [paths];
  if (list.length === 0) throw notFound('(no file)');
  const { ndjson, summaries } = sortK6Inputs(list, detectK6Input);
  const first = summaries[0];
  if (ndjson.length === 0 && first !== undefined) return analyzeData(k6SummaryData(first, opts), opts);
  const data = await k6NdjsonData(ndjson, opts);
  addSummaries(data, summaries);
  return analyzeData(data, opts);
}
