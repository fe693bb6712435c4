/**
 * suite.json: the state of one `mlperf suite run`, rewritten atomically at every step so a second
 * terminal (`mlperf monitor`) and `--resume` always see a consistent picture.
 *
 *   results/suite-<timestamp>/
 *     suite.json            SuiteRunManifest
 *     check.json            CheckReport of the pre-test check
 *     <test>-<timestamp>/   one results directory per test run (see core's results contract)
 *     analysis.json         SuiteAnalysisResult
 *     suite-report.html
 *     <suite>-results.tar.gz
 */
import type {
  AnalysisResult,
  ExitCode,
  ProfileInfo,
  RunStatus,
  SuiteAnalysisResult,
  SuiteDefinition,
  TestDefinition,
  TestKind,
  Verdict,
} from '@mlperf/core';
import type { CheckReport } from '../check/types.js';
import type { LiveIssue } from '../monitor/live-issues.js';

export const SUITE_RUN_SCHEMA_VERSION = 1 as const;

export type SuiteRunStatus = 'running' | 'completed' | 'failed' | 'check-failed' | 'interrupted';

/** `completed`: the test ran to its end (its verdict says whether it passed). */
export type SuiteTestStatus = 'pending' | 'running' | 'completed' | 'aborted' | 'error' | 'skipped';

export type SuitePhase = 'reset' | 'check' | 'test' | 'analysis' | 'cooldown' | 'report' | 'package';

/** A finding as summarised in suite.json (the full one is in the test's analysis.json). */
export interface SuiteFindingSummary {
  kind: string;
  title: string;
  subject?: string;
  severity: string;
  fix?: string;
  runbookScript?: string;
}

export interface SuiteTestAttempt {
  runDir: string;
  status: SuiteTestStatus;
  verdict?: Verdict;
  reason?: string;
}

export interface SuiteTestEntry {
  testId: string;
  name: string;
  kind: TestKind;
  after?: string;
  status: SuiteTestStatus;
  /** Results directory, relative to the suite directory. */
  runDir?: string;
  runStatus?: RunStatus;
  verdict?: Verdict;
  headline?: string;
  findings?: SuiteFindingSummary[];
  /** Failed criteria, as labels with values: "P95 Latency < 300ms: 412 ms". */
  failedCriteria?: string[];
  /** analysis-report.html, relative to the suite directory. */
  report?: string;
  reason?: string;
  plannedDurationMs: number;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  liveIssues?: LiveIssue[];
  /** Earlier attempts (before a resume). */
  attempts?: SuiteTestAttempt[];
}

export interface SuiteRunManifest {
  schemaVersion: typeof SUITE_RUN_SCHEMA_VERSION;
  kind: 'mlperf-suite';
  suiteRunId: string;
  suiteName: string;
  profile?: ProfileInfo;
  target: { kind: 'embedded' | 'url'; url?: string; hubProfile?: string; prometheusUrl?: string };
  options: { continueOnFail: boolean; force: boolean };
  status: SuiteRunStatus;
  statusReason?: string;
  /** Test ids in run order. */
  progression: string[];
  current?: { phase: SuitePhase; testId?: string; since: string; until?: string };
  tests: SuiteTestEntry[];
  check?: { status: CheckReport['status']; exitCode: number; failed: string[]; warned: string[] };
  timings: {
    startedAt: string;
    updatedAt: string;
    endedAt?: string;
    plannedDurationMs: number;
    cooldownMs: number;
    /** Planned time of the tests and cool-downs not yet done. */
    remainingMs: number;
  };
  verdict?: Verdict;
  headline?: string;
  report?: string;
  analysis?: string;
  package?: string;
  /** How many times this suite was resumed. */
  resumes: number;
  /** The resolved suite (profile applied), so a resume runs exactly the same tests. */
  definition: SuiteDefinition;
}

export interface RunTestArgs {
  suite: SuiteDefinition;
  test: TestDefinition;
  suiteDir: string;
  suiteRunId: string;
  signal: AbortSignal;
  /** Call as soon as the results directory exists, so monitors can follow it. */
  onStart(runDir: string): void;
}

export interface RunTestOutcome {
  runDir: string;
  status: RunStatus;
  reason?: string;
}

export type TestAnalysis = Pick<AnalysisResult, 'verdict' | 'headline' | 'findings' | 'criteria'>;

export type SuiteEvent =
  | { kind: 'phase'; phase: SuitePhase; testId?: string; detail?: string }
  | { kind: 'check'; report: CheckReport }
  | { kind: 'test-start'; test: SuiteTestEntry; index: number; count: number }
  | { kind: 'test-end'; test: SuiteTestEntry }
  | { kind: 'test-skip'; test: SuiteTestEntry }
  | { kind: 'live-issue'; testId: string; issue: LiveIssue }
  | { kind: 'note'; message: string };

/** Everything the orchestration needs from the outside, injected so it runs (and is tested) alone. */
export interface SuiteRunDeps {
  /** The Phase-07 plan's reset-test-data.sh: positions back to the suite's initial state. */
  reset(suite: SuiteDefinition): Promise<void>;
  check(suite: SuiteDefinition): Promise<CheckReport>;
  runTest(args: RunTestArgs): Promise<RunTestOutcome>;
  /** Analyses one results directory (writes its analysis.json). */
  analyzeRun(runDir: string): Promise<TestAnalysis>;
  /** Renders analysis-report.html; returns its path. */
  reportRun?(runDir: string): Promise<string>;
  /** Analyses the suite directory (writes analysis.json there). */
  analyzeSuite?(suiteDir: string): Promise<SuiteAnalysisResult>;
  /** Renders suite-report.html; returns its path. */
  reportSuite?(suiteDir: string): Promise<string>;
  /** Packages the suite directory; returns the archive path. */
  packageSuite?(suiteDir: string): Promise<string>;
  /** Likely causes of a live issue (the analyzer's view of the target right now). */
  explainIssue?(issue: LiveIssue, runDir: string): Promise<LiveIssue['causes']>;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  now?(): number;
  onEvent?(e: SuiteEvent): void;
}

export interface SuiteRunOptions {
  /** Where `suite-<timestamp>/` is created. */
  outDir: string;
  /** Resume this suite directory instead of starting a new one. */
  resume?: string;
  continueOnFail?: boolean;
  /** Run even if the pre-test check fails. */
  force?: boolean;
  /** Skip the pre-test check entirely. */
  skipCheck?: boolean;
  target: SuiteRunManifest['target'];
  signal?: AbortSignal;
  /** Seconds between live-issue polls of the running test; default 1. */
  pollMs?: number;
}

export interface SuiteRunResult {
  suiteDir: string;
  manifest: SuiteRunManifest;
  exitCode: ExitCode;
}
