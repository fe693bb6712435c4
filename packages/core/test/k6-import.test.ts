import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { importK6Ndjson, readK6Summary } from '../src/k6/index.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/k6/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mlperf-k6-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixtureText = gunzipSync(readFileSync(`${FIXTURES}out.ndjson.gz`)).toString('utf8');
const total = (rs: { succeeded: number; started: number }[], k: 'succeeded' | 'started') =>
  rs.reduce((a, r) => a + r[k], 0);

const point = (metric: string, time: string, value: number, tags: Record<string, string> = {}) =>
  JSON.stringify({ metric, type: 'Point', data: { time, value, tags } });

describe('k6 NDJSON import', () => {
  it('reads the real fixture: counts, checks, thresholds re-evaluated as k6 did (exit 99)', async () => {
    const r = await importK6Ndjson(`${FIXTURES}out.ndjson.gz`);
    expect(total(r.records, 'started')).toBe(4999);
    expect(total(r.records, 'succeeded')).toBe(4948);
    expect(r.checks).toEqual({ passes: 4948, fails: 51 });
    const th = Object.fromEntries(r.thresholds.map((t) => [`${t.metric} ${t.expression}`, t.ok]));
    expect(th).toEqual({
      'http_req_failed rate<0.005': false,
      'transfer_success rate>0.995': false,
      'transfer_e2e_duration p(95)<300': true,
    });
    // The summary says 18.001 s of test run (with k6's start-up); the points span 17.8 s.
    expect(r.durationS).toBeGreaterThan(17);
    expect(r.durationS).toBeLessThan(18.001);
    expect(r.records[0]?.s).toBe(0);
    expect(r.damage).toEqual([]);
  });

  it('attributes each transfer to the second it started, reading time offsets', async () => {
    const lines = [
      // Ended 08:00:01.200Z after 400 ms: started in second 08:00:00. Written with a +01:00 offset.
      point('iteration_duration', '2026-11-27T09:00:01.2+01:00', 400),
      point('iterations', '2026-11-27T09:00:01.2+01:00', 1),
      point('http_req_duration', '2026-11-27T08:00:01.150Z', 350, { status: '202' }),
      point('http_req_failed', '2026-11-27T08:00:01.150Z', 0, { status: '202' }),
      point('iteration_duration', '2026-11-27T08:00:01.900000000Z', 100),
      point('iterations', '2026-11-27T08:00:01.900000000Z', 1),
      point('http_req_duration', '2026-11-27T08:00:01.850Z', 50, { status: '500' }),
      point('http_req_failed', '2026-11-27T08:00:01.850Z', 1, { status: '500' }),
    ];
    const path = join(dir, 'offsets.ndjson');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const r = await importK6Ndjson(path);
    expect(r.records.map((x) => [x.t, x.s, x.started, x.succeeded, x.failed])).toEqual([
      [Date.parse('2026-11-27T08:00:00Z'), 0, 1, 1, {}],
      [Date.parse('2026-11-27T08:00:01Z'), 1, 1, 0, { 'http:500': 1 }],
    ]);
    expect(r.durationS).toBe(1.1);
  });

  it('merges the files of parallel runners, and out-of-order concatenations, losing nothing', async () => {
    const one = await importK6Ndjson(`${FIXTURES}out.ndjson.gz`);
    const a = join(dir, 'a.ndjson');
    const b = join(dir, 'b.ndjson.gz');
    writeFileSync(a, fixtureText);
    writeFileSync(b, gzipSync(fixtureText));
    const merged = await importK6Ndjson([a, b]);
    expect(total(merged.records, 'succeeded')).toBe(2 * 4948);
    expect(merged.records.length).toBe(one.records.length);
    const e2eCount = (rs: typeof one.records) => rs.reduce((x, r) => x + (r.latency.e2e?.count ?? 0), 0);
    expect(e2eCount(merged.records)).toBe(2 * e2eCount(one.records));
    // Two runners' files concatenated: the second half arrives ~18 s late, still all counted.
    const cat = join(dir, 'cat.ndjson');
    writeFileSync(cat, fixtureText + fixtureText);
    const c = await importK6Ndjson(cat, { lagS: 2 });
    expect(c.latePoints).toBeGreaterThan(10_000);
    expect(total(c.records, 'succeeded')).toBe(2 * 4948);
    expect(e2eCount(c.records)).toBe(2 * e2eCount(one.records));
    const corridor = (rs: typeof one.records) =>
      rs.reduce((x, r) => x + (r.corridors['perffsp-1->perffsp-5']?.e2e?.count ?? 0), 0);
    expect(corridor(c.records)).toBe(2 * corridor(one.records));
    expect(c.records.map((r) => r.latency.e2e?.p99)).toEqual(merged.records.map((r) => r.latency.e2e?.p99));
  });

  it('keeps what a truncated or corrupt gzip held and says what was lost', async () => {
    const gz = readFileSync(`${FIXTURES}out.ndjson.gz`);
    const cut = join(dir, 'cut.ndjson.gz');
    writeFileSync(cut, gz.subarray(0, Math.floor(gz.length / 2)));
    const r = await importK6Ndjson(cut);
    expect(total(r.records, 'started')).toBeGreaterThan(1000);
    expect(total(r.records, 'started')).toBeLessThan(4999);
    expect(r.damage.join()).toMatch(/cut\.ndjson\.gz: the gzip stream ends early .*read \d+ lines before it/);
    const bad = Buffer.from(gz);
    for (let i = Math.floor(gz.length / 2); i < Math.floor(gz.length / 2) + 64; i++) bad[i] = 0x55;
    const corrupt = join(dir, 'corrupt.ndjson.gz');
    writeFileSync(corrupt, bad);
    const c = await importK6Ndjson(corrupt);
    expect(total(c.records, 'started')).toBeGreaterThan(1000);
    expect(c.damage.join()).toMatch(/gzip stream is corrupt/);
  });
});

describe('k6 summary import', () => {
  it('leaves statistics the summary lacks unknown: no p(99), no outcome metric', () => {
    const json = JSON.parse(readFileSync(`${FIXTURES}summary-export.json`, 'utf8'));
    const full = readK6Summary(json, 'x');
    expect(full).toMatchObject({ started: 4999, succeeded: 4948, failed: 51, durationS: 18.001 });
    delete json.metrics.transfer_e2e_duration['p(99)'];
    delete json.metrics.transfer_success;
    delete json.metrics.http_req_failed;
    const s = readK6Summary(json, 'x');
    expect(s.latency?.p99).toBeUndefined();
    expect(s.latency?.p95).toBe(full.latency?.p95);
    expect(s.succeeded).toBeUndefined();
    expect(s.notes.join('\n')).toMatch(/no p\(99\).*summaryTrendStats/);
    expect(s.notes.join('\n')).toMatch(/success rate unknown/);
  });
});
