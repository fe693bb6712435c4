import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { AnalysisResult, RunManifest, SuiteAnalysisResult, Verdict } from '@mlperf/core';
import { isResultsDirectory, readResults } from '@mlperf/core';
import type { Chart } from '../charts/render.js';
import { scalingChart } from '../charts/suite-charts.js';
import { readAnalysisFile } from '../load.js';
import { type TuningStep, tuningSteps } from '../playbook.js';
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
  breakingPoint: string;
  findings: { title: string; subject?: string | undefined; severity: string; summary: string }[];
  steps: TuningStep[];
  generatedAt: string;
}

/** The run directories of a suite directory: those analysis.json names, else every sub-directory with a run.json. */
export function suiteRunDirs(suiteDir: string, analysis?: SuiteAnalysisResult): Map<string, string> {
  const out = new Map<string, string>();
  if (analysis) {
    for (const t of analysis.tests) {
      if (!t.runDir) continue;
      const d = isAbsolute(t.runDir) ? t.runDir : join(suiteDir, t.runDir);
      if (isResultsDirectory(d)) out.set(t.testId, d);
    }
    return out;
  }
  for (const name of readdirSync(suiteDir).sort()) {
    const d = join(suiteDir, name);
    if (statSync(d).isDirectory() && isResultsDirectory(d)) {
      const m = readResults(d).manifest;
      out.set(m.testId, d);
    }
  }
  return out;
}

const pct = (n?: number) => fmtPercent(n, 3);

function testRow(
  suiteDir: string,
  testId: string,
  dir: string | undefined,
  fallback: { testName: string; status: string; verdict: Verdict | 'not-run' },
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
    status: manifest?.status ?? fallback.status,
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
    headline: a?.headline ?? (dir ? 'not analysed' : 'not run'),
  };
  if (dir) {
    row.dir = dir;
    row.href = `${relative(suiteDir, dir).split('\\').join('/')}/analysis-report.html`;
  }
  return row;
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
  const tests = listed.map((t) => testRow(suiteDir, t.testId, dirs.get(t.testId), t));
  for (const t of tests) if (!t.dir) missing.push(`${t.testId}: no results directory`);
  const points = tests
    .map((t) => {
      const a = t.dir ? readAnalysisFile(t.dir).analysis : undefined;
      return a?.kind === 'test' && a.plannedTps && a.achievedTps !== undefined && a.stress === undefined
        ? { label: t.testId, offered: a.plannedTps, achieved: a.achievedTps }
        : undefined;
    })
    .filter((p): p is { label: string; offered: number; achieved: number } => p !== undefined);
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
    generatedAt: fmtTime((options.now ?? new Date()).getTime()),
  };
}

export function hasDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}
