import { join, relative } from 'node:path';
import {
  combineVerdicts,
  ExitCode,
  isMlperfError,
  MlperfError,
  type SuiteDefinition,
  type Verdict,
  verdictExitCode,
  writeFileAtomic,
} from '@mlperf/core';
import { detectorFor, LiveWatch } from './live-watch.js';
import { createSuiteRun, readSuiteManifest, writeSuiteManifest } from './suite-file.js';
import type {
  SuitePhase,
  SuiteRunDeps,
  SuiteRunManifest,
  SuiteRunOptions,
  SuiteRunResult,
  SuiteTestEntry,
  TestAnalysis,
} from './types.js';

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

/** Passed the gate: ran to its end and no criterion failed (`inconclusive` lets the suite go on). */
export function passedGate(t: SuiteTestEntry): boolean {
  return t.status === 'completed' && t.verdict !== 'fail';
}

/**
 * The seed's run-full-suite.sh: reset -> check -> each test in progression order, gated on the
 * previous test's criteria, with a cool-down between tests -> suite analysis, report, package.
 * suite.json is rewritten at every step; Ctrl-C (options.signal) leaves the suite resumable.
 */
export async function runSuite(
  suite: SuiteDefinition | undefined,
  options: SuiteRunOptions,
  deps: SuiteRunDeps,
): Promise<SuiteRunResult> {
  const now = deps.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  const signal = options.signal ?? new AbortController().signal;
  const sleep = deps.sleep ?? abortableSleep;
  const emit = deps.onEvent ?? (() => {});

  let dir: string;
  let m: SuiteRunManifest;
  if (options.resume) {
    dir = options.resume;
    m = readSuiteManifest(dir);
    prepareResume(m, iso());
  } else {
    if (!suite)
      throw new MlperfError('SUITE_MISSING', 'no suite to run', {
        hint: 'pass a suite, or --resume <suite dir>',
      });
    ({ dir, manifest: m } = createSuiteRun(suite, options, new Date(now())));
  }
  const def = m.definition;
  const continueOnFail = options.continueOnFail ?? m.options.continueOnFail;
  const force = options.force ?? m.options.force;
  m.options = { continueOnFail, force };

  const save = () => {
    m.timings.updatedAt = iso();
    m.timings.remainingMs = remainingMs(m, now());
    writeSuiteManifest(dir, m);
  };
  const phase = (p: SuitePhase, testId?: string, until?: number) => {
    m.current = {
      phase: p,
      since: iso(),
      ...(testId ? { testId } : {}),
      ...(until ? { until: new Date(until).toISOString() } : {}),
    };
    save();
    emit({ kind: 'phase', phase: p, ...(testId ? { testId } : {}) });
  };
  const finish = (
    status: SuiteRunManifest['status'],
    reason: string | undefined,
    exitCode: SuiteRunResult['exitCode'],
  ) => {
    m.status = status;
    if (reason) m.statusReason = reason;
    else delete m.statusReason;
    delete m.current;
    m.timings.endedAt = iso();
    save();
    return { suiteDir: dir, manifest: m, exitCode };
  };
  save();

  if (signal.aborted) return finish('interrupted', interruptedReason(dir), ExitCode.criteriaFailed);
  phase('reset');
  await deps.reset(def);

  if (!options.skipCheck) {
    phase('check');
    const report = await deps.check(def);
    writeFileAtomic(join(dir, 'check.json'), `${JSON.stringify(report, null, 2)}\n`);
    m.check = {
      status: report.status,
      exitCode: report.exitCode,
      failed: report.checks.filter((c) => c.status === 'fail').map((c) => `${c.title}: ${c.reason}`),
      warned: report.checks.filter((c) => c.status === 'warn').map((c) => `${c.title}: ${c.reason}`),
    };
    save();
    emit({ kind: 'check', report });
    if (report.status === 'fail') {
      if (!force) {
        return finish(
          'check-failed',
          `the pre-test check failed (${m.check.failed.length} failed), so no load was started; fix them or run with --force`,
          report.exitCode === 3 ? ExitCode.unavailable : ExitCode.criteriaFailed,
        );
      }
      emit({ kind: 'note', message: 'the pre-test check failed; going on because of --force' });
    }
  }

  let stopReason: string | undefined;
  let errorExit: SuiteRunResult['exitCode'] | undefined;
  let interrupted = false;
  let ranOne = false;
  for (const [index, entry] of m.tests.entries()) {
    if (signal.aborted) {
      interrupted = true;
      break;
    }
    if (passedGate(entry) && entry.runDir) {
      emit({
        kind: 'note',
        message: `${entry.name}: already completed (${entry.verdict ?? 'no verdict'}), skipped on resume`,
      });
      continue;
    }
    const dep = entry.after ? m.tests.find((t) => t.testId === entry.after) : undefined;
    const gate =
      stopReason ??
      (dep && !continueOnFail && !passedGate(dep) ? `runs after ${dep.name}, which did not pass` : undefined);
    if (gate) {
      entry.status = 'skipped';
      entry.reason = gate;
      save();
      emit({ kind: 'test-skip', test: entry });
      continue;
    }
    const test = def.tests.find((t) => t.id === entry.testId);
    if (!test)
      throw new MlperfError('SUITE_INVALID', `suite.json: test "${entry.testId}" is not in its definition`);
    if (ranOne && m.timings.cooldownMs > 0) {
      phase('cooldown', entry.testId, now() + m.timings.cooldownMs);
      await sleep(m.timings.cooldownMs, signal);
      if (signal.aborted) {
        interrupted = true;
        break;
      }
    }
    ranOne = true;

    if (entry.runDir || entry.status !== 'pending') archiveAttempt(entry);
    entry.status = 'running';
    entry.startedAt = iso();
    delete entry.endedAt;
    delete entry.durationMs;
    phase('test', entry.testId);
    emit({ kind: 'test-start', test: entry, index, count: m.tests.length });
    const watch = new LiveWatch(
      detectorFor(test, entry.plannedDurationMs),
      (issue) => {
        entry.liveIssues = [...(entry.liveIssues ?? []), issue];
        save();
        emit({ kind: 'live-issue', testId: entry.testId, issue });
      },
      deps.explainIssue ? (issue) => deps.explainIssue!(issue, join(dir, entry.runDir ?? '')) : undefined,
      options.pollMs,
    );
    let runDir: string | undefined;
    try {
      const outcome = await deps.runTest({
        suite: def,
        test,
        suiteDir: dir,
        suiteRunId: m.suiteRunId,
        signal,
        onStart: (d) => {
          runDir = d;
          entry.runDir = relative(dir, d);
          save();
          watch.start(d);
        },
      });
      runDir = outcome.runDir;
      entry.runDir = relative(dir, outcome.runDir);
      entry.runStatus = outcome.status;
      entry.status = outcome.status === 'completed' ? 'completed' : 'aborted';
      if (outcome.reason) entry.reason = outcome.reason;
    } catch (err) {
      entry.status = 'error';
      entry.reason = isMlperfError(err) ? err.format() : (err as Error).message;
      errorExit =
        isMlperfError(err) && err.exitCode !== ExitCode.ok
          ? (err.exitCode as SuiteRunResult['exitCode'])
          : ExitCode.unavailable;
    } finally {
      await watch.stop();
      entry.endedAt = iso();
      entry.durationMs = Date.parse(entry.endedAt) - Date.parse(entry.startedAt);
      save();
    }
    if (signal.aborted) {
      if (entry.status !== 'error') entry.status = 'aborted';
      entry.reason = 'interrupted (Ctrl-C)';
      emit({ kind: 'test-end', test: entry });
      interrupted = true;
      break;
    }
    if (runDir && entry.status !== 'error') {
      phase('analysis', entry.testId);
      await analyse(entry, runDir, dir, deps);
    }
    save();
    emit({ kind: 'test-end', test: entry });
    if (!continueOnFail && !stopReason) {
      if (entry.status === 'error') stopReason = `${entry.name} could not run: ${entry.reason}`;
      else if (entry.status === 'aborted')
        stopReason = `${entry.name} ended ${entry.runStatus}${entry.reason ? `: ${entry.reason}` : ''}`;
      else if (entry.verdict === 'fail') stopReason = `${entry.name} failed its criteria (gate)`;
    }
  }

  if (interrupted) return finish('interrupted', interruptedReason(dir), ExitCode.criteriaFailed);

  let verdict: Verdict = suiteVerdict(m);
  if (deps.analyzeSuite) {
    phase('analysis');
    try {
      const a = await deps.analyzeSuite(dir);
      verdict = a.verdict;
      m.headline = a.headline;
      m.analysis = 'analysis.json';
    } catch (err) {
      emit({ kind: 'note', message: `suite analysis failed: ${(err as Error).message}` });
    }
  }
  m.verdict = verdict;
  await artefact('report', deps.reportSuite, (p) => {
    m.report = relative(dir, p);
  });
  await artefact('package', deps.packageSuite, (p) => {
    m.package = relative(dir, p);
  });

  const failedRun = m.tests.some((t) => t.status === 'error' || t.status === 'aborted');
  const status = stopReason || failedRun ? 'failed' : 'completed';
  const exitCode =
    errorExit ?? (stopReason || failedRun ? ExitCode.criteriaFailed : verdictExitCode(verdict));
  return finish(status, stopReason, exitCode);

  async function artefact(
    p: SuitePhase,
    fn: ((d: string) => Promise<string>) | undefined,
    set: (path: string) => void,
  ) {
    if (!fn) return;
    phase(p);
    try {
      set(await fn(dir));
    } catch (err) {
      emit({
        kind: 'note',
        message: `suite ${p} failed: ${isMlperfError(err) ? err.format() : (err as Error).message}`,
      });
    }
  }
}

async function analyse(
  entry: SuiteTestEntry,
  runDir: string,
  suiteDir: string,
  deps: SuiteRunDeps,
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
    ...(f.fix?.seedScript ? { seedScript: f.fix.seedScript } : {}),
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

/** The suite rule on the manifest (when no suite analysis is wired): a test that did not complete fails it. */
export function suiteVerdict(m: SuiteRunManifest): Verdict {
  return combineVerdicts(
    m.tests.map((t) => (t.status !== 'completed' ? 'fail' : (t.verdict ?? 'inconclusive'))),
  );
}

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

function prepareResume(m: SuiteRunManifest, at: string): void {
  // a crashed process leaves "running" here: its running test is re-run like an interrupted one
  m.status = 'running';
  m.resumes += 1;
  for (const k of [
    'statusReason',
    'verdict',
    'headline',
    'report',
    'analysis',
    'package',
    'current',
  ] as const)
    delete m[k];
  delete m.timings.endedAt;
  m.timings.updatedAt = at;
  for (const t of m.tests) {
    if (t.status === 'skipped') {
      t.status = 'pending';
      delete t.reason;
    }
  }
}

function interruptedReason(dir: string): string {
  return `interrupted (Ctrl-C); resume with: mlperf suite run --resume ${dir}`;
}

/** Planned time still ahead: pending tests, the rest of the running one, and their cool-downs. */
export function remainingMs(m: SuiteRunManifest, nowMs: number): number {
  let ms = 0;
  let ahead = 0;
  for (const t of m.tests) {
    if (t.status === 'pending') {
      ms += t.plannedDurationMs;
      ahead++;
    } else if (t.status === 'running' && t.startedAt) {
      ms += Math.max(0, t.plannedDurationMs - (nowMs - Date.parse(t.startedAt)));
    }
  }
  return ms + ahead * m.timings.cooldownMs;
}
