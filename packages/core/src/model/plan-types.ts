import type { Stage, TestKind } from './types.js';

/** One stage of a test as planned, times in ms from the test start. */
export interface StagePlan {
  index: number;
  name: string;
  /** `recovery`: the rate held after the stages to measure recovery (a test's `recovery`). */
  kind: Stage['kind'] | 'recovery';
  startMs: number;
  durationMs: number;
  /** Planned arrival rate (TPS) at the stage start and end. */
  fromRate: number;
  toRate: number;
  transfers: number;
  /** Open-ended ramp: duration and transfers are upper bounds (its stop rule usually fires first). */
  upperBound: boolean;
}

export interface CorridorPlan {
  name: string;
  payer: string;
  payee: string;
  weight: number;
  transfers: number;
  /** This corridor's TPS at the start and end of each stage (same order as `stages`). */
  stages: { fromTps: number; toTps: number }[];
  peakTps: number;
}

/** What one payer DFSP pays out, against what its position may rise by. */
export interface LiquidityPlan {
  dfsp: string;
  currency: string;
  transfers: number;
  /** amount x its transfers: the position rise when nothing is settled in between. */
  needed: number;
  /** What it receives as a payee in the same plan (not counted against `needed`). */
  received: number;
  /** min(liquidity, netDebitCap) - initialPosition: beyond this prepares fail with 4001 / 4200. */
  available: number;
  liquidity: number;
  netDebitCap: number;
  feasible: boolean;
  upperBound: boolean;
}

/** A loud note on a plan: `infeasible` means the plan cannot pass as written. */
export interface PlanFlag {
  severity: 'infeasible' | 'warning';
  testId?: string;
  dfsp?: string;
  message: string;
  hint: string;
}

export interface TestPlan {
  testId: string;
  name: string;
  kind: TestKind;
  after?: string;
  durationMs: number;
  transfers: number;
  /** Highest planned arrival rate. */
  peakRate: number;
  /** True when an open-ended ramp makes duration, transfers and liquidity upper bounds. */
  upperBound: boolean;
  amount: string;
  stages: StagePlan[];
  corridors: CorridorPlan[];
  /** One row per payer DFSP. */
  liquidity: LiquidityPlan[];
  feasible: boolean;
  flags: PlanFlag[];
}

export interface CostEstimate {
  perNodeHour: number;
  nodes: number;
  currency: string;
  nodeHours: number;
  total: number;
}

export interface SuitePlan {
  name: string;
  /** Tests in run order (the progression: each after the test it depends on). */
  tests: TestPlan[];
  cooldownBetweenTestsMs: number;
  /** All tests plus the cool-downs between them. */
  durationMs: number;
  transfers: number;
  upperBound: boolean;
  /** Per payer over the whole suite, as if positions were not reset between tests. */
  liquidity: LiquidityPlan[];
  cost?: CostEstimate;
  /** False when any test is infeasible. */
  feasible: boolean;
  flags: PlanFlag[];
}
