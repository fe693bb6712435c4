import { suiteProblems, validateSuite } from '@mlperf/core';
import { describe, expect, it } from 'vitest';
import { problems, validSuite } from '../model/_suite.js';

describe("a suite's named queries are checked as PromQL", () => {
  it("rejects the Phase-07 plan's invalid query with the rewrite as the hint", () => {
    const suite = {
      ...validSuite(),
      queries: {
        error_rate: 'rate(mojaloop_transfer_error[1m]) by (error_type)',
        tps: 'rate(mojaloop_transfer_success[1m])',
      },
    };
    expect(problems(suite)).toEqual([
      'queries.error_rate: PromQL at 34: `by (error_type)` is not attached to an aggregation: `by` only follows or precedes sum, avg, max, min, count, topk and the other aggregation operators',
    ]);
    let caught: unknown;
    try {
      validateSuite(suite);
    } catch (err) {
      caught = err;
    }
    expect(suiteProblems(caught)[0]?.hint).toBe(
      'aggregate explicitly: sum by (error_type) (rate(mojaloop_transfer_error[1m]))',
    );
  });

  it('accepts valid queries, lint warnings included', () => {
    const suite = {
      ...validSuite(),
      queries: {
        lag: 'rate(kafka_consumergroup_lag[5m])',
        p95: 'histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))',
      },
    };
    expect(problems(suite)).toEqual([]);
  });
});
