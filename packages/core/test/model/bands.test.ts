import { describe, expect, it } from 'vitest';
import { classifyMetric, DEFAULT_BANDS, type MetricBand, MlperfError } from '@mlperf/core';
import { resolveBand } from '../../src/model/bands.js';

describe('DEFAULT_BANDS: the Phase-07 plan Critical Metrics table', () => {
  it('has one row per metric with the Phase-07 plan numbers', () => {
    expect(DEFAULT_BANDS.map((b) => [b.label, b.target, b.warning, b.critical])).toEqual([
      ['TPS Achieved', 1, 0.95, 0.9],
      ['Success Rate', 0.995, 0.99, 0.95],
      ['P95 Latency', 300, 400, 500],
      ['CPU Usage', 0.7, 0.8, 0.9],
      ['Memory Usage', 0.7, 0.8, 0.9],
      ['Error Rate', 0.005, 0.01, 0.05],
    ]);
  });

  it('is frozen', () => {
    expect(() => {
      (DEFAULT_BANDS as MetricBand[]).push(DEFAULT_BANDS[0]!);
    }).toThrow();
  });
});

describe('classifyMetric', () => {
  it('classifies TPS relative to the planned rate (1000 TPS: < 950 warning, < 900 critical)', () => {
    const at = (v: number) => classifyMetric('tps', v, { plannedTps: 1000 });
    expect([at(1000), at(1003), at(960), at(950), at(949), at(900), at(899)]).toEqual([
      'target',
      'target',
      'ok',
      'ok',
      'warning',
      'warning',
      'critical',
    ]);
    expect(resolveBand('tps', { plannedTps: 500 })).toMatchObject({
      target: 500,
      warning: 475,
      critical: 450,
    });
  });

  it('classifies success rate, latency, CPU, memory and error rate as the table says', () => {
    expect([0.999, 0.995, 0.993, 0.989, 0.94].map((v) => classifyMetric('success-rate', v))).toEqual([
      'target',
      'target',
      'ok',
      'warning',
      'critical',
    ]);
    expect([120, 300, 350, 401, 501].map((v) => classifyMetric('p95-latency', v))).toEqual([
      'target',
      'target',
      'ok',
      'warning',
      'critical',
    ]);
    expect([0.5, 0.75, 0.85, 0.95].map((v) => classifyMetric('cpu', v))).toEqual([
      'target',
      'ok',
      'warning',
      'critical',
    ]);
    expect([0.5, 0.75, 0.85, 0.95].map((v) => classifyMetric('memory', v))).toEqual([
      'target',
      'ok',
      'warning',
      'critical',
    ]);
    expect([0.001, 0.008, 0.02, 0.06].map((v) => classifyMetric('error-rate', v))).toEqual([
      'target',
      'ok',
      'warning',
      'critical',
    ]);
  });

  it("uses a suite's own bands when given", () => {
    const bands: MetricBand[] = [
      {
        metric: 'p95-latency',
        label: 'P95',
        unit: 'ms',
        better: 'lower',
        target: 800,
        warning: 900,
        critical: 1000,
      },
    ];
    expect(classifyMetric('p95-latency', 850, { bands })).toBe('ok');
    expect(classifyMetric('p95-latency', 850)).toBe('critical');
    expect(classifyMetric('cpu', 0.85, { bands })).toBe('warning');
  });

  it('rejects TPS without a planned rate, unknown metrics and non-numbers', () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return err instanceof MlperfError ? `${err.code}: ${err.hint}` : 'other';
      }
      return 'no error';
    };
    expect(codeOf(() => classifyMetric('tps', 900))).toBe(
      "BAND_NEEDS_PLANNED_RATE: pass { plannedTps } (the test's planned TPS, > 0) to classify it",
    );
    expect(codeOf(() => classifyMetric('tps', 900, { plannedTps: 0 }))).toMatch(/^BAND_NEEDS_PLANNED_RATE/);
    expect(codeOf(() => classifyMetric('latency' as never, 1))).toBe(
      'BAND_UNKNOWN_METRIC: use one of: tps, success-rate, p95-latency, cpu, memory, error-rate',
    );
    expect(codeOf(() => classifyMetric('cpu', Number.NaN))).toMatch(/^BAND_BAD_VALUE/);
  });
});
