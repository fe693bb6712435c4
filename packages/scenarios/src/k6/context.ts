import type {
  CorridorDefinition,
  DfspDefinition,
  SuiteDefinition,
  TestDefinition,
  TransferTemplate,
} from '@mlperf/core';
import { MlperfError } from '@mlperf/core';

/** One test with the suite context it needs to run: the shape of `RunManifest.definition`. */
export interface TestContext {
  test: TestDefinition;
  dfsps: DfspDefinition[];
  corridors: CorridorDefinition[];
  transfer: TransferTemplate;
  bands?: SuiteDefinition['bands'];
}

/** The test `testId` of `suite` with its corridor and transfer overrides applied. */
export function testContext(suite: SuiteDefinition, testId: string): TestContext {
  const test = suite.tests.find((t) => t.id === testId);
  if (!test) {
    throw new MlperfError('TEST_UNKNOWN', `test "${testId}" is not in suite "${suite.name}"`, {
      hint: `use one of: ${suite.tests.map((t) => t.id).join(', ')}`,
    });
  }
  const ctx: TestContext = {
    test,
    dfsps: suite.dfsps,
    corridors: test.corridors ?? suite.corridors,
    transfer: { ...suite.transfer, ...test.transfer },
  };
  if (suite.bands) ctx.bands = suite.bands;
  return ctx;
}

/** `payer->payee` unless the corridor has a name. */
export function corridorName(c: CorridorDefinition): string {
  return c.name ?? `${c.payer}->${c.payee}`;
}
