import { existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import type { AnalysisResult, RunManifest, SuiteAnalysisResult, Verdict } from '@mlperf/core';
import { readResults } from '@mlperf/core';
import type { Chart } from '../charts/render.js';
import { scalingChart } from '../charts/suite-charts.js';
import { readAnalysisFile } from '../load.js';
import { type TuningStep, tuningSteps } from '../playbook.js';
import { prometheusGap } from './evidence.js';
import { type MeasuredView, measuredView } from './measured.js';
import { type SuiteEntryNote, suiteEntryNotes, suiteRunDirs } from './suite-dirs.js';
import { fmtDuration, fmtInt, fmtNumber, fmtPercent, fmtTime, fmtValue } from './format.js';

export interface SuiteTestRow {
  testId: string;
  testName: string;
  status: string;
  verdict: Verdict | 'not-run';
  dir?: string;
  href?: string;
  achieved: string;
  planned: string;
  transfers: string;
  expectedTransfers: string;
  successRate: string;
  expectedSuccess: string;
  p95: string;
  expectedP95: string;
  p99: string;
  duration: string;
  headline: string;
}

export interface SuiteView {
  title: string;
  suiteName: string;
  verdict: Verdict;
  verdictLabel: string;
  headline: string;
  missing: string[];
  criteria: { label: string; status: string; value: string; detail: string }[];
  tests: SuiteTestRow[];
  charts: Chart[];
  /** The scaling chart's test points, also shown as a table. */
  points: { label: string; offered: string; achieved: string }[];
  breakingPoint: string;
  findings: { title: string; subject?: string | undefined; severity: string; summary: string }[];
  steps: TuningStep[];
  /** What was measured, on what (from the tests' run.json). */
  measured?: MeasuredView;
  generatedAt: string;
}

const pct = (n?: number) => fmtPercent(n, 3);

function testRow(
  suiteDir: string,
  testId: string,
  dir: string | undefined,
  fallback: { testName: string; status: string; verdict: Verdict | 'not-run' },
  note: SuiteEntryNote | undefined,
): SuiteTestRow {
  let manifest: RunManifest | undefined;
  let a: AnalysisResult | undefined;
  if (dir) {
    manifest = readResults(dir).manifest;
    const read = readAnalysisFile(dir);
    if (read.analysis?.kind === 'test') a = read.analysis;
  }
  const exp = manifest?.definition.test.expected;
  const crit = (id: string) => a?.criteria.find((c) => c.id === id)?.value;
  const finished = a ? a.totals.succeeded + a.totals.failed : undefined;
  const row: SuiteTestRow = {
    testId,
    testName: manifest?.testName ?? fallback.testName,
    status: manifest?.status ?? note?.status ?? fallback.status,
    verdict: a?.verdict ?? fallback.verdict,
    achieved: fmtNumber(a?.achievedTps),
    planned: fmtNumber(a?.plannedTps),
    transfers: fmtInt(a?.totals.succeeded),
    expectedTransfers: fmtInt(exp?.transfers),
    successRate: pct(finished ? (a as AnalysisResult).totals.succeeded / finished : undefined),
    expectedSuccess:
      exp?.successRate === undefined ? '—' : exp.successRate >= 1 ? '100%' : `> ${pct(exp.successRate)}`,
    p95: fmtValue(crit('latency-p95'), 'ms'),
    expectedP95: exp?.p95Ms === undefined ? '—' : `< ${exp.p95Ms} ms`,
    p99: fmtValue(crit('latency-p99'), 'ms'),
    duration: fmtDuration(a?.totals.durationS),
    headline: a?.headline ?? (dir ? 'not analysed' : notRun(note)),
  };
  if (dir) {
    row.dir = dir;
    row.href = `${relative(suiteDir, dir).split('\\').join('/')}/analysis-report.html`;
  }
  return row;
}

function notRun(note: SuiteEntryNote | undefined): string {
  if (!note) return 'not run';
  const what = note.status === 'skipped' ? 'not run' : `not run (${note.status})`;
  return note.reason ? `${what}: ${note.reason}` : what;
}

/** Why a test has no results directory, for the "incomplete evidence" list; nothing when it was skipped on purpose. */
function missingRun(note: SuiteEntryNote | undefined): string | undefined {
  if (note?.status === 'skipped' || note?.status === 'pending') return undefined;
  if (!note) return 'no results directory';
  return `no results directory (${note.status}${note.reason ? `: ${note.reason}` : ''})`;
}

/** What a test that ran lacks: its Prometheus exports (and so which criteria are inconclusive). */
function evidenceGap(dir: string): string | undefined {
  const a = readAnalysisFile(dir).analysis;
  return prometheusGap(readResults(dir), a?.kind === 'test' ? a : undefined);
}

type ScalingPoint = { label: string; offered: number; achieved: number };

/** A test's point on the scaling chart: planned vs achieved; for a stress test its peak on the ramp. */
function scalingPoint(
  testId: string,
  a: AnalysisResult | SuiteAnalysisResult | undefined,
): ScalingPoint | undefined {
  if (a?.kind !== 'test') return undefined;
  if (a.stress) {
    const peak = [...a.stress.curve].sort((x, y) => y.achieved - x.achieved)[0];
    return peak ? { label: `${testId} (peak)`, offered: peak.offered, achieved: peak.achieved } : undefined;
  }
  return a.plannedTps && a.achievedTps !== undefined
    ? { label: testId, offered: a.plannedTps, achieved: a.achievedTps }
    : undefined;
}

function measuredOf(tests: SuiteTestRow[]): { measured?: MeasuredView } {
  const measured = measuredView(tests.flatMap((t) => (t.dir ? [readResults(t.dir).manifest] : [])));
  return measured ? { measured } : {};
}

/** Everything the suite, success and playbook pages show. */
export function buildSuiteView(suiteDir: string, options: { now?: Date } = {}): SuiteView {
  const read = readAnalysisFile(suiteDir);
  const analysis = read.analysis?.kind === 'suite' ? read.analysis : undefined;
  const missing: string[] = [];
  if (!analysis) missing.push(read.problem ?? 'analysis.json: not a suite analysis');
  const dirs = suiteRunDirs(suiteDir, analysis);
  const listed =
    analysis?.tests ??
    [...dirs.keys()].map((testId) => ({
      testId,
      testName: testId,
      runDir: null,
      status: 'unknown',
      verdict: 'inconclusive' as const,
    }));
  const notes = suiteEntryNotes(suiteDir);
  const tests = listed.map((t) => testRow(suiteDir, t.testId, dirs.get(t.testId), t, notes.get(t.testId)));
  for (const t of tests) {
    const m = t.dir ? evidenceGap(t.dir) : missingRun(notes.get(t.testId));
    if (m) missing.push(`${t.testId}: ${m}`);
  }
  const points = tests
    .map((t) => (t.dir ? scalingPoint(t.testId, readAnalysisFile(t.dir).analysis) : undefined))
    .filter((p): p is ScalingPoint => p !== undefined);
  const verdict = analysis?.verdict ?? 'inconclusive';
  const label = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' }[verdict];
  const testFindings = tests.flatMap((t) => {
    const a = t.dir ? readAnalysisFile(t.dir).analysis : undefined;
    return a?.kind === 'test' ? a.findings : [];
  });
  const seen = new Set<string>();
  // The suite's own findings when it has any, else the tests' (one per kind and subject).
  const findings = (analysis?.findings.length ? analysis.findings : testFindings).filter((f) => {
    const key = `${f.kind}|${f.subject ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    title: `${analysis?.suiteName ?? 'suite'}: ${label}`,
    suiteName: analysis?.suiteName ?? 'suite',
    verdict,
    verdictLabel: label,
    headline:
      analysis?.headline ??
      'Not analysed: the suite analysis.json is missing; per-test results are listed as found.',
    missing,
    criteria: (analysis?.criteria ?? []).map((c) => ({
      label: c.label,
      status: c.status,
      value: fmtValue(c.value, c.unit),
      detail: c.detail,
    })),
    tests,
    charts: [scalingChart(points, analysis?.scaling, analysis?.breakingPointTps)],
    points: points.map((p) => ({
      label: p.label,
      offered: fmtNumber(p.offered),
      achieved: fmtNumber(p.achieved),
    })),
    breakingPoint:
      analysis?.breakingPointTps === undefined
        ? 'not identified'
        : `${fmtNumber(analysis.breakingPointTps, 0)} TPS`,
    findings: findings.map((f) => ({
      title: f.title,
      subject: f.subject,
      severity: f.severity,
      summary: f.summary,
    })),
    steps: tuningSteps(findings),
    ...measuredOf(tests),
    generatedAt: fmtTime((options.now ?? new Date()).getTime()),
  };
}

export function hasDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}
