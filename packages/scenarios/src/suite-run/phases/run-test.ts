import { join, relative } from 'node:path';
import { ExitCode, isMlperfError, type TestDefinition } from '@mlperf/core';
import { detectorFor, LiveWatch } from '../live-watch.js';
import type { SuiteSession } from '../session.js';
import type { SuiteRunResult, SuiteTestEntry } from '../types.js';

/** One test run: its results directory (when it got one) and the exit code when it could not run. */
export interface TestRunOutcome {
  runDir?: string;
  errorExit?: SuiteRunResult['exitCode'];
}

/** Runs one test of the progression, watched live; suite.json follows its status throughout. */
export async function runOneTest(
  s: SuiteSession,
  entry: SuiteTestEntry,
  test: TestDefinition,
  index: number,
): Promise<TestRunOutcome> {
  if (entry.runDir || entry.status !== 'pending') archiveAttempt(entry);
  entry.status = 'running';
  entry.startedAt = s.iso();
  delete entry.endedAt;
  delete entry.durationMs;
  s.phase('test', entry.testId);
  s.emit({ kind: 'test-start', test: entry, index, count: s.m.tests.length });
  const explain = s.deps.explainIssue;
  const watch = new LiveWatch(
    detectorFor(test, entry.plannedDurationMs),
    (issue) => {
      entry.liveIssues = [...(entry.liveIssues ?? []), issue];
      s.save();
      s.emit({ kind: 'live-issue', testId: entry.testId, issue });
    },
    explain ? (issue) => explain(issue, join(s.dir, entry.runDir ?? '')) : undefined,
    s.pollMs,
  );
  const out: TestRunOutcome = {};
  try {
    const outcome = await s.deps.runTest({
      suite: s.m.definition,
      test,
      suiteDir: s.dir,
      suiteRunId: s.m.suiteRunId,
      signal: s.signal,
      onStart: (d) => {
        out.runDir = d;
        entry.runDir = relative(s.dir, d);
        s.save();
        watch.start(d);
      },
    });
    out.runDir = outcome.runDir;
    entry.runDir = relative(s.dir, outcome.runDir);
    entry.runStatus = outcome.status;
    entry.status = outcome.status === 'completed' ? 'completed' : 'aborted';
    if (outcome.reason) entry.reason = outcome.reason;
  } catch (err) {
    entry.status = 'error';
    entry.reason = isMlperfError(err) ? err.format() : (err as Error).message;
    out.errorExit =
      isMlperfError(err) && err.exitCode !== ExitCode.ok
        ? (err.exitCode as SuiteRunResult['exitCode'])
        : ExitCode.unavailable;
  } finally {
    await watch.stop();
    entry.endedAt = s.iso();
    entry.durationMs = Date.parse(entry.endedAt) - Date.parse(entry.startedAt);
    s.save();
  }
  return out;
}

/** Keeps an earlier attempt of a re-run test (resume) and clears what it left on the entry. */
function archiveAttempt(entry: SuiteTestEntry): void {
  if (entry.runDir) {
    entry.attempts = [
      ...(entry.attempts ?? []),
      {
        runDir: entry.runDir,
        status: entry.status,
        ...(entry.verdict ? { verdict: entry.verdict } : {}),
        ...(entry.reason ? { reason: entry.reason } : {}),
      },
    ];
  }
  for (const k of [
    'runDir',
    'runStatus',
    'verdict',
    'headline',
    'findings',
    'failedCriteria',
    'report',
    'reason',
    'liveIssues',
  ] as const) {
    delete entry[k];
  }
}
