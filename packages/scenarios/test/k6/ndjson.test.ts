import { describe, expect, it } from 'vitest';
import type { TestDefinition, TimeseriesRecord } from '@mlperf/core';
import { K6TimeseriesBuilder, k6NdjsonToTimeseries, latencySnapshot } from '@mlperf/scenarios';
import { K6_FIXTURES } from './fixtures.js';

/** The fixture script's profile: 50 -> 400/s over 8 s, 400/s for 6 s, down to 0 over 4 s. */
const fixtureTest: TestDefinition = {
  id: 'fixture',
  name: 'k6 fixture',
  kind: 'custom',
  criteria: [],
  stages: [
    { kind: 'ramp', from: 50, to: 400, duration: '8s' },
    { kind: 'constant', rate: 400, duration: '6s' },
    { kind: 'ramp', from: 400, to: 0, duration: '4s' },
  ],
};

describe('k6 --out json to timeseries.ndjson', () => {
  it('turns the real k6 NDJSON into consecutive seconds that account for every transfer', async () => {
    const records: TimeseriesRecord[] = [];
    const { late } = await k6NdjsonToTimeseries(`${K6_FIXTURES}out.ndjson.gz`, (r) => records.push(r), {
      test: fixtureTest,
    });
    expect(late).toBe(0);
    expect(records.map((r) => r.s)).toEqual(records.map((_, i) => i));
    const sum = (f: (r: TimeseriesRecord) => number) => records.reduce((s, r) => s + f(r), 0);
    expect(sum((r) => r.started)).toBe(4999);
    expect(sum((r) => r.succeeded)).toBe(4948);
    expect(sum((r) => Object.values(r.failed).reduce((a, b) => a + b, 0))).toBe(51);
    expect(sum((r) => r.latency.e2e?.count ?? 0)).toBe(4999);
    const corridorTotal = sum((r) => Object.values(r.corridors).reduce((s, c) => s + c.succeeded, 0));
    expect(corridorTotal).toBe(4948);
    // The 400/s plateau is visible, and the planned rate comes from the definition.
    const peak = Math.max(...records.map((r) => r.started));
    expect(peak).toBeGreaterThan(350);
    expect(records[10]?.offeredRate).toBe(400);
    expect(records[1]?.offeredRate).toBeCloseTo(50 + (350 * 1) / 8);
    expect(new Set(records.flatMap((r) => Object.keys(r.corridors)))).toEqual(
      new Set([
        'perffsp-1->perffsp-5',
        'perffsp-2->perffsp-6',
        'perffsp-3->perffsp-7',
        'perffsp-4->perffsp-8',
      ]),
    );
    const r10 = records[10];
    expect(r10?.latency.e2e?.p99).toBeGreaterThanOrEqual(r10?.latency.e2e?.p50 ?? 0);
  });

  it('reads scripts rendered by mlperf: acks count as starts, failures keep their error type, stage from tags', () => {
    const out: TimeseriesRecord[] = [];
    const b = new K6TimeseriesBuilder((r) => out.push(r), { startMs: Date.parse('2026-01-01T00:00:00Z') });
    const point = (metric: string, time: string, value: number, tags: Record<string, string>) =>
      JSON.stringify({ metric, type: 'Point', data: { time, value, tags } });
    const tags = { corridor: 'a->b', stage_index: '1' };
    b.pushLine(point('transfer_prepare_ack_duration', '2026-01-01T00:00:00.100000001Z', 3, tags));
    b.pushLine(point('transfer_prepare_ack_duration', '2026-01-01T00:00:00.200Z', 5, tags));
    b.pushLine(point('transfer_success', '2026-01-01T00:00:00.900Z', 1, tags));
    b.pushLine(point('transfer_e2e_duration', '2026-01-01T00:00:00.900Z', 120, tags));
    b.pushLine(
      point('transfer_success', '2026-01-01T00:00:02.100Z', 0, { ...tags, error_type: 'fspiop:4001' }),
    );
    b.pushLine(point('dropped_iterations', '2026-01-01T00:00:02.200Z', 1, { stage_index: '1' }));
    b.pushLine(point('vus', '2026-01-01T00:00:02.300Z', 7, {}));
    b.finish();
    expect(
      out.map((r) => [r.s, r.stage, r.started, r.succeeded, r.failed, r.dropped, r.offered, r.inFlight]),
    ).toEqual([
      [0, 1, 2, 1, {}, 0, 2, 0],
      [1, 0, 0, 0, {}, 0, 0, 0],
      [2, 1, 0, 0, { 'fspiop:4001': 1 }, 1, 1, 7],
    ]);
    expect(out[0]?.latency.ack).toMatchObject({ count: 2, min: 3, max: 5 });
    expect(out[0]?.corridors['a->b']).toMatchObject({
      started: 2,
      succeeded: 1,
      e2e: { count: 1, p95: 120 },
    });
  });

  it('computes nearest-rank percentiles', () => {
    const v = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latencySnapshot(v)).toEqual({
      count: 100,
      min: 1,
      mean: 50.5,
      p50: 50,
      p90: 90,
      p95: 95,
      p99: 99,
      max: 100,
    });
    expect(latencySnapshot([])).toBeUndefined();
  });
});
