import type {
  ConstantStage,
  CorridorDefinition,
  DfspDefinition,
  DurationString,
  OpenRampStage,
  RampStage,
  StopRule,
  SuiteDefinition,
  TestDefinition,
  TransferTemplate,
} from './types.js';

/*
 * Typed identity helpers: they return their argument unchanged and exist so an editor checks a suite
 * while it is written. The same rules are checked at run time by `validateSuite()`.
 */

export function defineSuite(suite: SuiteDefinition): SuiteDefinition {
  return suite;
}

export function defineTest(test: TestDefinition): TestDefinition {
  return test;
}

export function defineDfsp(dfsp: DfspDefinition): DfspDefinition {
  return dfsp;
}

export function defineCorridor(corridor: CorridorDefinition): CorridorDefinition {
  return corridor;
}

export function defineTransfer(transfer: TransferTemplate): TransferTemplate {
  return transfer;
}

export function defineStopRule(rule: StopRule): StopRule {
  return rule;
}

/** Stage builders: `stage.constant(100, '5m')`, `stage.ramp(0, 1000, '10m')`, `stage.openRamp(...)`. */
export const stage = {
  constant(rate: number, duration: DurationString, name?: string): ConstantStage {
    return name === undefined
      ? { kind: 'constant', rate, duration }
      : { kind: 'constant', rate, duration, name };
  },
  ramp(from: number, to: number, duration: DurationString, name?: string): RampStage {
    return name === undefined
      ? { kind: 'ramp', from, to, duration }
      : { kind: 'ramp', from, to, duration, name };
  },
  openRamp(options: Omit<OpenRampStage, 'kind'>): OpenRampStage {
    return { kind: 'open-ramp', ...options };
  },
} as const;
