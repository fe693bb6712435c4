import { join } from 'node:path';
import type { AnalysisResult, ResultsDirectory } from '@mlperf/core';
import { readResults, writeFileAtomic } from '@mlperf/core';
import { type AnalyzeOptions, analyzeData } from './analyze.js';
import type { RunData } from './model.js';
import { addK6Evidence } from './k6/run-extras.js';

export interface AnalyzeRunOptions extends AnalyzeOptions {
  /** Write analysis.json into the directory (default true). */
  write?: boolean;
}

/** The internal model of an mlperf results directory (complete, aborted or truncated). */
export function runDataOf(r: ResultsDirectory): RunData {
  const m = r.manifest;
  const first = r.timeseries[0];
  const status = m.status === 'running' ? 'aborted' : m.status;
  const data: RunData = {
    source: 'mlperf',
    origin: r.dir,
    runId: m.runId,
    testId: m.testId,
    testName: m.testName,
    status,
    test: m.definition?.test,
    dfsps: m.definition?.dfsps ?? [],
    corridors: m.definition?.corridors ?? [],
    stages: m.stages ?? [],
    startMs: first ? first.t - first.s * 1000 : Date.parse(m.startedAt),
    timeseries: r.timeseries,
    metrics: r.metrics,
    problems: [...r.problems],
  };
  if (m.definition?.transfer) data.transfer = m.definition.transfer;
  if (m.definition?.bands) data.bands = m.definition.bands;
  if (m.totals) data.totals = m.totals;
  if (m.stopped) data.stopped = m.stopped;
  addK6Evidence(data, r);
  for (const s of m.metrics?.skipped ?? [])
    data.problems.push(`metrics/${s.name}: not exported (${s.reason})`);
  return data;
}

/** Reads a results directory, analyzes it and (by default) writes `analysis.json` beside run.json. */
export function analyzeRun(dir: string, opts: AnalyzeRunOptions = {}): AnalysisResult {
  const result = analyzeData(runDataOf(readResults(dir)), opts);
  if (opts.write !== false)
    writeFileAtomic(join(dir, 'analysis.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
