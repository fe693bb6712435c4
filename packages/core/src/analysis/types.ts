/**
 * analysis.json: what @mlperf/analysis writes and @mlperf/report reads.
 * Lives in core so the report never imports the analyzer (both read from disk through core).
 * Changes are additive: new optional fields only.
 */
import type { Band, BandMetric } from '../model/types.js';

export const ANALYSIS_SCHEMA_VERSION = 1 as const;

/** `inconclusive`: could not judge (missing evidence, the generator or the host was the limit). */
export type CriterionStatus = 'pass' | 'fail' | 'inconclusive';
export type Verdict = 'pass' | 'fail' | 'inconclusive';

/** A time window in unix ms. */
export interface TimeWindow {
  start: number;
  end: number;
}

export interface CriterionResult {
  /** Stable id: `success-rate`, `latency-p95`, `achieved-rate`, `no-memory-leak`, ... */
  id: string;
  /** As the Phase-07 plan words it: "Success rate > 99.5%". */
  label: string;
  status: CriterionStatus;
  value?: number;
  unit?: string;
  threshold?: number;
  comparator?: '>' | '>=' | '<' | '<=';
  window?: TimeWindow;
  band?: Band;
  /** Why: the evidence in one sentence, or why the status is inconclusive. */
  detail: string;
  /**
   * For a failed or inconclusive criterion: what explains it, in one sentence: the top finding
   * that does (`finding` is its id), or that no cause was found and which signals were missing.
   */
  explanation?: string;
  finding?: string;
}

export interface KeyMetric {
  metric: BandMetric;
  label: string;
  value?: number;
  unit: string;
  band?: Band;
  source: string;
}

export interface Evidence {
  /** Metric or series name, e.g. `mysql_global_status_threads_connected`. */
  metric: string;
  query?: string;
  window: TimeWindow;
  /** The numbers behind the finding. */
  values: { label: string; value: number; unit?: string }[];
  labels?: Record<string, string>;
}

export type FindingKind =
  | 'db-pool-exhausted'
  | 'kafka-lag'
  | 'cpu-throttling'
  | 'memory-near-limit'
  | 'event-loop-lag'
  | 'generator-saturated'
  | 'host-contention'
  | 'k6-saturated'
  | 'cold-start'
  | 'tps-plateau'
  | 'error-spike'
  | 'memory-leak'
  | 'latency-drift'
  | 'error-rate-increase'
  | 'resource-exhaustion'
  | 'other';

export interface Finding {
  id: string;
  kind: FindingKind;
  title: string;
  /** Service or resource it concerns: `central-ledger`, `mysql`, `kafka:topic-transfer-position`. */
  subject?: string;
  severity: 'critical' | 'warning' | 'info';
  /** 0..1 */
  confidence: number;
  rank: number;
  summary: string;
  evidence: Evidence[];
  fix?: {
    action: string;
    /** The Phase-07 plan's script for it, e.g. `./scale-db-connections.sh`. */
    runbookScript?: string;
    /** The phase of the runbook to go back to, e.g. `Phase 04: Mojaloop configuration`. */
    phase?: string;
  };
}

export interface TrendResult {
  subject: string;
  metric: string;
  /** Theil-Sen slope per hour in the metric's unit. */
  slopePerHour: number;
  unit: string;
  /** Mann-Kendall p-value (autocorrelation-adjusted). */
  pValue: number;
  significant: boolean;
  /** Points used for the chart (downsampled), unix ms and value. */
  points?: [number, number][];
  intercept?: number;
}

export interface EnduranceAnalysis {
  memory: TrendResult[];
  latencyDrift?: {
    firstP95Ms: number;
    lastP95Ms: number;
    changeRatio: number;
    pValue: number;
    significant: boolean;
  };
  errorRateTrend?: TrendResult;
  /** Projections: hours until the limit is reached at the observed rate. */
  exhaustion: { subject: string; resource: string; hoursRemaining: number | null; detail: string }[];
}

export interface UslFit {
  /** Universal Scalability Law: X(N) = lambda N / (1 + sigma (N-1) + kappa N (N-1)). */
  lambda: number;
  sigma: number;
  kappa: number;
  rSquared: number;
  /** Predicted peak throughput and the load at which it occurs. */
  predictedPeak: { load: number; throughput: number };
  points: { offered: number; achieved: number }[];
  /** How the prediction compares with the measured breaking point, in words. */
  note?: string;
}

export interface StressAnalysis {
  breakingPointTps?: number;
  /** Each signal that marks the break, with the offered TPS and time when it fired. */
  /** `stop-rule`: the test's stop rule ended the load (achieved/offered, error rate or p95 over its window). */
  signals: {
    kind: 'knee' | 'error-rate' | 'p95' | 'stop-rule';
    offeredTps: number;
    achievedTps?: number;
    at: number;
    detail?: string;
  }[];
  firstSignal?: 'knee' | 'error-rate' | 'p95' | 'stop-rule';
  firstComponentToFail?: { subject: string; metric: string; at: number; detail: string };
  errorTypes: Record<string, number>;
  recovery?: { recovered: boolean; seconds?: number; detail: string };
  /** achieved vs offered curve (downsampled) for the chart. */
  curve: { offered: number; achieved: number; p95Ms?: number; errorRate?: number }[];
  usl?: UslFit;
}

export interface CorridorStats {
  corridor: string;
  transfers: number;
  succeeded: number;
  share: number;
  plannedShare?: number;
  p95Ms?: number;
  p99Ms?: number;
}

/** analysis.json of one test run. */
export interface AnalysisResult {
  schemaVersion: typeof ANALYSIS_SCHEMA_VERSION;
  kind: 'test';
  runId: string;
  testId: string;
  testName: string;
  runStatus: string;
  generatedAt: string;
  verdict: Verdict;
  /** One sentence: what the reader must know first. */
  headline: string;
  steadyState?: TimeWindow & { rule: string };
  criteria: CriterionResult[];
  keyMetrics: KeyMetric[];
  findings: Finding[];
  corridors: CorridorStats[];
  errorsByType: Record<string, number>;
  totals: {
    offered: number;
    started: number;
    succeeded: number;
    failed: number;
    dropped: number;
    durationS: number;
  };
  achievedTps?: number;
  plannedTps?: number;
  endurance?: EnduranceAnalysis;
  stress?: StressAnalysis;
  /** What could not be analysed and why (missing files, no Prometheus exports...). */
  missing: string[];
  /**
   * k6 thresholds of imported k6 output (or of an `--executor k6` run), as k6 judges them over the
   * whole run: each is also a criterion (`k6-threshold:<metric>:<expression>`), so a run k6 failed
   * (exit 99) fails. `ok` is absent when the input cannot tell. The thresholds of the built-in
   * engine's own runs are information only (k6-summary.json), never part of the verdict.
   */
  k6Thresholds?: { metric: string; expression: string; ok?: boolean; value?: number; reason?: string }[];
}

/** analysis.json of a suite directory. */
export interface SuiteAnalysisResult {
  schemaVersion: typeof ANALYSIS_SCHEMA_VERSION;
  kind: 'suite';
  suiteName: string;
  generatedAt: string;
  verdict: Verdict;
  headline: string;
  criteria: CriterionResult[];
  tests: {
    testId: string;
    testName: string;
    /** The test's results directory relative to the suite directory (older files: as given to the analyzer). */
    runDir: string | null;
    status: string;
    verdict: Verdict | 'not-run';
  }[];
  scaling?: UslFit;
  breakingPointTps?: number;
  findings: Finding[];
}
