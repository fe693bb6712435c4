import type { RunTestResult } from '@mlperf/scenarios';

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** What `mlperf run` prints when the test ends, before its verdict: outcome, totals, k6 thresholds. */
export function runSummary(testId: string, r: RunTestResult): string[] {
  const t = r.totals;
  const failed = Object.values(t.failed).reduce((a, b) => a + b, 0);
  const lines = [
    `${testId}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`,
    `  results: ${r.dir}`,
    `  transfers: ${int(t.offered)} offered, ${int(t.started)} started, ${int(t.succeeded)} committed, ${int(failed)} failed, ${int(t.dropped)} dropped${t.unfinished ? `, ${int(t.unfinished)} unfinished` : ''}`,
  ];
  const byType = Object.entries(t.failed).sort((a, b) => b[1] - a[1]);
  if (byType.length) lines.push(`  errors by type: ${byType.map(([k, v]) => `${k} ${int(v)}`).join(', ')}`);
  const lk = t.lookups;
  if (lk && lk.sent + lk.skipped > 0)
    lines.push(
      `  timeouts looked up (GET /transfers/{id}): ${int(lk.sent)}: ${int(lk.committed)} committed, ${int(lk.failed)} failed, ${int(lk.timedOut)} still timed out${lk.skipped ? `, ${int(lk.skipped)} not looked up (too many waiting)` : ''}`,
    );
  if (r.stop)
    lines.push(
      `  breaking point: stop rule fired at ${int(r.stop.rate)} TPS after ${r.stop.atS.toFixed(1)} s: ${r.stop.reason}`,
    );
  if (r.thresholds.length)
    lines.push('  k6 thresholds (whole run as k6 computes them; information, not the verdict):');
  for (const th of r.thresholds) {
    lines.push(
      `    ${th.ok ? 'held' : 'crossed'}: ${th.metric} ${th.expression} (actual ${th.actual === undefined ? 'no data' : Number(th.actual.toFixed(3))})`,
    );
  }
  lines.push(
    `  engine: p99 scheduling lag ${r.engine.schedulingLagP99Ms.toFixed(1)} ms, ${r.engine.cpuSeconds.toFixed(1)} CPU s, peak RSS ${(r.engine.peakRssBytes / 1048576).toFixed(0)} MiB`,
  );
  return lines;
}
