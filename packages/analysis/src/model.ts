import type {
  CorridorDefinition,
  DfspDefinition,
  MetricBand,
  MetricsExport,
  RunTotals,
  StageWindow,
  TestDefinition,
  TimeseriesRecord,
  TransferTemplate,
} from '@mlperf/core';

/**
 * What every input (an mlperf results directory, k6 NDJSON, a k6 summary) is turned into before
 * analysis, so they are all judged by the same code.
 */
export interface RunData {
  source: 'mlperf' | 'k6-ndjson' | 'k6-summary';
  /** Directory or file it came from. */
  origin: string;
  runId: string;
  testId: string;
  testName: string;
  /** completed | aborted | failed | running (interrupted). */
  status: string;
  test?: TestDefinition;
  dfsps: DfspDefinition[];
  corridors: CorridorDefinition[];
  transfer?: TransferTemplate;
  bands?: MetricBand[];
  stages: StageWindow[];
  /** Unix ms of the run start. */
  startMs: number;
  timeseries: TimeseriesRecord[];
  metrics: Record<string, MetricsExport>;
  totals?: RunTotals;
  /** When the test's stop rule ended the load early: seconds from the start, offered rate, why. */
  stopped?: { atS: number; rate: number; reason: string };
  /** Aggregates known only as a whole (k6 summary inputs without per-second data). */
  summary?: SummaryAggregates;
  /** Planned rate when the definition is unknown (k6). */
  plannedTps?: number;
  /** k6 thresholds: as k6 evaluated them (summary) or re-evaluated from the points (NDJSON); ok undefined = could not judge. */
  k6Thresholds?: {
    metric: string;
    expression: string;
    ok: boolean | undefined;
    value?: number;
    reason?: string;
  }[];
  /** k6's `checks` metric over the run. */
  k6Checks?: { passes: number; fails: number };
  /** What the latency figures measure (k6 input: from the send, not the intended start). */
  latencySource?: string;
  /** Exact run duration when the input knows it (k6), seconds. */
  durationS?: number;
  /** What could not be read (damaged input): the verdict cannot be pass. */
  inputDamage?: string[];
  problems: string[];
}

export interface SummaryAggregates {
  durationS: number;
  started: number;
  succeeded: number;
  failed: number;
  dropped: number;
  /** NaN when the outcomes are unknown. */
  achievedTps: number;
  /** The input had no outcome metric: success and achieved rate cannot be judged. */
  outcomesUnknown?: boolean;
  latency?: { p50?: number; p90?: number; p95?: number; p99?: number; max?: number; source: string };
  errorsByType: Record<string, number>;
}
