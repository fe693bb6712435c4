/**
 * The results directory contract (see DESIGN.md). Everything downstream (analysis, report,
 * packaging) reads only these files, through the reader in this package.
 *
 *   results/<test-id>-<timestamp>/
 *     run.json            RunManifest, rewritten atomically on status changes
 *     timeseries.ndjson   one TimeseriesRecord per second, appended and flushed every second
 *     k6-summary.json     k6 --summary-export compatible
 *     metrics/<name>.json MetricsExport, one file per named query
 *     dashboards/         PNG screenshots
 *     logs/               engine, hub and service logs
 *     analysis.json       AnalysisResult (see ../analysis/types.ts)
 *     analysis-report.html
 */
import type { CorridorDefinition, DfspDefinition, SuiteDefinition, TestDefinition, TransferTemplate } from '../model/types.js';

export const RESULTS_SCHEMA_VERSION = 1 as const;

export type RunStatus = 'running' | 'completed' | 'aborted' | 'failed';

/** Final outcome classes of one transfer. Every started transfer ends in exactly one. */
export type TransferOutcome = 'success' | 'fspiop-error' | 'http-error' | 'timeout' | 'connection-error';

export interface RunTarget {
  kind: 'embedded' | 'url';
  /** ml-api-adapter (FSPIOP) base URL. Never contains credentials. */
  url: string;
  /** central-ledger admin base URL, when known. */
  adminUrl?: string;
  /** Embedded hub profile name (`healthy`, `db-pool-exhausted`, ...). */
  hubProfile?: string;
  /** Where Prometheus was, if any. */
  prometheusUrl?: string;
}

export interface RunExecutor {
  kind: 'local' | 'k6' | 'k8s';
  version?: string;
  /** Executor-specific, secret-free settings (parallelism, runner image...). */
  settings?: Record<string, unknown>;
}

/** One stage as it actually ran, in seconds from the run start. */
export interface StageWindow {
  index: number;
  name: string;
  kind: 'constant' | 'ramp' | 'open-ramp';
  startS: number;
  /** Undefined while the stage is running. */
  endS?: number;
  /** Planned rate at the stage start and end. */
  fromRate: number;
  toRate: number;
}

export interface RunTotals {
  /** Arrivals the profile prescribed. */
  offered: number;
  /** Arrivals that started (sent a prepare). */
  started: number;
  /** Arrivals that could not start (in-flight cap): k6's dropped_iterations. */
  dropped: number;
  succeeded: number;
  /** Failed transfers by error type (see `errorType()` keys: `fspiop:4001`, `http:503`, `timeout`, `connection`). */
  failed: Record<string, number>;
  /** Started but not finished when the run ended (only for aborted runs). */
  unfinished: number;
  /**
   * Transfers with no callback at their timeout that were looked up (GET /transfers/{id}) before
   * being called a timeout, and what the hub answered: `committed` ones are in `succeeded` (at the
   * hub's commit time), `failed` in `failed` by error type, `timedOut` and `skipped` in
   * `failed.timeout`. Absent in results of engines without lookups (k6, older runs).
   */
  lookups?: { sent: number; committed: number; failed: number; timedOut: number; skipped: number };
}

export interface RunManifest {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  kind: 'mlperf-run';
  runId: string;
  testId: string;
  testName: string;
  suiteName?: string;
  /** Suite directory this run belongs to, relative, when run as part of a suite. */
  suiteRunId?: string;
  profile?: string;
  /** The test exactly as it ran (profile applied), with the suite context it needs. */
  definition: {
    test: TestDefinition;
    dfsps: DfspDefinition[];
    corridors: CorridorDefinition[];
    transfer: TransferTemplate;
    bands?: SuiteDefinition['bands'];
  };
  target: RunTarget;
  executor: RunExecutor;
  versions: Record<string, string>;
  host: { hostname: string; platform: string; cpus: number; memoryBytes: number };
  startedAt: string;
  endedAt?: string;
  status: RunStatus;
  statusReason?: string;
  stages: StageWindow[];
  totals?: RunTotals;
  /**
   * Which second a transfer is counted in, in timeseries.ndjson: `intended-start` (its counts,
   * outcome and latency all in the second its arrival was planned for, even when the outcome
   * came later). Absent in older directories: outcomes were counted in the second they arrived.
   */
  attribution?: 'intended-start';
  /** When a stop rule ended the planned stages early (stress test): when, at which planned rate, why. */
  stopped?: { atS: number; rate: number; reason: string };
  /** Names of the metrics/ exports written, and anything that could not be gathered. */
  metrics?: { exported: string[]; skipped: { name: string; reason: string }[] };
}

/**
 * Summary of an HDR histogram for one period. Latencies in milliseconds.
 * `hdr` is the histogram itself (hdr-histogram-js compressed base64, microsecond units) so that
 * periods can be merged exactly; the other fields are for readers that do not merge.
 */
export interface LatencySnapshot {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  hdr?: string;
}

export interface CorridorSecond {
  offered: number;
  started: number;
  dropped: number;
  succeeded: number;
  failed: Record<string, number>;
  e2e?: LatencySnapshot;
}

/** One line of timeseries.ndjson: what happened in one second of the run. */
export interface TimeseriesRecord {
  /** Unix ms at the start of this second. */
  t: number;
  /** Whole seconds since the run start (0-based). */
  s: number;
  stage: number;
  /** The rate the profile prescribed in this second (TPS). */
  offeredRate: number;
  offered: number;
  started: number;
  dropped: number;
  /** Transfers that finished in this second, by outcome. */
  succeeded: number;
  failed: Record<string, number>;
  inFlight: number;
  latency: {
    /** End-to-end from the intended start (coordinated-omission corrected). */
    e2e?: LatencySnapshot;
    /** End-to-end from the actual send. */
    service?: LatencySnapshot;
    /** Prepare acknowledgement (HTTP 202) latency. */
    ack?: LatencySnapshot;
    /** Intended start -> actual send. */
    dispatch?: LatencySnapshot;
  };
  /** Keyed by corridor name (`perffsp-1->perffsp-5`). */
  corridors: Record<string, CorridorSecond>;
  /** The load generator's own health in this second. */
  engine?: {
    cpu: number;
    rssBytes: number;
    eventLoopLagP99Ms: number;
    schedulingLagP99Ms: number;
    /** Engine workers (threads) that generated the load; absent: one. */
    workers?: number;
  };
  /**
   * The host's CPU in this second (from /proc/stat deltas), fractions 0..1 of all its cores:
   * busy (user+nice+system+irq+softirq+steal), iowait and steal. Absent where /proc/stat is not.
   */
  host?: { cores: number; busy: number; iowait: number; steal: number };
  /**
   * k6 runs: the runner's own limits in this second (dropped_iterations, active and allocated VUs)
   * and, for a local k6, the cores the generator side used (k6 and mlperf's DFSP simulator).
   */
  k6?: { droppedIterations: number; vus: number; vusMax: number; cpu?: number };
}

/** A Prometheus range query written at the end of a run: metrics/<name>.json. */
export interface MetricsExport {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  name: string;
  query: string;
  description?: string;
  unit?: string;
  /** Unix seconds. */
  start: number;
  end: number;
  step: number;
  source: 'prometheus' | 'engine' | 'k6';
  resultType: 'matrix';
  /** As Prometheus' query_range `data.result`. */
  result: { metric: Record<string, string>; values: [number, string][] }[];
  /** Windows with no data (Prometheus down mid-run ...). */
  missing?: { start: number; end: number; reason: string }[];
  warnings?: string[];
}

/** What the reader found in a results directory. */
export interface ResultsDirectory {
  dir: string;
  manifest: RunManifest;
  /** Fully parsed lines; a truncated last line is dropped and reported in `problems`. */
  timeseries: TimeseriesRecord[];
  k6Summary?: unknown;
  metrics: Record<string, MetricsExport>;
  /** Files present in dashboards/ and logs/. */
  dashboards: string[];
  logs: string[];
  /** Human-readable list of what is missing or damaged. Empty for a complete directory. */
  problems: string[];
}
