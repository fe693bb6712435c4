import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSuiteFile, suiteProblems } from '@mlperf/core';

describe('examples/suites/bad-suite.yaml', () => {
  it('yields ten problems, each with a path and a hint', async () => {
    const file = fileURLToPath(new URL('../suites/bad-suite.yaml', import.meta.url));
    const err = await loadSuiteFile(file).catch((e: unknown) => e);
    const problems = suiteProblems(err);
    expect(problems).toHaveLength(10);
    expect(problems.every((p) => p.path.length > 0 && (p.hint ?? '').length > 0)).toBe(true);
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'dfsps[1].id: duplicate DFSP id "perffsp-1"',
      'dfsps[2].currency: "usd" is not an ISO 4217 currency code',
      'transfer.amount: "1.23456" is not an FSPIOP amount',
      'corridors[0].payee: unknown DFSP "perffsp-9"',
      'corridors: weights must sum to 1, they sum to 0.9',
      'tests[0].stages[0].rate: must be > 0, got -100',
      'tests[0].stages[1].duration: "5 minutes" is not a duration',
      'tests[0].criteria[0].min: must be <= 1, got 99.5',
      'tests[1].stopRule: is required: the test has an open-ended ramp',
      'tests[1].after: unknown test "warmup"',
    ]);
  });
});
