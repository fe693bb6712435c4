import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_CALLBACK_PORT,
  type RunTestOptions,
  type RunTestResult,
  runTest,
  standardSuite,
} from '@mlperf/scenarios';
import { ADMIN, FSPIOP } from './switch.js';

type TestDefinition = RunTestOptions['suite']['tests'][number];

/** A custom test of one constant stage: `rate` transfers/s for `duration`, each expiring after `expiration`. */
export function customTest(
  id: string,
  name: string,
  stage: { rate: number; duration: string; expiration: string },
  criteria: TestDefinition['criteria'] = [],
): TestDefinition {
  return {
    id,
    name,
    kind: 'custom',
    stages: [{ kind: 'constant', rate: stage.rate, duration: stage.duration }],
    criteria,
    transfer: { expiration: stage.expiration },
  };
}

/**
 * Runs `test` (in the standard suite's topology) against the switch as `mlperf run` would: the
 * DFSPs' callbacks registered on the stable port and proven by the probe; results in a temp folder.
 */
export async function runOnSwitch(
  test: TestDefinition,
  options: Partial<RunTestOptions> = {},
): Promise<RunTestResult> {
  return runTest({
    suite: { ...standardSuite(), tests: [test] },
    test: test.id,
    target: { url: FSPIOP, adminUrl: ADMIN, kind: 'url' },
    callback: { port: DEFAULT_CALLBACK_PORT },
    callbackProbe: {},
    out: mkdtempSync(join(tmpdir(), `mlperf-${test.id}-`)),
    minFreeBytes: 0,
    ...options,
  });
}
