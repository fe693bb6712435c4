import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult, ResultsDirectory, SuiteAnalysisResult } from '@mlperf/core';
import { ANALYSIS_SCHEMA_VERSION, ExitCode, MlperfError, readResults } from '@mlperf/core';
import * as v from 'valibot';

/** What a test report is built from: the results directory and, when present, its analysis.json. */
export interface TestReportInput {
  results: ResultsDirectory;
  analysis?: AnalysisResult;
  /** Why analysis.json is not used (missing, damaged, other schema). */
  analysisProblem?: string;
}

/** Reads analysis.json of a directory; undefined plus a reason when it is absent or unusable. */
export function readAnalysisFile(dir: string): {
  analysis?: AnalysisResult | SuiteAnalysisResult;
  problem?: string;
} {
  const path = join(dir, 'analysis.json');
  if (!existsSync(path)) return { problem: 'analysis.json: missing (run `mlperf analyze` to produce it)' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return { problem: `analysis.json: cannot be parsed (${(err as Error).message})` };
  }
  if (!isObject(parsed) || (parsed.kind !== 'test' && parsed.kind !== 'suite')) {
    return { problem: 'analysis.json: not an mlperf analysis (needs "kind": "test" or "suite")' };
  }
  if (parsed.schemaVersion !== ANALYSIS_SCHEMA_VERSION) {
    return {
      problem: `analysis.json: schema version ${String(parsed.schemaVersion)}, this report knows ${ANALYSIS_SCHEMA_VERSION}`,
    };
  }
  const checked = v.safeParse(parsed.kind === 'test' ? TEST_ANALYSIS : SUITE_ANALYSIS, parsed);
  if (!checked.success) {
    const i = checked.issues[0];
    const where = i?.path?.map((p) => String(p.key)).join('.') ?? '';
    return { problem: `analysis.json: ${where ? `${where}: ` : ''}${i?.message ?? 'invalid'}` };
  }
  return { analysis: parsed as unknown as AnalysisResult | SuiteAnalysisResult };
}

const text = v.string();
const list = <T extends v.GenericSchema>(item: T) => v.array(item);
const FINDINGS = list(
  v.looseObject({
    title: text,
    summary: text,
    severity: text,
    evidence: list(v.looseObject({ values: v.array(v.unknown()) })),
  }),
);
const CRITERIA = list(v.looseObject({ label: text, status: text }));
/** The shape a report relies on; analysis.json that breaks it is set aside like a missing one. */
const TEST_ANALYSIS = v.looseObject({
  verdict: text,
  headline: text,
  criteria: CRITERIA,
  keyMetrics: list(v.looseObject({ label: text, unit: text })),
  findings: FINDINGS,
  corridors: list(v.looseObject({ corridor: text })),
  errorsByType: v.record(v.string(), v.number()),
  totals: v.looseObject({}),
  missing: list(text),
});
const SUITE_ANALYSIS = v.looseObject({
  verdict: text,
  headline: text,
  criteria: CRITERIA,
  tests: list(v.looseObject({ testId: text })),
  findings: FINDINGS,
});

/** Loads a test results directory for the report. Only a missing or invalid run.json is fatal. */
export function loadTestReportInput(dir: string): TestReportInput {
  const results = readResults(dir);
  const { analysis, problem } = readAnalysisFile(dir);
  if (analysis && analysis.kind !== 'test') {
    throw new MlperfError(
      'REPORT_ANALYSIS_MISMATCH',
      `${join(dir, 'analysis.json')}: is a suite analysis inside a test run`,
      {
        hint: 'delete it and run `mlperf analyze` on the test directory again',
        exitCode: ExitCode.badInput,
      },
    );
  }
  const input: TestReportInput = { results };
  if (analysis) input.analysis = analysis;
  if (problem) input.analysisProblem = problem;
  return input;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
