/**
 * The suite model: what a Mojaloop performance test is, as data.
 * `defineSuite()` / `defineTest()` give these types at compile time; `validateSuite()` checks the
 * same rules at run time for suites loaded from .ts, .js, .json or .yaml files.
 */

/** A strict duration string: `500ms`, `30s`, `5m`, `2h`, or combined `1h30m`. */
export type DurationString = string;

/** A DFSP (participant) of the hub. Amounts are in major units of `currency` (dollars, not cents). */
export interface DfspDefinition {
  /** FSPIOP participant name, e.g. `perffsp-1`. */
  id: string;
  currency: string;
  /** Opening position (central-ledger POSITION account). Usually 0. */
  initialPosition: number;
  /** Settlement liquidity (recordFundsIn), e.g. 1000000 for the Phase-07 plan's funded payers. */
  liquidity: number;
  /** Net debit cap (central-ledger NET_DEBIT_CAP limit). */
  netDebitCap: number;
  /** Where the hub sends this DFSP's callbacks; the engine's callback server when omitted. */
  callbackBaseUrl?: string;
}

/** A payment corridor: a payer DFSP sending to a payee DFSP, with its share of the load. */
export interface CorridorDefinition {
  payer: string;
  payee: string;
  /** Share of all transfers; the weights of a suite sum to 1. */
  weight: number;
  /** Display name; defaults to `payer->payee`. */
  name?: string;
}

/** Constant arrival rate for a duration. */
export interface ConstantStage {
  kind: 'constant';
  /** Transfers per second. */
  rate: number;
  duration: DurationString;
  name?: string;
}

/** Linear ramp of the arrival rate from `from` to `to` over a duration. */
export interface RampStage {
  kind: 'ramp';
  from: number;
  to: number;
  duration: DurationString;
  name?: string;
}

/**
 * Open-ended ramp for stress tests: starts at `from` and rises by `stepPerMinute` TPS every minute
 * until the test's stop rule fires, or `maxRate` / `maxDuration` is reached (safety bounds).
 * A test with an open ramp must have a `stopRule`.
 */
export interface OpenRampStage {
  kind: 'open-ramp';
  from: number;
  stepPerMinute: number;
  maxRate?: number;
  maxDuration?: DurationString;
  name?: string;
}

export type Stage = ConstantStage | RampStage | OpenRampStage;

/**
 * When to stop a test early (stress tests): any one condition, held over `window`, fires it.
 * Rates are fractions (0.05 = 5%).
 */
export interface StopRule {
  /** Stop when the error rate over the window exceeds this fraction. */
  maxErrorRate?: number;
  /** Stop when p95 end-to-end latency over the window exceeds this (ms). */
  maxP95Ms?: number;
  /** Stop when achieved / offered TPS over the window drops below this fraction. */
  minAchievedRatio?: number;
  /** Evaluation window, default `10s`. */
  window?: DurationString;
}

/** What each transfer looks like. */
export interface TransferTemplate {
  /** Amount in major units, as a decimal string (`"0.05"`). */
  amount: string;
  /** Defaults to the payer DFSP's currency. */
  currency?: string;
  /** Time from prepare to expiration, e.g. `30s`. */
  expiration: DurationString;
  /** Run a quote (POST /quotes) before each transfer. */
  quote?: boolean;
  /** Run a party lookup (GET /parties) before each transfer. */
  partyLookup?: boolean;
  /** Fraction of prepares the payee rejects (answers with 5105), for fault tests. Default 0. */
  payeeRejectRatio?: number;
}

/** A success criterion of one test. Fractions are 0..1; latencies are ms. */
export type TestCriterion =
  /** The achieved TPS stays at or above `minRatio` x the planned rate over the steady state. */
  | { kind: 'achieved-rate'; minRatio: number }
  | { kind: 'success-rate'; min: number }
  | { kind: 'latency'; percentile: 50 | 90 | 95 | 99; maxMs: number }
  | { kind: 'error-rate'; max: number }
  /** CPU use per service / node as a fraction of its limit. */
  | { kind: 'cpu'; max: number }
  /** Memory working set per service / node as a fraction of its limit. */
  | { kind: 'memory'; max: number }
  | { kind: 'no-service-failures' }
  /** No service's memory grows significantly (Theil-Sen slope with a Mann-Kendall test). */
  | { kind: 'no-memory-leak'; maxSlopeBytesPerHour?: number }
  /** At least this many transfers completed (the Phase-07 plan's "Transactions: 1,800,000"). */
  | { kind: 'transfers'; min: number };

export type TestKind = 'baseline' | 'scale' | 'target' | 'endurance' | 'stress' | 'custom';

/** The Phase-07 plan's "Expected results" of a test, kept for display and for the success report. */
export interface ExpectedResults {
  transfers?: number;
  successRate?: number;
  p95Ms?: number;
  p99Ms?: number;
  duration?: DurationString;
  notes?: string[];
}

export interface TestDefinition {
  /** Stable id, used in file and directory names: `target-1000tps`. */
  id: string;
  name: string;
  kind: TestKind;
  description?: string;
  stages: Stage[];
  criteria: TestCriterion[];
  /** Required when a stage is an open ramp; optional otherwise. */
  stopRule?: StopRule;
  /**
   * After the stop rule fires (or the last stage ends), hold this rate for this long to measure
   * recovery (the Phase-07 plan's "clean recovery after stress test").
   */
  recovery?: { rate: number; duration: DurationString };
  expected?: ExpectedResults;
  /** k6-style thresholds (`{ transfer_duration: ['p(95)<300'] }`); derived from criteria when omitted. */
  thresholds?: Record<string, string[]>;
  /** Only run after this test, and only if it passed (the Phase-07 plan's progression). */
  after?: string;
  /** Time excluded at the start from steady-state criteria; default per the analyzer's rule. */
  warmup?: DurationString;
  /** Time excluded at the end from steady-state criteria. */
  cooldown?: DurationString;
  /** Cap on transfers in flight; an arrival beyond it is dropped and counted. */
  maxInFlight?: number;
  /** Override the suite's corridors for this test. */
  corridors?: CorridorDefinition[];
  /** Override parts of the suite's transfer template for this test. */
  transfer?: Partial<TransferTemplate>;
}

/** A criterion of the whole suite. */
export type SuiteCriterion =
  | { kind: 'all-tests-completed' }
  /** Achieved/offered and latency stay proportionate from the lowest rate up to `upToRate`. */
  | { kind: 'linear-scaling'; upToRate: number; minEfficiency?: number }
  /** `rate` TPS held for at least `duration` (endurance). */
  | { kind: 'sustained'; rate: number; duration: DurationString; test?: string }
  | { kind: 'breaking-point-identified'; test?: string }
  /** After the stress test's load drops, success rate and latency are back in band within `within`. */
  | { kind: 'clean-recovery'; test?: string; within?: DurationString };

/** The Phase-07 plan's Critical Metrics table row, as data. */
export type BandMetric = 'tps' | 'success-rate' | 'p95-latency' | 'cpu' | 'memory' | 'error-rate';

export interface MetricBand {
  metric: BandMetric;
  label: string;
  unit: 'tps' | 'ratio' | 'ms';
  /** `higher`: bigger is better (TPS, success rate); `lower`: smaller is better. */
  better: 'higher' | 'lower';
  /** For TPS the three numbers are fractions of the test's planned rate (`relative: true`). */
  relative?: boolean;
  target: number;
  warning: number;
  critical: number;
}

/** Which band a value falls in. `ok` = not at target, but not yet at the warning level. */
export type Band = 'target' | 'ok' | 'warning' | 'critical';

export interface CostModel {
  perNodeHour: number;
  nodes: number;
  currency?: string;
}

export interface SuiteDefinition {
  name: string;
  description?: string;
  dfsps: DfspDefinition[];
  corridors: CorridorDefinition[];
  transfer: TransferTemplate;
  tests: TestDefinition[];
  criteria: SuiteCriterion[];
  /** Defaults to the Phase-07 plan's Critical Metrics table. */
  bands?: MetricBand[];
  /** Named validation queries: name -> PromQL. */
  queries?: Record<string, string>;
  /** Pause between tests in a suite run. */
  cooldownBetweenTests?: DurationString;
  cost?: CostModel;
  /** Set by `resolveProfile()`: how this suite was scaled from its definition. */
  profile?: ProfileInfo;
}

export type ProfileName = 'quick' | 'full' | 'custom';

export interface ProfileInfo {
  name: ProfileName;
  /** Every duration was multiplied by this (1 = the Phase-07 plan's numbers). */
  timeScale: number;
  /** Every rate was capped at this, if set. */
  rateCap?: number;
}
