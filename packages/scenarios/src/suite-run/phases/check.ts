import { join } from 'node:path';
import { ExitCode, writeFileAtomic } from '@mlperf/core';
import type { SuiteSession } from '../session.js';
import type { SuiteRunOptions, SuiteRunResult } from '../types.js';

/**
 * Before any load: reset the DFSP positions, then the pre-test check (check.json). Returns the
 * suite's result when a failed check stops it (no --force), else undefined: go on.
 */
export async function resetAndCheck(
  s: SuiteSession,
  options: Pick<SuiteRunOptions, 'skipCheck'>,
): Promise<SuiteRunResult | undefined> {
  const m = s.m;
  s.phase('reset');
  await s.deps.reset(m.definition);
  if (options.skipCheck) return undefined;

  s.phase('check');
  const report = await s.deps.check(m.definition);
  writeFileAtomic(join(s.dir, 'check.json'), `${JSON.stringify(report, null, 2)}\n`);
  const titled = (status: string) =>
    report.checks.filter((c) => c.status === status).map((c) => `${c.title}: ${c.reason}`);
  m.check = {
    status: report.status,
    exitCode: report.exitCode,
    failed: titled('fail'),
    warned: titled('warn'),
  };
  s.save();
  s.emit({ kind: 'check', report });
  if (report.status !== 'fail') return undefined;
  if (m.options.force) {
    s.emit({ kind: 'note', message: 'the pre-test check failed; going on because of --force' });
    return undefined;
  }
  return s.finish(
    'check-failed',
    `the pre-test check failed (${m.check.failed.length} failed), so no load was started; fix them or run with --force`,
    report.exitCode === 3 ? ExitCode.unavailable : ExitCode.criteriaFailed,
  );
}
