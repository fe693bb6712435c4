import { formatHours, formatMoney } from './run-checks.js';
import type { CheckReport, CheckResult } from './types.js';

const ICON: Record<CheckResult['status'], string> = {
  pass: '\u2705',
  warn: '\u26a0\ufe0f ',
  fail: '\u274c',
  skip: '\u23ed\ufe0f ',
};

/** One check as the Phase-07 plan prints it: `✅ All services healthy: 1 of 1 healthy`. */
export function formatCheckLine(c: CheckResult, options: { numbers?: boolean } = {}): string[] {
  const lines = [`${ICON[c.status]} ${c.title}: ${c.reason}`];
  if (options.numbers && c.numbers.length > 0) {
    lines.push(`     ${c.numbers.map((n) => `${n.label} ${fmt(n.value, n.unit)}`).join(', ')}`);
  }
  if (c.hint && (c.status === 'fail' || c.status === 'warn')) lines.push(`     hint: ${c.hint}`);
  return lines;
}

/** The whole report, shaped like the Phase-07 plan's pre-test-check.sh output. */
export function formatCheckReport(report: CheckReport, options: { numbers?: boolean } = {}): string {
  const lines = ['System Ready Check', '=================='];
  for (const c of report.checks) lines.push(...formatCheckLine(c, options));
  return [...lines, ...formatCheckSummary(report)].join('\n');
}

/** The closing lines: estimated duration and cost, READY / NOT READY. */
export function formatCheckSummary(report: CheckReport): string[] {
  const lines = [''];
  const bound = report.estimate.upperBound ? 'at most ' : '';
  lines.push(`Estimated test duration: ${bound}${formatHours(report.estimate.durationMs)}`);
  if (report.estimate.cost) {
    lines.push(
      `Estimated cost: ${bound}${formatMoney(report.estimate.cost.total, report.estimate.cost.currency)}`,
    );
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  lines.push(
    report.status === 'fail'
      ? `NOT READY: ${failed} check${failed === 1 ? '' : 's'} failed`
      : `READY${warned > 0 ? ` with ${warned} warning${warned === 1 ? '' : 's'}` : ''}`,
  );
  return lines;
}

function fmt(v: number, unit?: string): string {
  if (unit === 'ratio') return `${(v * 100).toFixed(1)}%`;
  if (unit === undefined) return String(v);
  return `${v} ${unit}`;
}
