import { relative } from 'node:path';
import { combineVerdicts, ExitCode, isMlperfError, type Verdict, verdictExitCode } from '@mlperf/core';
import type { SuiteSession } from '../session.js';
import type { SuitePhase, SuiteRunManifest, SuiteRunResult } from '../types.js';
import type { ProgressionOutcome } from './gated.js';

/** The suite rule on the manifest (when no suite analysis is wired): a test that did not complete fails it. */
export function suiteVerdict(m: SuiteRunManifest): Verdict {
  return combineVerdicts(
    m.tests.map((t) => (t.status !== 'completed' ? 'fail' : (t.verdict ?? 'inconclusive'))),
  );
}

/** The suite analysis phase: analysis.json of the suite directory, its verdict and headline. */
export async function analyseSuite(s: SuiteSession): Promise<Verdict> {
  let verdict = suiteVerdict(s.m);
  if (s.deps.analyzeSuite) {
    s.phase('analysis');
    try {
      const a = await s.deps.analyzeSuite(s.dir);
      verdict = a.verdict;
      s.m.headline = a.headline;
      s.m.analysis = 'analysis.json';
    } catch (err) {
      s.emit({ kind: 'note', message: `suite analysis failed: ${(err as Error).message}` });
    }
  }
  s.m.verdict = verdict;
  return verdict;
}

/** The report and package phases, after the suite ended: each writes one file, recorded relative to the suite directory. */
export async function writeArtefacts(s: SuiteSession): Promise<void> {
  await artefact(s, 'report', s.deps.reportSuite, (p) => {
    s.m.report = p;
  });
  await artefact(s, 'package', s.deps.packageSuite, (p) => {
    s.m.package = p;
  });
}

async function artefact(
  s: SuiteSession,
  p: SuitePhase,
  fn: ((d: string) => Promise<string>) | undefined,
  set: (path: string) => void,
): Promise<void> {
  if (!fn) return;
  // the suite has ended (suite.json says how): the phase is told, not recorded, so the package
  // holds the final suite.json
  s.emit({ kind: 'phase', phase: p });
  try {
    set(relative(s.dir, await fn(s.dir)));
    s.save();
  } catch (err) {
    const why = isMlperfError(err) ? err.format() : (err as Error).message;
    s.emit({ kind: 'note', message: `suite ${p} failed: ${why}` });
  }
}

/** The suite's status and exit code from how the progression ended and the suite verdict. */
export function conclude(s: SuiteSession, p: ProgressionOutcome, verdict: Verdict): SuiteRunResult {
  const failedRun = s.m.tests.some((t) => t.status === 'error' || t.status === 'aborted');
  const status = p.stopReason || failedRun ? 'failed' : 'completed';
  const exitCode =
    p.errorExit ?? (p.stopReason || failedRun ? ExitCode.criteriaFailed : verdictExitCode(verdict));
  return s.finish(status, p.stopReason, exitCode);
}
