import { type SuiteDefinition, suiteProblems, validateSuite, type ValidateOptions } from '@mlperf/core';

/** A small valid suite; tests break one rule at a time. */
export function validSuite(): SuiteDefinition {
  return {
    name: 'small',
    dfsps: [
      { id: 'fsp-a', currency: 'USD', initialPosition: 0, liquidity: 10_000, netDebitCap: 10_000 },
      { id: 'fsp-b', currency: 'USD', initialPosition: 0, liquidity: 10_000, netDebitCap: 10_000 },
      { id: 'fsp-c', currency: 'USD', initialPosition: 0, liquidity: 0, netDebitCap: 0 },
    ],
    corridors: [
      { payer: 'fsp-a', payee: 'fsp-c', weight: 0.6 },
      { payer: 'fsp-b', payee: 'fsp-c', weight: 0.4 },
    ],
    transfer: { amount: '1', expiration: '30s' },
    tests: [
      {
        id: 'steady',
        name: 'Steady',
        kind: 'baseline',
        stages: [{ kind: 'constant', rate: 10, duration: '1m' }],
        criteria: [{ kind: 'success-rate', min: 0.995 }],
      },
      {
        id: 'stress',
        name: 'Stress',
        kind: 'stress',
        after: 'steady',
        stages: [
          { kind: 'ramp', from: 0, to: 20, duration: '1m' },
          { kind: 'open-ramp', from: 20, stepPerMinute: 10, maxRate: 50 },
        ],
        stopRule: { maxErrorRate: 0.05 },
        criteria: [],
      },
    ],
    criteria: [{ kind: 'all-tests-completed' }, { kind: 'breaking-point-identified', test: 'stress' }],
  };
}

/** `path: message` of every problem, or [] when valid. */
export function problems(input: unknown, options?: ValidateOptions): string[] {
  try {
    validateSuite(input, options);
    return [];
  } catch (err) {
    const found = suiteProblems(err);
    if (found.length === 0) throw err;
    return found.map((p) => `${p.path}: ${p.message}`);
  }
}

export function warnings(input: unknown, options?: ValidateOptions): string[] {
  return validateSuite(input, options).warnings.map((w) => `${w.path}: ${w.message}`);
}

/** A deep copy of the valid suite, changed by `edit`. */
export function broken(edit: (s: SuiteDefinition & Record<string, unknown>) => void): unknown {
  const s = structuredClone(validSuite()) as SuiteDefinition & Record<string, unknown>;
  edit(s);
  return s;
}
