import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ExitCode,
  MlperfError,
  parseDuration,
  type SuiteDefinition,
  timeStages,
  totalDurationMs,
  writeFileAtomic,
} from '@mlperf/core';
import { progression } from './progression.js';
import { SUITE_RUN_SCHEMA_VERSION, type SuiteRunManifest, type SuiteRunOptions } from './types.js';

export const SUITE_FILE = 'suite.json';

/** `suite-20261127T083512Z`: sortable, unique per second. */
export function suiteDirName(at: Date = new Date()): string {
  return `suite-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}`;
}

export function isSuiteDirectory(dir: string): boolean {
  return existsSync(join(dir, SUITE_FILE));
}

export function writeSuiteManifest(dir: string, m: SuiteRunManifest): void {
  writeFileAtomic(join(dir, SUITE_FILE), `${JSON.stringify(m, null, 2)}\n`);
}

export function readSuiteManifest(dir: string): SuiteRunManifest {
  const path = join(dir, SUITE_FILE);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new MlperfError('SUITE_NOT_FOUND', `${dir}: no such suite directory`, {
      hint: 'pass the directory `mlperf suite run` printed, e.g. results/suite-20261127T083512Z',
    });
  }
  if (!existsSync(path)) {
    throw new MlperfError(
      'SUITE_INVALID',
      `${dir}: ${SUITE_FILE} is missing, so this is not a suite directory`,
      {
        hint: 'for a single test run use `mlperf monitor <results dir>`; to resume pass the suite directory',
      },
    );
  }
  let m: SuiteRunManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as SuiteRunManifest;
  } catch (err) {
    throw new MlperfError('SUITE_INVALID', `${path}: cannot be parsed (${(err as Error).message})`, {
      hint: 'the file was edited or damaged; start a new suite run',
    });
  }
  if (m.kind !== 'mlperf-suite' || !Array.isArray(m.tests) || !m.definition) {
    throw new MlperfError('SUITE_INVALID', `${path}: not an mlperf suite manifest`, {
      hint: 'the file must have "kind": "mlperf-suite"',
    });
  }
  if (m.schemaVersion !== SUITE_RUN_SCHEMA_VERSION) {
    throw new MlperfError(
      'SUITE_VERSION',
      `${path}: schema version ${m.schemaVersion}, this mlperf reads ${SUITE_RUN_SCHEMA_VERSION}`,
      {
        hint: 'resume it with the mlperf version that started it, or start a new suite run',
      },
    );
  }
  return m;
}

/** A fresh manifest for `suite` (profile already applied), in a new directory under `outDir`. */
export function createSuiteRun(
  suite: SuiteDefinition,
  options: Pick<SuiteRunOptions, 'outDir' | 'target' | 'continueOnFail' | 'force'>,
  now: Date,
): { dir: string; manifest: SuiteRunManifest } {
  const order = progression(suite);
  const suiteRunId = suiteDirName(now);
  const dir = join(options.outDir, suiteRunId);
  if (existsSync(dir)) {
    throw new MlperfError('SUITE_EXISTS', `${dir} already exists`, {
      hint: 'wait a second and run again, or resume it with --resume',
    });
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new MlperfError(
      'RESULTS_UNWRITABLE',
      `--out ${options.outDir}: cannot create ${dir}: ${(err as Error).message}`,
      {
        hint: 'choose a directory you can write to with --out',
        exitCode: ExitCode.badInput,
        cause: err,
      },
    );
  }
  const cooldownMs = suite.cooldownBetweenTests
    ? parseDuration(suite.cooldownBetweenTests, 'cooldownBetweenTests')
    : 0;
  const tests = order.map((t) => ({
    testId: t.id,
    name: t.name,
    kind: t.kind,
    ...(t.after ? { after: t.after } : {}),
    status: 'pending' as const,
    plannedDurationMs: plannedMs(t),
  }));
  const planned =
    tests.reduce((a, t) => a + t.plannedDurationMs, 0) + cooldownMs * Math.max(0, tests.length - 1);
  const at = now.toISOString();
  const manifest: SuiteRunManifest = {
    schemaVersion: SUITE_RUN_SCHEMA_VERSION,
    kind: 'mlperf-suite',
    suiteRunId,
    suiteName: suite.name,
    ...(suite.profile ? { profile: suite.profile } : {}),
    target: options.target,
    options: { continueOnFail: options.continueOnFail ?? false, force: options.force ?? false },
    status: 'running',
    progression: order.map((t) => t.id),
    tests,
    timings: { startedAt: at, updatedAt: at, plannedDurationMs: planned, cooldownMs, remainingMs: planned },
    resumes: 0,
    definition: suite,
  };
  writeSuiteManifest(dir, manifest);
  return { dir, manifest };
}

/** Planned length of a test: its stages (open ramps at their bound) plus recovery. */
export function plannedMs(t: SuiteDefinition['tests'][number]): number {
  let ms = totalDurationMs(timeStages(t.stages));
  if (!Number.isFinite(ms)) ms = 0;
  if (t.recovery) ms += parseDuration(t.recovery.duration, 'recovery.duration');
  return ms;
}
