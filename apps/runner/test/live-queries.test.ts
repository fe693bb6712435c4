import type { LiveValue } from '@mlperf/core/promql';
import { describe, expect, it } from 'vitest';
import { formatLiveQueries } from '../src/live/prometheus.js';

const value = (name: string, v: number): LiveValue => ({
  name,
  title: name,
  unit: '',
  at: 0,
  value: v,
  series: [],
  warnings: [],
});

describe('the live line of the Phase-07 validation queries', () => {
  it('prints TPS, success, p95, CPU and memory as the user reads them', () => {
    expect(
      formatLiveQueries([
        value('validation_actual_tps', 998.4),
        value('validation_success_rate', 0.99981),
        value('validation_p95_latency_seconds', 0.0412),
        value('cpu_usage_ratio', 0.371),
        value('memory_working_set_ratio', 0.29),
      ]),
    ).toBe('prom: TPS 998  success 99.98%  p95 41 ms  cpu max 37%  mem max 29%');
  });

  it('never shows a success rate above 100% (fulfils in the window of prepares before it)', () => {
    expect(formatLiveQueries([value('validation_success_rate', 1.0196)])).toBe('prom: success 100.00%');
  });

  it('says nothing before the first answer', () => {
    expect(formatLiveQueries([])).toBe('');
  });
});
