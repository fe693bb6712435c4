import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultsWriter, type TimeseriesRecord } from '@mlperf/core';
import type { CheckReport } from '../../src/check/types.js';
import type { RunTestArgs, RunTestOutcome, TestAnalysis } from '../../src/suite-run/types.js';

export function tempDir(): { dir: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mlperf-suite-'));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

export function checkReport(
  status: CheckReport['status'],
  exitCode: CheckReport['exitCode'] = 0,
): CheckReport {
  return {
    schemaVersion: 1,
    kind: 'mlperf-check',
    at: new Date().toISOString(),
    suiteName: 's',
    target: { kind: 'embedded' },
    status,
    exitCode,
    checks: [
      {
        id: 'services-healthy',
        title: 'All services healthy',
        status: status === 'fail' ? 'fail' : 'pass',
        reason: status === 'fail' ? 'hub unreachable at http://127.0.0.1:1/health' : '1 of 1 healthy',
        numbers: [],
        durationMs: 1,
      },
    ],
    estimate: { durationMs: 1000, upperBound: false },
  };
}

export function second(
  s: number,
  offered: number,
  succeeded: number,
  failed: Record<string, number> = {},
): TimeseriesRecord {
  return {
    t: 1_800_000_000_000 + s * 1000,
    s,
    stage: 0,
    offeredRate: offered,
    offered,
    started: offered,
    dropped: 0,
    succeeded,
    failed,
    inFlight: 10,
    latency: {},
    corridors: {},
  };
}

/** A stand-in for the engine: writes a real results directory with the given seconds. */
export function fakeEngine(seconds: (testId: string) => TimeseriesRecord[], opts: { delayMs?: number } = {}) {
  const calls: string[] = [];
  const runTest = async (a: RunTestArgs): Promise<RunTestOutcome> => {
    calls.push(a.test.id);
    const w = ResultsWriter.create(
      a.suiteDir,
      {
        runId: `${a.test.id}-run`,
        testId: a.test.id,
        testName: a.test.name,
        suiteRunId: a.suiteRunId,
        definition: {
          test: a.test,
          dfsps: a.suite.dfsps,
          corridors: a.suite.corridors,
          transfer: a.suite.transfer,
        },
        target: { kind: 'embedded', url: 'http://127.0.0.1:1' },
        executor: { kind: 'local' },
        versions: {},
        host: { hostname: 'h', platform: 'linux', cpus: 2, memoryBytes: 1 },
      },
      { minFreeBytes: 0, dirName: `${a.test.id}-${calls.length}` },
    );
    a.onStart(w.dir);
    for (const r of seconds(a.test.id)) {
      if (a.signal.aborted) break;
      w.appendSecond(r);
      if (opts.delayMs) await new Promise((res) => setTimeout(res, opts.delayMs));
    }
    const status = a.signal.aborted ? 'aborted' : 'completed';
    w.finish(status, a.signal.aborted ? { reason: 'interrupted' } : {});
    return { runDir: w.dir, status };
  };
  return { runTest, calls };
}

export function analysis(verdict: TestAnalysis['verdict'], extra: Partial<TestAnalysis> = {}): TestAnalysis {
  return { verdict, headline: `verdict ${verdict}`, findings: [], criteria: [], ...extra };
}
