import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { AnalysisResult } from '@mlperf/core';
import { ExitCode, MlperfError } from '@mlperf/core';
import { type AnalyzeOptions, analyzeData } from '../analyze.js';
import type { RunData } from '../model.js';
import { readK6Ndjson } from './ndjson.js';
import { summaryAggregates } from './summary.js';

export type K6InputKind = 'summary' | 'ndjson';

/** Tells a k6 summary (one JSON object) from `--out json` NDJSON (plain or .gz). */
export function detectK6Input(path: string): K6InputKind {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new MlperfError('K6_INPUT_NOT_FOUND', `${path}: no such file`, {
      hint: 'pass a k6 --summary-export JSON, a handleSummary JSON or a --out json NDJSON(.gz) file',
      exitCode: ExitCode.badInput,
    });
  }
  if (path.endsWith('.gz') || path.endsWith('.ndjson') || path.endsWith('.jsonl')) return 'ndjson';
  const fd = readFileSync(path, { encoding: 'utf8', flag: 'r' }).slice(0, 4096);
  const firstLine = fd.split('\n', 1)[0] ?? '';
  return /^\{"(type|metric)":/.test(firstLine) && firstLine.endsWith('}') ? 'ndjson' : 'summary';
}

function baseData(path: string, source: RunData['source']): RunData {
  const name = basename(path).replace(/\.(gz|json|ndjson|jsonl)$/g, '');
  return {
    source,
    origin: path,
    runId: name,
    testId: 'k6',
    testName: `k6 run (${basename(path)})`,
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
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new MlperfError('K6_SUMMARY_INVALID', `${path}: not valid JSON (${(err as Error).message})`, {
      hint: 'pass the file k6 wrote with --summary-export or handleSummary',
      exitCode: ExitCode.badInput,
    });
  }
  const { agg, thresholds, shape, notes } = summaryAggregates(json, path);
  const data = baseData(path, 'k6-summary');
  data.summary = agg;
  data.k6Thresholds = thresholds;
  if (opts.targetTps) data.plannedTps = opts.targetTps;
  data.problems.push(
    `k6 ${shape}: whole-run aggregates only, so no steady-state window, trends or per-corridor figures (use --out json for those)`,
    ...notes,
  );
  return data;
}

/** The internal model of k6 `--out json` NDJSON, streamed in bounded memory into per-second records. */
export async function k6NdjsonData(path: string, opts: { targetTps?: number } = {}): Promise<RunData> {
  const reader = await readK6Ndjson(path);
  const records = reader.finish();
  const data = baseData(path, 'k6-ndjson');
  data.timeseries = records;
  data.startMs = records[0]?.t ?? 0;
  if (opts.targetTps) data.plannedTps = opts.targetTps;
  if (records.length === 0) {
    throw new MlperfError('K6_NDJSON_EMPTY', `${path}: no k6 data points found in ${reader.lines} lines`, {
      hint: 'pass the file written by `k6 run --out json=<file>`',
      exitCode: ExitCode.badInput,
    });
  }
  data.problems.push(
    ...reader.problems,
    `k6 NDJSON: latency from ${reader.latencyMetric}, success from ${reader.successSource}; offered rate estimated as started + dropped iterations per second`,
  );
  const corridorNames = new Set(records.flatMap((r) => Object.keys(r.corridors)));
  data.corridors = [...corridorNames].map((name) => {
    const [payer = name, payee = name] = name.split('->');
    return { payer, payee, weight: 0, name };
  });
  return data;
}

/** Analyzes real k6 output the same way as an mlperf run. */
export async function analyzeK6(path: string, opts: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const kind = detectK6Input(path);
  const data = kind === 'ndjson' ? await k6NdjsonData(path, opts) : k6SummaryData(path, opts);
  return analyzeData(data, opts);
}
