import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type NewRunManifest, readResults, ResultsWriter, type TimeseriesRecord } from '@mlperf/core';

const init: NewRunManifest = {
  runId: 'r1',
  testId: 'target-1000tps',
  testName: 'Target Test (1000 TPS)',
  definition: {
    test: { id: 'target-1000tps', name: 'Target', kind: 'target', stages: [{ kind: 'constant', rate: 1000, duration: '30s' }], criteria: [] },
    dfsps: [],
    corridors: [],
    transfer: { amount: '0.10', expiration: '30s' },
  },
  target: { kind: 'embedded', url: 'http://127.0.0.1:1' },
  executor: { kind: 'local' },
  versions: { mlperf: '0.1.0' },
  host: { hostname: 'h', platform: 'linux', cpus: 2, memoryBytes: 1 },
};

const second = (s: number): TimeseriesRecord => ({
  t: 1_700_000_000_000 + s * 1000,
  s,
  stage: 0,
  offeredRate: 1000,
  offered: 1000,
  started: 1000,
  dropped: 0,
  succeeded: 1000,
  failed: {},
  inFlight: 3,
  latency: {},
  corridors: {},
});

describe('results directory', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'mlperf-results-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('round-trips a complete run', () => {
    const w = ResultsWriter.create(tmp(), init, { dirName: 'run' });
    w.appendSecond(second(0));
    w.appendSecond(second(1));
    w.writeK6Summary({ metrics: {} });
    w.finish('completed', { totals: { offered: 2000, started: 2000, dropped: 0, succeeded: 2000, failed: {}, unfinished: 0 } });
    const r = readResults(w.dir);
    expect(r.manifest.status).toBe('completed');
    expect(r.timeseries.map((x) => x.s)).toEqual([0, 1]);
    expect(r.problems).toEqual([]);
  });

  it('accepts a directory truncated mid-line by a killed process and says what is missing', () => {
    const w = ResultsWriter.create(tmp(), init, { dirName: 'run' });
    w.appendSecond(second(0));
    const path = join(w.dir, 'timeseries.ndjson');
    writeFileSync(path, `${readFileSync(path, 'utf8')}{"t":17000000010`);
    const r = readResults(w.dir);
    expect(r.timeseries).toHaveLength(1);
    expect(r.problems).toEqual([
      'run.json: status is still "running": the run was interrupted (process killed?); treating it as aborted',
      'timeseries.ndjson: last line 2 is truncated (the run was interrupted mid-write); it was skipped',
      'k6-summary.json: missing (the run did not finish)',
    ]);
  });

  it('fails at start when --out cannot be written', () => {
    const base = tmp();
    chmodSync(base, 0o500);
    // root ignores permission bits; a file in the way is unwritable for everyone
    writeFileSync(join(base, 'blocked'), 'x');
    expect(() => ResultsWriter.create(join(base, 'blocked'), init)).toThrow(/RESULTS_UNWRITABLE|cannot create/);
    chmodSync(base, 0o700);
  });

  it('rejects a directory without run.json with a hint', () => {
    expect(() => readResults(tmp())).toThrow(/run.json is missing/);
  });
});
