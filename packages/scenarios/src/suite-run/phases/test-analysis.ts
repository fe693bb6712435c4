import { relative } from 'node:path';
import { isMlperfError } from '@mlperf/core';
import type { SuiteRunDeps, SuiteTestEntry, TestAnalysis } from '../types.js';

/** The per-test phase after a run: analysis.json (verdict, failed criteria, findings) and its report. */
export async function analyseTest(
  entry: SuiteTestEntry,
  runDir: string,
  suiteDir: string,
  deps: Pick<SuiteRunDeps, 'analyzeRun' | 'reportRun'>,
): Promise<void> {
  let a: TestAnalysis;
  try {
    a = await deps.analyzeRun(runDir);
  } catch (err) {
    entry.verdict = 'inconclusive';
    entry.reason = `analysis failed: ${isMlperfError(err) ? err.format() : (err as Error).message}`;
    return;
  }
  entry.verdict = a.verdict;
  entry.headline = a.headline;
  entry.failedCriteria = a.criteria
    .filter((c) => c.status === 'fail')
    .map(
      (c) => `${c.label}${c.value !== undefined ? `: ${round(c.value)}${c.unit ? ` ${c.unit}` : ''}` : ''}`,
    );
  entry.findings = a.findings.slice(0, 5).map((f) => ({
    kind: f.kind,
    title: f.title,
    severity: f.severity,
    ...(f.subject ? { subject: f.subject } : {}),
    ...(f.fix?.action ? { fix: f.fix.action } : {}),
    ...(f.fix?.runbookScript ? { runbookScript: f.fix.runbookScript } : {}),
  }));
  if (deps.reportRun) {
    try {
      entry.report = relative(suiteDir, await deps.reportRun(runDir));
    } catch (err) {
      entry.reason = `report failed: ${(err as Error).message}`;
    }
  }
}

function round(v: number): number {
  return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 1000) / 1000;
}
