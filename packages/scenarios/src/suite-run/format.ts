import { formatCheckLine } from '../check/format.js';
import type { LiveIssue } from '../monitor/live-issues.js';
import type { SuiteEvent, SuiteTestEntry } from './types.js';

const VERDICT_ICON: Record<string, string> = { pass: '\u2713', fail: '\u2717', inconclusive: '?' };

/** The lines `mlperf suite run` prints for one event (plain text, no colour). */
export function formatSuiteEvent(e: SuiteEvent): string[] {
  switch (e.kind) {
    case 'phase':
      if (e.phase === 'reset') return ['Resetting test data (DFSP positions to their initial state)'];
      if (e.phase === 'check') return ['Pre-test check'];
      if (e.phase === 'cooldown') return [`Cooling down before ${e.testId}`];
      if (e.phase === 'report') return ['Rendering the suite report'];
      if (e.phase === 'package') return ['Packaging the results'];
      return [];
    case 'check':
      return e.report.checks.map((c) => `  ${formatCheckLine(c)[0]}`);
    case 'test-start':
      return [
        `[${e.index + 1}/${e.count}] ${e.test.name}: running (planned ${seconds(e.test.plannedDurationMs)})`,
      ];
    case 'test-end':
      return testEnd(e.test);
    case 'test-skip':
      return [`  - ${e.test.name}: skipped (${e.test.reason})`];
    case 'live-issue':
      return formatLiveIssue(e.issue);
    case 'note':
      return [`  note: ${e.message}`];
  }
}

function testEnd(t: SuiteTestEntry): string[] {
  const icon = t.status === 'completed' ? (VERDICT_ICON[t.verdict ?? 'inconclusive'] ?? '?') : '\u2717';
  const what = t.status === 'completed' ? (t.verdict ?? 'not analysed') : t.status;
  const lines = [
    `  ${icon} ${t.name}: ${what}${t.headline ? ` - ${t.headline}` : ''}${t.reason ? ` (${t.reason})` : ''}`,
  ];
  for (const c of t.failedCriteria ?? []) lines.push(`      failed: ${c}`);
  for (const f of (t.findings ?? []).slice(0, 3)) {
    lines.push(
      `      finding: ${f.title}${f.subject ? ` [${f.subject}]` : ''}${f.fix ? ` -> ${f.fix}` : ''}${f.runbookScript ? ` (${f.runbookScript})` : ''}`,
    );
  }
  if (t.runDir) lines.push(`      results: ${t.runDir}`);
  return lines;
}

/** A live issue as the Phase-07 plan's "Common Issues During Testing" box: what, likely cause, what to do. */
export function formatLiveIssue(issue: LiveIssue): string[] {
  const lines = [`  ! ${issue.title} (${issue.severity}, at ${issue.s}s): ${issue.detail}`];
  for (const c of issue.causes ?? []) {
    lines.push(
      `      likely cause: ${c.title}${c.subject ? ` [${c.subject}]` : ''}${c.evidence ? ` - ${c.evidence}` : ''}`,
    );
    if (c.fix) lines.push(`        fix: ${c.fix}${c.runbookScript ? ` (${c.runbookScript})` : ''}`);
  }
  if (!issue.causes || issue.causes.length === 0) for (const a of issue.advice) lines.push(`      ${a}`);
  return lines;
}

function seconds(ms: number): string {
  if (ms >= 3_600_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  if (ms >= 120_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}
