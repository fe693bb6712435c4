import type { SuiteRunManifest, SuiteTestEntry } from '../types.js';

/** Passed the gate: ran to its end and no criterion failed (an inconclusive verdict lets the suite go on). */
export function passedGate(t: SuiteTestEntry): boolean {
  return t.status === 'completed' && t.verdict !== 'fail';
}

/** Why `entry` may not run: the suite was stopped, or the test it runs after did not pass. */
export function gateReason(
  m: SuiteRunManifest,
  entry: SuiteTestEntry,
  stopReason: string | undefined,
  continueOnFail: boolean,
): string | undefined {
  if (stopReason) return stopReason;
  const dep = entry.after ? m.tests.find((t) => t.testId === entry.after) : undefined;
  return dep && !continueOnFail && !passedGate(dep)
    ? `runs after ${dep.name}, which did not pass`
    : undefined;
}

/** Why the suite stops after this test (it could not run, ended early, or failed its criteria). */
export function stopReasonAfter(entry: SuiteTestEntry): string | undefined {
  if (entry.status === 'error') return `${entry.name} could not run: ${entry.reason}`;
  if (entry.status === 'aborted')
    return `${entry.name} ended ${entry.runStatus}${entry.reason ? `: ${entry.reason}` : ''}`;
  if (entry.verdict === 'fail') return `${entry.name} failed its criteria (gate)`;
  return undefined;
}
