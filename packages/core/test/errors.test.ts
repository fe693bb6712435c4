import { describe, expect, it } from 'vitest';
import { ExitCode, MlperfError, isMlperfError } from '@mlperf/core';

describe('MlperfError', () => {
  it('carries a stable code, a hint and an exit code', () => {
    const err = new MlperfError('SUITE_INVALID', 'tests[0].stages[0].rate: must be > 0', {
      hint: 'set a positive rate',
    });
    expect(isMlperfError(err)).toBe(true);
    expect(err.exitCode).toBe(ExitCode.badInput);
    expect(err.format()).toMatchInlineSnapshot(`
      "SUITE_INVALID: tests[0].stages[0].rate: must be > 0
        hint: set a positive rate"
    `);
  });
});
