import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalysisResult } from '@mlperf/core';
import { findK6 } from '@mlperf/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './_cli.js';

const k6 = findK6();
const dir = mkdtempSync(join(tmpdir(), 'mlperf-k6-files-'));
let server: Server | undefined;
afterAll(async () => {
  if (server) await new Promise<void>((r) => server?.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const ndjson = [join(dir, 'runner-0.ndjson'), join(dir, 'runner-1.ndjson.gz')];
const summaries = [join(dir, 'summary-0.json'), join(dir, 'summary-1.json')];
const THRESHOLD = 'http_req_duration{corridor:a->b}';

/** Two k6 runners in parallel against a loopback 202 server, each with NDJSON and a summary export. */
async function twoRunners(): Promise<void> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 202;
      res.end();
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/transfers`;
  const script = join(dir, 'script.js');
  writeFileSync(
    script,
    `import http from 'k6/http';
import { Rate, Trend } from 'k6/metrics';
const e2e = new Trend('transfer_e2e_duration', true);
const ok = new Rate('transfer_success');
export const options = {
  scenarios: { s: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '3s', preAllocatedVUs: 5, maxVUs: 20 } },
  thresholds: { '${THRESHOLD}': ['p(95)<0.0001'] },
};
export default function () {
  const t0 = Date.now();
  const r = http.post('${url}', '{}', { tags: { corridor: 'a->b' } });
  ok.add(r.status === 202, { corridor: 'a->b' });
  e2e.add(Date.now() - t0, { corridor: 'a->b' });
}
`,
  );
  const run = (i: number) =>
    new Promise<number>((resolve) => {
      const args = ['run', '--quiet', '--no-color', '--out', `json=${ndjson[i]}`];
      execFile(k6 as string, [...args, `--summary-export=${summaries[i]}`, script], (err) =>
        resolve(err ? Number((err as { code?: number }).code) : 0),
      );
    });
  // The submetric threshold no loopback request meets: k6 ends each run with exit 99.
  expect(await Promise.all([run(0), run(1)])).toEqual([99, 99]);
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
