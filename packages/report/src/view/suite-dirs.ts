import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import type { SuiteAnalysisResult } from '@mlperf/core';
import { isResultsDirectory, readResults } from '@mlperf/core';

/**
 * Where a recorded run directory is now. Suites record it relative to the suite directory; older
 * ones stored it relative to the working directory of the run, or absolute. A run directory is
 * always a direct child of its suite directory, so a moved or extracted suite still finds its
 * runs by name, and a copy never points back at the original.
 */
export function resolveRunDir(suiteDir: string, recorded: string): string | undefined {
  const candidates = [
    ...(isAbsolute(recorded) ? [] : [join(suiteDir, recorded)]),
    join(suiteDir, basename(recorded)),
    ...(isAbsolute(recorded) ? [recorded] : []),
  ];
  return candidates.find((d) => isResultsDirectory(d));
}

/** The run directories of a suite directory: those analysis.json names, else every sub-directory with a run.json. */
export function suiteRunDirs(suiteDir: string, analysis?: SuiteAnalysisResult): Map<string, string> {
  const out = new Map<string, string>();
  if (analysis) {
    for (const t of analysis.tests) {
      const d = t.runDir ? resolveRunDir(suiteDir, t.runDir) : undefined;
      if (d) out.set(t.testId, d);
    }
    return out;
  }
  for (const name of readdirSync(suiteDir).sort()) {
    const d = join(suiteDir, name);
    if (statSync(d).isDirectory() && isResultsDirectory(d)) out.set(readResults(d).manifest.testId, d);
  }
  return out;
}

/** What suite.json says of one test, when the suite directory has one (it is written by `mlperf suite run`). */
export interface SuiteEntryNote {
  status: string;
  reason?: string;
}

/** Status and reason of each test from suite.json: why a test did not run (skipped, error...). */
export function suiteEntryNotes(suiteDir: string): Map<string, SuiteEntryNote> {
  const out = new Map<string, SuiteEntryNote>();
  const path = join(suiteDir, 'suite.json');
  if (!existsSync(path)) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return out;
  }
  const tests = (parsed as { tests?: unknown }).tests;
  if (!Array.isArray(tests)) return out;
  for (const t of tests as Record<string, unknown>[]) {
    if (typeof t?.testId !== 'string' || typeof t.status !== 'string') continue;
    out.set(t.testId, {
      status: t.status,
      ...(typeof t.reason === 'string' ? { reason: t.reason } : {}),
    });
  }
  return out;
}
