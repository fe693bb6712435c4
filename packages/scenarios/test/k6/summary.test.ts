import { describe, expect, it } from 'vitest';
import { toSummaryExport, type K6HandleSummary } from '@mlperf/scenarios';
import { handleSummaryFixture, summaryExportFixture } from './fixtures.js';
import { SUMMARY_BEGIN, SUMMARY_END } from '../../src/k6/script.js';
import { extractSummaries } from '../../src/k6/summary.js';
import { mergeSummaries } from '../../src/k6/summary-merge.js';

const wrap = (s: unknown) => `${SUMMARY_BEGIN}\n${JSON.stringify(s)}\n${SUMMARY_END}\n`;

describe('k6 summaries', () => {
  it('converts real handleSummary data to exactly what k6 --summary-export wrote for the same run', () => {
    expect(toSummaryExport(handleSummaryFixture())).toEqual(summaryExportFixture());
  });

  it('finds every summary between markers in a pod log, among k6 log lines', () => {
    const log = [
      'time="2026-11-27T08:00:00Z" level=info msg="starting"\n',
      wrap(handleSummaryFixture()),
      'running (18.0s), 000/050 VUs\n',
      wrap({ ...handleSummaryFixture(), state: { testRunDurationMs: 1 } }),
    ].join('');
    const found = extractSummaries(log, 'logs/k6-runner-1.log');
    expect(found).toHaveLength(2);
    expect(found[1]?.state?.testRunDurationMs).toBe(1);
    expect(extractSummaries('no summary here')).toEqual([]);
  });

  it('says which log is cut or damaged', () => {
    expect(() => extractSummaries(`${SUMMARY_BEGIN}\n{"metr`, 'logs/a.log')).toThrow(
      'logs/a.log: the k6 summary starts but never ends',
    );
    try {
      extractSummaries(`${SUMMARY_BEGIN}\n{"metr\n${SUMMARY_END}`, 'logs/b.log');
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'K6_SUMMARY_INVALID', exitCode: 3 });
    }
  });

  it('merges runner summaries: counts and rates add up, percentiles take the worst runner, thresholds fail if any failed', () => {
    const a = handleSummaryFixture();
    const b: K6HandleSummary = structuredClone(a);
    const trend = b.metrics.transfer_e2e_duration;
    if (!trend) throw new Error('fixture lacks transfer_e2e_duration');
    trend.values = { ...trend.values, 'p(95)': 250, min: 1, max: 400 };
    trend.thresholds = { 'p(95)<300': { ok: true } };
    const http = b.metrics.http_req_failed;
    if (http?.thresholds) http.thresholds['rate<0.005'] = { ok: true };
    const m = mergeSummaries([a, b]);
    expect(m.metrics.iterations?.values.count).toBe(2 * 4999);
    expect(m.metrics.transfer_success?.values).toEqual({
      passes: 2 * 4948,
      fails: 2 * 51,
      rate: 4948 / 4999,
    });
    expect(m.metrics.transfer_e2e_duration?.values).toMatchObject({ 'p(95)': 250, min: 1, max: 400 });
    expect(m.metrics.transfer_e2e_duration?.thresholds).toEqual({ 'p(95)<300': { ok: true } });
    expect(m.metrics.http_req_failed?.thresholds).toEqual({ 'rate<0.005': { ok: false } });
    expect(m.metrics.vus_max?.values).toEqual({ value: 100, min: 100, max: 100 });
    const checks = m.root_group.groups[0]?.checks[0];
    expect([checks?.passes, checks?.fails]).toEqual([2 * 4948, 2 * 51]);
    const exported = toSummaryExport(m);
    expect(exported.metrics.transfer_success).toMatchObject({
      passes: 9896,
      fails: 102,
      thresholds: { 'rate>0.995': true },
    });
  });

  it('weights trend averages by count when runners report it', () => {
    const one = (avg: number, count: number): K6HandleSummary => ({
      root_group: { name: '', path: '', id: 'x', groups: [], checks: [] },
      metrics: {
        t: { type: 'trend', contains: 'time', values: { avg, count, med: avg, min: avg, max: avg } },
      },
    });
    expect(mergeSummaries([one(10, 300), one(20, 100)]).metrics.t?.values).toEqual({
      avg: 12.5,
      count: 400,
      med: 20,
      min: 10,
      max: 20,
    });
  });
});
