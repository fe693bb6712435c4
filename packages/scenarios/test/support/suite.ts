import type { Stage, SuiteDefinition, TestDefinition } from '@mlperf/core';
import { standardSuite } from '@mlperf/scenarios';

/** The standard suite with one extra test of the given stages (short, for tests). */
export function suiteWith(stages: Stage[], extra: Partial<TestDefinition> = {}): SuiteDefinition {
  const suite = standardSuite();
  const test: TestDefinition = { id: 'probe', name: 'Probe', kind: 'custom', stages, criteria: [], ...extra };
  return { ...suite, tests: [...suite.tests, test] };
}
