import { ExitCode, MlperfError } from '@mlperf/core';
import { SUMMARY_BEGIN, SUMMARY_END } from './script.js';

/** The object k6 passes to `handleSummary(data)` (the parts mlperf reads). */
export interface K6HandleSummary {
  root_group: K6HandleGroup;
  options?: Record<string, unknown>;
  state?: { testRunDurationMs?: number; [k: string]: unknown };
  metrics: Record<
    string,
    {
      type: 'counter' | 'gauge' | 'rate' | 'trend';
      contains?: string;
      values: Record<string, number>;
      thresholds?: Record<string, { ok: boolean }>;
    }
  >;
}

interface K6HandleGroup {
  name: string;
  path: string;
  id: string;
  groups: K6HandleGroup[];
  checks: { name: string; path: string; id: string; passes: number; fails: number }[];
}

/** `k6 run --summary-export` format: flat values per metric; a threshold is `true` when it FAILED. */
export interface K6SummaryExport {
  root_group: K6ExportGroup;
  metrics: Record<string, Record<string, number | Record<string, boolean>>>;
}

interface K6ExportGroup {
  name: string;
  path: string;
  id: string;
  groups: Record<string, K6ExportGroup>;
  checks: Record<string, { name: string; path: string; id: string; passes: number; fails: number }>;
}

/** Every summary JSON a log holds between the handleSummary markers (one per k6 process). */
export function extractSummaries(log: string, source = 'log'): K6HandleSummary[] {
  const found: K6HandleSummary[] = [];
  let from = 0;
  for (;;) {
    const begin = log.indexOf(SUMMARY_BEGIN, from);
    if (begin < 0) break;
    const end = log.indexOf(SUMMARY_END, begin);
    if (end < 0) {
      throw new MlperfError('K6_SUMMARY_TRUNCATED', `${source}: the k6 summary starts but never ends`, {
        hint: 'the runner was killed while printing its summary; see the log in logs/',
        exitCode: ExitCode.unavailable,
      });
    }
    const text = log.slice(begin + SUMMARY_BEGIN.length, end).trim();
    try {
      found.push(JSON.parse(text) as K6HandleSummary);
    } catch (err) {
      throw new MlperfError(
        'K6_SUMMARY_INVALID',
        `${source}: the k6 summary between the markers is not JSON`,
        {
          hint: 'the log was interleaved or cut; see the log in logs/',
          exitCode: ExitCode.unavailable,
          cause: err,
        },
      );
    }
    from = end + SUMMARY_END.length;
  }
  return found;
}

function exportGroup(g: K6HandleGroup): K6ExportGroup {
  return {
    name: g.name,
    path: g.path,
    id: g.id,
    groups: Object.fromEntries(g.groups.map((sub) => [sub.name, exportGroup(sub)])),
    checks: Object.fromEntries(g.checks.map((c) => [c.name, { ...c }])),
  };
}

/** Converts handleSummary data to the `--summary-export` format mlperf keeps as k6-summary.json. */
export function toSummaryExport(data: K6HandleSummary): K6SummaryExport {
  const metrics: K6SummaryExport['metrics'] = {};
  for (const [name, m] of Object.entries(data.metrics)) {
    const out: Record<string, number | Record<string, boolean>> = {};
    if (m.type === 'rate') {
      out.passes = m.values.passes ?? 0;
      out.fails = m.values.fails ?? 0;
      out.value = m.values.rate ?? 0;
    } else {
      Object.assign(out, m.values);
    }
    if (m.thresholds) {
      out.thresholds = Object.fromEntries(Object.entries(m.thresholds).map(([expr, t]) => [expr, !t.ok]));
    }
    metrics[name] = out;
  }
  return { root_group: exportGroup(data.root_group), metrics };
}
