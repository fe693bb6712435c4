import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisResult } from '@mlperf/core';
import { findK6 } from '@mlperf/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './_cli.js';
import { twoK6Runners } from './_k6-runners.js';

const k6 = findK6();
const dir = mkdtempSync(join(tmpdir(), 'mlperf-k6-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const THRESHOLD = 'http_req_duration{corridor:a->b}';
let ndjson: string[] = [];
let summaries: string[] = [];

/** Two k6 runners in parallel against a loopback 202 server, each with NDJSON and a summary export. */
async function twoRunners(): Promise<void> {
  const r = await twoK6Runners(k6 as string, dir, THRESHOLD);
  ({ ndjson, summaries } = r);
  // The submetric threshold no loopback request meets: k6 ends each run with exit 99.
  expect(r.codes).toEqual([99, 99]);
}

const analysisOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as AnalysisResult;

describe.skipIf(!k6)(
  `mlperf analyze with several files of the real k6 (${k6 ?? 'skipped: no k6 binary; set MLPERF_K6 or put k6 on PATH'})`,
  () => {
    beforeAll(twoRunners, 120_000);

    it('NDJSON of two runners plus their summaries: merged by time, k6 own threshold verdict read (exit 1)', async () => {
      const alone = await cli('analyze', ...ndjson, '--target-tps', '80', '--out', join(dir, 'alone.json'));
      const both = await cli('analyze', ...ndjson, ...summaries, '--target-tps', '80');
      expect(both.code).toBe(1);
      expect(both.stdout).toContain(`wrote ${join(dir, 'analysis.json')}`);
      const a = analysisOf(join(dir, 'analysis.json'));
      const s = summaries.map((f) => JSON.parse(readFileSync(f, 'utf8')).metrics.iterations.count as number);
      expect(a.totals.started).toBe((s[0] as number) + (s[1] as number));
      const judged = a.k6Thresholds?.find((t) => t.metric === THRESHOLD);
      expect(judged?.ok).toBe(false);
      expect(a.verdict).toBe('fail');
      // Without the summaries the submetric's threshold cannot be judged from the points.
      const noSummary = analysisOf(join(dir, 'alone.json'));
      expect(noSummary.totals.started).toBe(a.totals.started);
      expect(noSummary.k6Thresholds?.find((t) => t.metric === THRESHOLD)?.ok).not.toBe(false);
      expect(alone.code).not.toBe(2);
    }, 60_000);

    it('refuses inputs that do not make one run, with exit 2 and what to pass instead', async () => {
      const twoSummaries = await cli('analyze', ...summaries);
      expect(twoSummaries.code).toBe(2);
      expect(twoSummaries.stderr).toMatch(/summaries of parallel runners cannot be merged/);
      const otherRun = await cli('analyze', ...ndjson, summaries[0] as string);
      expect(otherRun.code).toBe(2);
      expect(otherRun.stderr).toMatch(
        /summary-0\.json counts \d+ iterations, the NDJSON \d+: not the same k6 run/,
      );
      const twice = await cli('analyze', ndjson[0] as string, ndjson[0] as string);
      expect(twice.code).toBe(2);
      expect(twice.stderr).toMatch(/runner-0\.ndjson: given twice/);
      const mixed = await cli('analyze', dir, ndjson[0] as string);
      expect(mixed.code).toBe(2);
      expect(mixed.stderr).toMatch(/a directory among 2 inputs/);
      const missing = await cli('analyze', ndjson[0] as string, join(dir, 'nope.json'));
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/nope\.json: no such file or directory/);
    }, 60_000);
  },
);
