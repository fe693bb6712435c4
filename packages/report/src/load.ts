import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisResult, ResultsDirectory, SuiteAnalysisResult } from '@mlperf/core';
import { ANALYSIS_SCHEMA_VERSION, ExitCode, MlperfError, readResults } from '@mlperf/core';

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
  const required = parsed.kind === 'test' ? TEST_FIELDS : SUITE_FIELDS;
  const absent = required.filter((f) => !(f in parsed));
  if (absent.length > 0) return { problem: `analysis.json: fields missing: ${absent.join(', ')}` };
  return { analysis: parsed as unknown as AnalysisResult | SuiteAnalysisResult };
}

const TEST_FIELDS = [
  'verdict',
  'headline',
  'criteria',
  'keyMetrics',
  'findings',
  'corridors',
  'errorsByType',
  'totals',
  'missing',
];
const SUITE_FIELDS = ['verdict', 'headline', 'criteria', 'tests', 'findings'];

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
