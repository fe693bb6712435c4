import type { ResultsDirectory } from '@mlperf/core';
import { readK6Summary } from '@mlperf/core/k6';
import type { RunData } from '../model.js';

/**
 * What a k6 or k6-operator results directory adds: the thresholds k6 evaluated (a run k6 ended
 * with exit 99 fails them), its checks, and what its latency measures.
 */
export function addK6Evidence(data: RunData, r: ResultsDirectory): void {
  const kind = r.manifest.executor?.kind;
  if ((kind !== 'k6' && kind !== 'k8s') || r.k6Summary === undefined) return;
  let s: ReturnType<typeof readK6Summary>;
  try {
    s = readK6Summary(r.k6Summary, `${r.dir}/k6-summary.json`);
  } catch {
    data.problems.push('k6-summary.json: not a k6 summary; k6 thresholds not read');
    return;
  }
  // Submetric thresholds the rendered scripts add only to get per-corridor figures stay out unless failed.
  data.k6Thresholds = s.thresholds.filter((t) => !t.metric.includes('{') || t.ok === false);
  if (s.checks) data.k6Checks = s.checks;
  data.latencySource =
    'end to end from the start of each k6 iteration (k6 starts them on the arrival-rate schedule while VUs are free; dropped iterations are counted, not timed) to the payer callback at the DFSP simulator';
}
