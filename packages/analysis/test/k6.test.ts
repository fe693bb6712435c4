import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeK6, detectK6Input, k6NdjsonData } from '@mlperf/analysis';
import { cleanTemp, tempDir } from '@mlperf/testkit/synth';

afterAll(cleanTemp);

const fixtures = join(import.meta.dirname, '../../../fixtures/k6');
const fx = (f: string) => join(fixtures, f);

describe('k6 summary inputs', () => {
  it('reads --summary-export: totals, latency from the transfer trend, k6 thresholds, criteria judged', async () => {
    expect(detectK6Input(fx('summary-export.json'))).toBe('summary');
    const r = await analyzeK6(fx('summary-export.json'), { targetTps: 400 });
    expect(r.totals).toMatchObject({ started: 4999, succeeded: 4948, failed: 51 });
    const success = r.criteria.find((c) => c.id === 'success-rate');
    expect(success?.status).toBe('fail');
    expect(success?.value).toBeCloseTo(4948 / 4999, 6);
    expect(r.criteria.find((c) => c.id === 'latency-p95')?.value).toBe(4);
    expect(r.criteria.find((c) => c.id === 'latency-p99')?.value).toBe(41);
    // imported k6 output: k6's own thresholds are criteria too (a run k6 ended with exit 99 fails)
    expect(
      r.criteria
        .filter((c) => c.id.startsWith('k6-threshold'))
        .map((c) => c.status)
        .sort(),
    ).toEqual(['fail', 'fail', 'pass']);
    const k6 = (r.k6Thresholds ?? []).map((t) => `${t.metric} ${t.expression}: ${t.ok ? 'held' : 'crossed'}`);
    expect(k6.sort()).toEqual([
      'http_req_failed rate<0.005: crossed',
      'transfer_e2e_duration p(95)<300: held',
      'transfer_success rate>0.995: crossed',
    ]);
    expect(r.verdict).toBe('fail');
    expect(r.missing.join('\n')).toContain('whole-run aggregates only');
  });

  it('reads the handleSummary object the same way', async () => {
    const a = await analyzeK6(fx('summary-export.json'), { targetTps: 400 });
    const b = await analyzeK6(fx('handle-summary.json'), { targetTps: 400 });
    expect(b.totals).toEqual(a.totals);
    expect(b.criteria.map((c) => [c.id, c.status, c.value])).toEqual(
      a.criteria.map((c) => [c.id, c.status, c.value]),
    );
    expect(b.totals.durationS).toBeCloseTo(18.0007, 3);
  });

  it('without a target rate the achieved-rate criterion is unknown, not pass', async () => {
    const r = await analyzeK6(fx('summary-export.json'));
    expect(r.criteria.find((c) => c.id === 'achieved-rate')?.status).toBe('inconclusive');
  });

  it('rejects a JSON file that is not a k6 summary', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.json'), '{"hello": 1}');
    await expect(analyzeK6(join(dir, 'x.json'))).rejects.toThrow(/not a k6 summary/);
    await expect(analyzeK6(join(dir, 'missing.json'))).rejects.toThrow(/no such file/);
  });
});

describe('k6 --out json NDJSON', () => {
  it('streams the gzipped fixture into per-second records that match the summary', async () => {
    const d = await k6NdjsonData(fx('out.ndjson.gz'));
    const succ = d.timeseries.reduce((a, r) => a + r.succeeded, 0);
    const failed = d.timeseries.reduce((a, r) => a + Object.values(r.failed).reduce((x, y) => x + y, 0), 0);
    const started = d.timeseries.reduce((a, r) => a + r.started, 0);
    expect({ succ, failed, started }).toEqual({ succ: 4948, failed: 51, started: 4999 });
    const types = d.timeseries.reduce<Record<string, number>>((acc, r) => {
      for (const [k, v] of Object.entries(r.failed)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {});
    expect(types).toEqual({ 'http:500': 51 });
    expect(d.timeseries.length).toBeGreaterThanOrEqual(18);
    expect(d.timeseries.length).toBeLessThanOrEqual(20);
    expect(d.corridors).toEqual([]);
    expect(Object.keys(d.timeseries[5]?.corridors ?? {}).sort()).toEqual([
      'perffsp-1->perffsp-5',
      'perffsp-2->perffsp-6',
      'perffsp-3->perffsp-7',
      'perffsp-4->perffsp-8',
    ]);
    expect(d.problems.join('\n')).toContain('outcomes from transfer_success');
    expect(d.latencySource).toContain('not corrected for coordinated omission');
    expect(d.k6Checks).toEqual({ passes: 4948, fails: 51 });
  });

  it('analyzes NDJSON with a steady state, exact HDR percentiles and corridors', async () => {
    const r = await analyzeK6(fx('out.ndjson.gz'), { targetTps: 400 });
    expect(r.steadyState?.rule).toContain('plateau');
    expect(r.totals.succeeded).toBe(4948);
    const shares = Object.fromEntries(r.corridors.map((c) => [c.corridor, c.share]));
    expect(shares['perffsp-1->perffsp-5']).toBeGreaterThan(0.35);
    expect(shares['perffsp-1->perffsp-5']).toBeLessThan(0.45);
    expect(r.criteria.find((c) => c.id === 'latency-p95')?.detail).toContain('merged HDR histograms');
    expect(r.errorsByType).toEqual({ 'http:500': 51 });
  });

  it('reads plain NDJSON and tolerates a truncated last line (k6 killed)', async () => {
    const dir = tempDir();
    const text = gunzipSync(readFileSync(fx('out.ndjson.gz'))).toString('utf8');
    const path = join(dir, 'out.json');
    writeFileSync(path, `${text}{"metric":"http_reqs","type":"Point","data":{"time":"2026-11-2`);
    expect(detectK6Input(path)).toBe('ndjson');
    const d = await k6NdjsonData(path);
    expect(d.timeseries.reduce((a, r) => a + r.succeeded, 0)).toBe(4948);
    expect(d.problems.join('\n')).toMatch(/input damaged.*last line is incomplete/);
    expect(d.inputDamage).toHaveLength(1);
    copyFileSync(fx('out.ndjson.gz'), join(dir, 'copy.ndjson.gz'));
    expect((await k6NdjsonData(join(dir, 'copy.ndjson.gz'))).timeseries.length).toBe(d.timeseries.length);
  });

  it('reads NDJSON whose keys are in another order (slow path)', async () => {
    const dir = tempDir();
    const lines = [
      '{"type":"Metric","data":{"name":"http_reqs","type":"counter"},"metric":"http_reqs"}',
      ...Array.from(
        { length: 30 },
        (_, i) =>
          `{"type":"Point","data":{"value":1,"time":"2026-11-27T08:00:${String(i % 3).padStart(2, '0')}.5Z","tags":{"status":"${i % 10 === 0 ? 503 : 202}"}},"metric":"http_reqs"}`,
      ),
      ...Array.from(
        { length: 30 },
        (_, i) =>
          `{"type":"Point","data":{"value":${i % 10 === 0 ? 1 : 0},"time":"2026-11-27T08:00:${String(i % 3).padStart(2, '0')}.5Z","tags":{"status":"${i % 10 === 0 ? 503 : 202}"}},"metric":"http_req_failed"}`,
      ),
      ...Array.from(
        { length: 30 },
        (_, i) =>
          `{"type":"Point","data":{"value":${10 + i},"time":"2026-11-27T08:00:${String(i % 3).padStart(2, '0')}.5Z","tags":{}},"metric":"http_req_duration"}`,
      ),
    ];
    const path = join(dir, 'k6.ndjson');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const d = await k6NdjsonData(path);
    expect(d.timeseries.map((r) => [r.s, r.succeeded, r.failed])).toEqual([
      [0, 9, { 'http:503': 1 }],
      [1, 9, { 'http:503': 1 }],
      [2, 9, { 'http:503': 1 }],
    ]);
    expect(d.problems.join('\n')).toContain('latency from k6 http_req_duration');
    expect(d.problems.join('\n')).toContain('outcomes from http_req_failed');
  });
});

describe('k6 input: what cannot be judged is inconclusive, what k6 failed is a fail', () => {
  it('NDJSON thresholds k6 failed (exit 99) make the verdict fail', async () => {
    const r = await analyzeK6(fx('out.ndjson.gz'), { targetTps: 400 });
    expect(r.verdict).toBe('fail');
    const th = r.criteria.filter((c) => c.id.startsWith('k6-threshold:'));
    expect(th.map((c) => [c.label, c.status])).toEqual([
      ['k6 threshold http_req_failed rate<0.005', 'fail'],
      ['k6 threshold transfer_success rate>0.995', 'fail'],
      ['k6 threshold transfer_e2e_duration p(95)<300', 'pass'],
    ]);
  });

  it('a summary without p(99) or outcomes leaves those criteria undecided, not failed', async () => {
    const dir = tempDir();
    const json = JSON.parse(readFileSync(fx('summary-export.json'), 'utf8'));
    delete json.metrics.transfer_e2e_duration['p(99)'];
    delete json.metrics.transfer_success;
    delete json.metrics.http_req_failed;
    for (const m of Object.values(json.metrics) as { thresholds?: unknown }[]) delete m.thresholds;
    const path = join(dir, 'summary.json');
    writeFileSync(path, JSON.stringify(json));
    const r = await analyzeK6(path, { targetTps: 250 });
    const status = Object.fromEntries(r.criteria.map((c) => [c.id, c.status]));
    expect(status['latency-p99']).toBe('inconclusive');
    expect(status['latency-p95']).toBe('pass');
    expect(status['success-rate']).toBe('inconclusive');
    expect(status['achieved-rate']).toBe('inconclusive');
    expect(r.verdict).not.toBe('pass');
    expect(r.verdict).not.toBe('fail');
  });

  it('a damaged gzip is analysed as far as it goes and cannot pass', async () => {
    const dir = tempDir();
    const gz = readFileSync(fx('out.ndjson.gz'));
    const path = join(dir, 'killed.ndjson.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const r = await analyzeK6(path, { targetTps: 400 });
    expect(r.criteria.find((c) => c.id === 'k6-input-complete')?.detail).toMatch(/gzip stream ends early/);
    expect(r.verdict).not.toBe('pass');
    expect(r.totals.started).toBeGreaterThan(1000);
  });
});
