import { resolveProfile } from '@mlperf/core';
import { standardSuite } from '@mlperf/scenarios';
import { describe, expect, it } from 'vitest';
import { noPrometheusLines } from '../src/suite/metrics.js';

describe('a suite run without Prometheus says so at its start', () => {
  it('names the reason and, per test, the criteria that will be inconclusive', () => {
    const suite = resolveProfile(standardSuite(), { profile: 'quick' });
    expect(noPrometheusLines('no private Prometheus: not installed', suite.tests)).toEqual([
      'note: no private Prometheus: not installed',
      'note: without Prometheus these criteria will be inconclusive (no CPU, memory or service-health exports):',
      '        target-1000tps: No service failures, No memory leaks, CPU usage < 80%',
      '        endurance-1000tps: No service failures, No memory leaks',
    ]);
  });
});
