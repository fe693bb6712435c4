import type { K6SummaryImport } from '@mlperf/core/k6';
import type { RunData } from '../model.js';

/** A k6 summary in the internal model: whole-run aggregates; a statistic it lacks stays unknown. */
export function summaryData(s: K6SummaryImport, data: RunData, opts: { targetTps?: number }): RunData {
  const duration = s.durationS ?? 0;
  data.summary = {
    durationS: duration,
    started: s.started,
    succeeded: s.succeeded ?? 0,
    failed: s.failed ?? 0,
    dropped: s.dropped,
    achievedTps: s.succeeded !== undefined && duration > 0 ? s.succeeded / duration : Number.NaN,
    errorsByType: s.errorsByType,
    ...(s.succeeded === undefined ? { outcomesUnknown: true } : {}),
  };
  if (s.latency) data.summary.latency = s.latency;
  if (s.durationS !== undefined) data.durationS = s.durationS;
  data.k6Thresholds = s.thresholds;
  if (s.checks) data.k6Checks = s.checks;
  data.latencySource = `k6 ${s.latency?.source ?? 'http_req_duration'} (timed by the script or per HTTP request, from when it was sent; not corrected for coordinated omission)`;
  if (opts.targetTps) data.plannedTps = opts.targetTps;
  data.problems.push(
    `k6 ${s.shape}: whole-run aggregates only, so no steady-state window, trends or per-corridor figures (use --out json for those)`,
    ...s.notes,
  );
  if (s.checks?.fails)
    data.problems.push(`${s.checks.fails} of ${s.checks.passes + s.checks.fails} k6 checks failed`);
  return data;
}
