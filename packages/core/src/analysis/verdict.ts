import { ExitCode } from '../errors.js';
import type { CriterionStatus, Verdict } from './types.js';

/**
 * The one rule that turns statuses into a verdict, for a test (its criteria) and for a suite (its
 * tests): any fail -> fail; every one passed -> pass; otherwise (something could not be judged,
 * or there was nothing to judge) -> inconclusive. Missing evidence is never a pass.
 */
export function combineVerdicts(statuses: readonly (CriterionStatus | Verdict)[]): Verdict {
  if (statuses.some((s) => s === 'fail')) return 'fail';
  if (statuses.length > 0 && statuses.every((s) => s === 'pass')) return 'pass';
  return 'inconclusive';
}

/** The exit code of a verdict: 0 pass, 1 fail, 4 inconclusive. */
export function verdictExitCode(verdict: Verdict): ExitCode {
  if (verdict === 'pass') return ExitCode.ok;
  if (verdict === 'fail') return ExitCode.criteriaFailed;
  return ExitCode.inconclusive;
}
