import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExitCode, MlperfError } from '@mlperf/core';
import { type K6SummaryImport, readK6Summary } from '@mlperf/core/k6';
import type { RunData } from '../model.js';
import type { K6InputKind } from './index.js';

/** The k6 files of one run, sorted by kind: NDJSON of each runner, and end-of-test summaries. */
export interface K6Inputs {
  ndjson: string[];
  summaries: string[];
}

/**
 * Sorts the files given for one k6 run. Several NDJSON files (the runners of a distributed run)
 * merge by time; summaries go with NDJSON (k6's own threshold verdicts, counts cross-checked). Two
 * summaries alone cannot be merged: their percentiles do not add up.
 */
export function sortK6Inputs(paths: string[], kindOf: (path: string) => K6InputKind): K6Inputs {
  const seen = new Set<string>();
  for (const p of paths) {
    const abs = resolve(p);
    if (seen.has(abs))
      throw new MlperfError('K6_INPUT_DUPLICATE', `${p}: given twice`, {
        hint: 'pass each k6 file once (each runner of a distributed run has its own file)',
        exitCode: ExitCode.badInput,
      });
    seen.add(abs);
  }
  const kinds = paths.map((p) => kindOf(p));
  const ndjson = paths.filter((_, i) => kinds[i] === 'ndjson');
  const summaries = paths.filter((_, i) => kinds[i] === 'summary');
  if (ndjson.length === 0 && summaries.length > 1)
    throw new MlperfError(
      'K6_SUMMARIES_NOT_MERGEABLE',
      `${summaries.join(', ')}: ${summaries.length} k6 summaries and no --out json NDJSON: summaries of parallel runners cannot be merged (their percentiles do not add up)`,
      {
        hint: "pass the runners' `k6 run --out json=<file>` NDJSON files (with their summaries if you like), or one summary",
        exitCode: ExitCode.badInput,
      },
    );
  return { ndjson, summaries };
}

/** A k6 summary file (--summary-export or handleSummary), read and checked; exit 2 when it is not JSON. */
export function readSummary(path: string): K6SummaryImport {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new MlperfError('K6_SUMMARY_INVALID', `${path}: not valid JSON (${(err as Error).message})`, {
      hint: 'pass the file k6 wrote with --summary-export or handleSummary',
      exitCode: ExitCode.badInput,
    });
  }
  return readK6Summary(json, path);
}

/**
 * Adds the summaries of the run the NDJSON came from: k6's own threshold verdicts replace the ones
 * re-evaluated from the points (k6 judged submetrics too), checks come from the points. A summary
 * whose iteration count differs from the NDJSON's is another run: refused, unless the NDJSON is
 * damaged (then the difference is what was lost, and said).
 */
export function addSummaries(data: RunData, paths: string[]): void {
  if (paths.length === 0) return;
  const summaries = paths.map(readSummary);
  const inSummaries = summaries.reduce((a, s) => a + s.started, 0);
  const inPoints = data.timeseries.reduce((a, r) => a + r.started, 0);
  if (inSummaries !== inPoints) {
    const what = `${paths.join(', ')} count${paths.length > 1 ? '' : 's'} ${inSummaries} iterations, the NDJSON ${inPoints}`;
    if (!data.inputDamage?.length)
      throw new MlperfError('K6_INPUTS_MISMATCH', `${what}: not the same k6 run`, {
        hint: "pass the NDJSON and the summary of the same run (for a distributed run: every runner's files)",
        exitCode: ExitCode.badInput,
      });
    data.problems.push(`${what}: the difference was lost with the damaged input`);
  }
  const judged = summaries.flatMap((s) => s.thresholds);
  const key = (t: { metric: string; expression: string }) => `${t.metric}\u0000${t.expression}`;
  const byK6 = new Set(judged.map(key));
  data.k6Thresholds = [...(data.k6Thresholds ?? []).filter((t) => !byK6.has(key(t))), ...judged];
  data.problems.push(
    `k6 thresholds as k6 judged them, from ${paths.join(', ')}; per-second data from the NDJSON`,
  );
}
