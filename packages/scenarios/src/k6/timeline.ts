import type { TestDefinition, TimeseriesRecord } from '@mlperf/core';
import { rateAt, timeStages } from '@mlperf/core';
import type { K6NdjsonImport } from '@mlperf/core/k6';

/**
 * The imported seconds on the test's plan: second 0 is k6's first iteration (the arrival-rate
 * schedule starts there, after k6's start-up and setup()), so each second gets its planned rate
 * and stage. k6 starts iterations on schedule while VUs are free, so offered = started + dropped.
 */
export function onPlan(imp: K6NdjsonImport, test: TestDefinition): TimeseriesRecord[] {
  const timed = timeStages(test.stages);
  return imp.records.map((r) => {
    const planned = rateAt(timed, r.s * 1000);
    return { ...r, stage: planned?.stage ?? Math.max(0, timed.length - 1), offeredRate: planned?.rate ?? 0 };
  });
}
