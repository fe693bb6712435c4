import { MlperfError } from '@mlperf/core';
import type { SuiteSession } from '../session.js';
import type { SuiteRunResult, SuiteTestEntry } from '../types.js';
import { gateReason, passedGate, stopReasonAfter } from './gate.js';
import { runOneTest } from './run-test.js';
import { analyseTest } from './test-analysis.js';

/** How the progression ended: why it stopped early, an exit code from a test that could not run, Ctrl-C. */
export interface ProgressionOutcome {
  stopReason?: string;
  errorExit?: SuiteRunResult['exitCode'];
  interrupted: boolean;
}

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * The gated progression: each test in run order, skipped when the test it runs after did not pass
 * (unless --continue-on-fail) or the suite stopped, a cool-down between tests, and after each run
 * its analysis and report. Tests already completed (resume) are not run again.
 */
export async function runProgression(s: SuiteSession): Promise<ProgressionOutcome> {
  const out: ProgressionOutcome = { interrupted: false };
  let ranOne = false;
  for (const [index, entry] of s.m.tests.entries()) {
    if (s.signal.aborted) return { ...out, interrupted: true };
    if (passedGate(entry) && entry.runDir) {
      const verdict = entry.verdict ?? 'no verdict';
      s.emit({ kind: 'note', message: `${entry.name}: already completed (${verdict}), skipped on resume` });
      continue;
    }
    const gate = gateReason(s.m, entry, out.stopReason, s.continueOnFail);
    if (gate) {
      skip(s, entry, gate);
      continue;
    }
    if (ranOne && !(await cooldown(s, entry))) return { ...out, interrupted: true };
    ranOne = true;
    const ran = await runAndAnalyse(s, entry, index);
    if (ran.errorExit !== undefined) out.errorExit = ran.errorExit;
    if (ran.interrupted) return { ...out, interrupted: true };
    if (!s.continueOnFail) out.stopReason ??= stopReasonAfter(entry);
  }
  return out;
}

function skip(s: SuiteSession, entry: SuiteTestEntry, reason: string): void {
  entry.status = 'skipped';
  entry.reason = reason;
  s.save();
  s.emit({ kind: 'test-skip', test: entry });
}

/** The cool-down before a test; false when Ctrl-C ended it. */
async function cooldown(s: SuiteSession, entry: SuiteTestEntry): Promise<boolean> {
  const ms = s.m.timings.cooldownMs;
  if (ms <= 0) return true;
  s.phase('cooldown', entry.testId, s.now() + ms);
  await (s.deps.sleep ?? abortableSleep)(ms, s.signal);
  return !s.signal.aborted;
}

async function runAndAnalyse(
  s: SuiteSession,
  entry: SuiteTestEntry,
  index: number,
): Promise<{ errorExit?: SuiteRunResult['exitCode']; interrupted: boolean }> {
  const test = s.m.definition.tests.find((t) => t.id === entry.testId);
  if (!test)
    throw new MlperfError('SUITE_INVALID', `suite.json: test "${entry.testId}" is not in its definition`);
  const { runDir, errorExit } = await runOneTest(s, entry, test, index);
  const errored = errorExit !== undefined ? { errorExit } : {};
  if (s.signal.aborted) {
    if (entry.status !== 'error') entry.status = 'aborted';
    entry.reason = 'interrupted (Ctrl-C)';
    s.emit({ kind: 'test-end', test: entry });
    return { ...errored, interrupted: true };
  }
  if (runDir && entry.status !== 'error') {
    s.phase('analysis', entry.testId);
    await analyseTest(entry, runDir, s.dir, s.deps);
  }
  s.save();
  s.emit({ kind: 'test-end', test: entry });
  return { ...errored, interrupted: false };
}
