import { MlperfError, type SuiteDefinition } from '@mlperf/core';
import { createSuiteRun, readSuiteManifest, writeSuiteManifest } from './suite-file.js';
import type {
  SuiteEvent,
  SuitePhase,
  SuiteRunDeps,
  SuiteRunManifest,
  SuiteRunOptions,
  SuiteRunResult,
} from './types.js';

/**
 * One suite run in progress: its directory, its suite.json (rewritten at every step so a monitor
 * and --resume see a consistent picture) and the injected dependencies. Each phase takes it.
 */
export class SuiteSession {
  readonly signal: AbortSignal;
  readonly continueOnFail: boolean;
  /** Seconds between live-issue polls of the running test. */
  readonly pollMs: number | undefined;
  private readonly clock: () => number;

  constructor(
    readonly dir: string,
    readonly m: SuiteRunManifest,
    readonly deps: SuiteRunDeps,
    options: Pick<SuiteRunOptions, 'signal' | 'continueOnFail' | 'force' | 'pollMs'>,
  ) {
    this.clock = deps.now ?? Date.now;
    this.signal = options.signal ?? new AbortController().signal;
    this.pollMs = options.pollMs;
    this.continueOnFail = options.continueOnFail ?? m.options.continueOnFail;
    m.options = { continueOnFail: this.continueOnFail, force: options.force ?? m.options.force };
  }

  now(): number {
    return this.clock();
  }

  iso(): string {
    return new Date(this.clock()).toISOString();
  }

  emit(e: SuiteEvent): void {
    this.deps.onEvent?.(e);
  }

  save(): void {
    this.m.timings.updatedAt = this.iso();
    this.m.timings.remainingMs = remainingMs(this.m, this.clock());
    writeSuiteManifest(this.dir, this.m);
  }

  /** Enters a phase: noted in suite.json (`current`) and told to the caller. */
  phase(p: SuitePhase, testId?: string, until?: number): void {
    this.m.current = {
      phase: p,
      since: this.iso(),
      ...(testId ? { testId } : {}),
      ...(until ? { until: new Date(until).toISOString() } : {}),
    };
    this.save();
    this.emit({ kind: 'phase', phase: p, ...(testId ? { testId } : {}) });
  }

  /** Ends the run with a status, the reason for it and the exit code. */
  finish(
    status: SuiteRunManifest['status'],
    reason: string | undefined,
    exitCode: SuiteRunResult['exitCode'],
  ): SuiteRunResult {
    const m = this.m;
    m.status = status;
    if (reason) m.statusReason = reason;
    else delete m.statusReason;
    delete m.current;
    m.timings.endedAt = this.iso();
    this.save();
    return { suiteDir: this.dir, manifest: m, exitCode };
  }

  interruptedReason(): string {
    return `interrupted (Ctrl-C); resume with: mlperf suite run --resume ${this.dir}`;
  }
}

/** The resume phase: a new suite directory, or the one to resume with its unfinished tests reopened. */
export function openSession(
  suite: SuiteDefinition | undefined,
  options: SuiteRunOptions,
  deps: SuiteRunDeps,
): SuiteSession {
  const now = new Date((deps.now ?? Date.now)());
  if (options.resume) {
    const m = readSuiteManifest(options.resume);
    prepareResume(m, now.toISOString());
    return new SuiteSession(options.resume, m, deps, options);
  }
  if (!suite)
    throw new MlperfError('SUITE_MISSING', 'no suite to run', {
      hint: 'pass a suite, or --resume <suite dir>',
    });
  const { dir, manifest } = createSuiteRun(suite, options, now);
  return new SuiteSession(dir, manifest, deps, options);
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
