import type { Stage, SuiteDefinition, TestDefinition } from '@mlperf/core';
import { type RunTestOptions, type RunTestResult, runTest, standardSuite } from '@mlperf/scenarios';

/** The standard suite with one extra test of the given stages (short, for tests). */
export function suiteWith(stages: Stage[], extra: Partial<TestDefinition> = {}): SuiteDefinition {
  const suite = standardSuite();
  const test: TestDefinition = { id: 'probe', name: 'Probe', kind: 'custom', stages, criteria: [], ...extra };
  return { ...suite, tests: [...suite.tests, test] };
}

/**
 * Runs the `probe` test of `suite` against `hub` treated as a real one (target kind `url`): the
 * callbacks registered through its admin URL and proven by a single probe attempt before the load.
 */
export function runProbeTest(
  hub: { url: string; adminUrl: string },
  suite: SuiteDefinition,
  out: string,
  extra: Partial<RunTestOptions> = {},
): Promise<RunTestResult> {
  return runTest({
    suite,
    test: 'probe',
    target: { url: hub.url, adminUrl: hub.adminUrl, kind: 'url' },
    out,
    minFreeBytes: 0,
    callbackProbe: { waitMs: 0 },
    ...extra,
  });
}
