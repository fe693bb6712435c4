import { ExitCode, type SuiteDefinition } from '@mlperf/core';
import { resetAndCheck } from './phases/check.js';
import { analyseSuite, conclude, writeArtefacts } from './phases/conclude.js';
import { runProgression } from './phases/gated.js';
import { openSession } from './session.js';
import type { SuiteRunDeps, SuiteRunOptions, SuiteRunResult } from './types.js';

export { passedGate } from './phases/gate.js';
export { suiteVerdict } from './phases/conclude.js';
export { remainingMs } from './session.js';

/**
 * The Phase-07 plan's run-full-suite.sh, phase by phase: open (new or resumed) -> reset and check -> the
 * gated progression (each test, its analysis and report, cool-downs) -> suite analysis -> the end
 * (status, exit code) -> report and package, which hold the final suite.json. suite.json is
 * rewritten at every step; Ctrl-C (options.signal) leaves it resumable.
 */
export async function runSuite(
  suite: SuiteDefinition | undefined,
  options: SuiteRunOptions,
  deps: SuiteRunDeps,
): Promise<SuiteRunResult> {
  const s = openSession(suite, options, deps);
  s.save();
  if (s.signal.aborted) return s.finish('interrupted', s.interruptedReason(), ExitCode.criteriaFailed);
  const stopped = await resetAndCheck(s, options);
  if (stopped) return stopped;
  const progression = await runProgression(s);
  if (progression.interrupted) return s.finish('interrupted', s.interruptedReason(), ExitCode.criteriaFailed);
  const verdict = await analyseSuite(s);
  const result = conclude(s, progression, verdict);
  await writeArtefacts(s);
  return result;
}
