import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRun } from '@mlperf/testkit/runs';
import { cli } from './_cli.js';

let base: string;
let corrupt: string;
let clean: string;
const JUNK_LINES = ['null', '[1,2,3]', '{"t":"yesterday"}', '"text"', '7'];

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'mlperf-hostile-readers-'));
  clean = makeRun(base, { testId: 'clean', seconds: 30, tps: 100 });
  corrupt = makeRun(base, { testId: 'corrupt', seconds: 30, tps: 100 });
  const ts = join(corrupt, 'timeseries.ndjson');
  const lines = readFileSync(ts, 'utf8').trim().split('\n');
  const negative = { ...JSON.parse(lines[5] as string), s: 30, succeeded: -199_920 };
  appendFileSync(ts, `${[...JUNK_LINES, JSON.stringify(negative)].join('\n')}\n`);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const NO_CRASH = /INTERNAL|Cannot read|TypeError|at .*\.ts:\d+/;

describe('readers validate every record', () => {
  it('analyze skips null, arrays, wrong types and negative counts, and notes it in the analysis', async () => {
    const r = await cli('analyze', corrupt);
    expect(r.stderr).not.toMatch(NO_CRASH);
    expect([0, 1, 4]).toContain(r.code);
    expect(r.stdout).not.toContain('-199');
    const analysis = JSON.parse(readFileSync(join(corrupt, 'analysis.json'), 'utf8')) as {
      missing: string[];
    };
    const note = analysis.missing.find((m) => m.includes('invalid record(s) skipped'));
    expect(note).toMatch(
      /^timeseries\.ndjson: 6 invalid record\(s\) skipped \(line 31: .*; line 32: .*; line 33: t: /,
    );
  });

  it('report, compare and monitor read the same directory without crashing', async () => {
    for (const argv of [
      ['report', corrupt],
      ['compare', clean, corrupt],
      ['monitor', corrupt, '--once', '--plain'],
    ]) {
      const r = await cli(...argv);
      expect(r.stderr, argv.join(' ')).not.toMatch(NO_CRASH);
      expect([0, 1, 4], `${argv.join(' ')}: ${r.stderr}`).toContain(r.code);
      expect(r.stdout).not.toContain('-199');
    }
  });

  it('an unknown schemaVersion is refused with exit 2 and a hint', async () => {
    const dir = makeRun(base, { testId: 'future', seconds: 5, tps: 10 });
    const path = join(dir, 'run.json');
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), schemaVersion: 99 }));
    for (const cmd of ['analyze', 'report']) {
      const r = await cli(cmd, dir);
      expect(r.code, cmd).toBe(2);
      expect(r.stderr).toContain('RESULTS_SCHEMA_UNKNOWN');
      expect(r.stderr).toContain('schemaVersion 99');
      expect(r.stderr).toContain('hint: it was written by a newer mlperf: upgrade mlperf to read it');
    }
  });

  it('a run.json that is not an object, or lacks its fields, is exit 2 naming the field', async () => {
    const dir = makeRun(base, { testId: 'broken', seconds: 5, tps: 10 });
    const path = join(dir, 'run.json');
    const m = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...m, testId: 42 }));
    const r = await cli('analyze', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/RESULTS_INVALID: .*run\.json: testId: /);
    writeFileSync(path, 'null');
    expect((await cli('analyze', dir)).code).toBe(2);
  });

  it('report on an empty directory is an error, not a suite report', async () => {
    const empty = join(base, 'empty');
    mkdirSync(empty);
    const r = await cli('report', empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('RESULTS_INVALID');
    expect(r.stdout).not.toContain('verdict');
  });

  it('accepts the blocks newer writers add: host, k6, engine.workers and attribution', async () => {
    const dir = makeRun(base, { testId: 'newer', seconds: 20, tps: 100 });
    const path = join(dir, 'run.json');
    writeFileSync(
      path,
      JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), attribution: 'intended-start' }),
    );
    const ts = join(dir, 'timeseries.ndjson');
    const lines = readFileSync(ts, 'utf8').trim().split('\n');
    const newer = lines.map((l) => {
      const rec = JSON.parse(l);
      return JSON.stringify({
        ...rec,
        engine: { cpu: 0.2, rssBytes: 1e8, eventLoopLagP99Ms: 1, schedulingLagP99Ms: 1, workers: 2 },
        host: { cores: 2, busy: 0.4, iowait: 0, steal: 0 },
        k6: { droppedIterations: 0, vus: 10, vusMax: 100 },
      });
    });
    writeFileSync(ts, `${newer.join('\n')}\n`);
    const r = await cli('analyze', dir, '--json');
    expect(r.code, r.stderr).not.toBe(2);
    expect((JSON.parse(r.stdout) as { missing: string[] }).missing.join('\n')).not.toContain('invalid');
  });
});
