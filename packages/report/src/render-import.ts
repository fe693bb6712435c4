import { dirname, join } from 'node:path';
import type {
  AnalysisResult,
  CorridorDefinition,
  MetricsExport,
  RunManifest,
  RunStatus,
  TimeseriesRecord,
} from '@mlperf/core';
import { RESULTS_SCHEMA_VERSION, writeFileAtomic } from '@mlperf/core';
import type { TestReportInput } from './load.js';
import { buildTestReportHtml, type RenderedReport, TEST_REPORT_FILE } from './render-test.js';

/** A run that did not come from an mlperf results directory (real k6 output), already parsed. */
export interface ImportedRun {
  /** The file it was read from; the report goes beside it unless `out` is given. */
  source: string;
  runId: string;
  testId: string;
  testName: string;
  status: RunStatus;
  startMs: number;
  timeseries: TimeseriesRecord[];
  metrics?: Record<string, MetricsExport>;
  corridors?: CorridorDefinition[];
  executor: RunManifest['executor'];
  /** What the import could not provide. */
  problems: string[];
}

function manifestOf(run: ImportedRun): RunManifest {
  const last = run.timeseries[run.timeseries.length - 1];
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    kind: 'mlperf-run',
    runId: run.runId,
    testId: run.testId,
    testName: run.testName,
    definition: {
      test: {
        id: run.testId,
        name: run.testName,
        kind: 'custom',
        description: `imported from ${run.source}`,
        stages: [],
        criteria: [],
      },
      dfsps: [],
      corridors: run.corridors ?? [],
      transfer: { amount: '—', expiration: '—' },
    },
    target: { kind: 'url', url: '(not recorded by the import)' },
    executor: run.executor,
    versions: run.executor.version ? { [run.executor.kind]: run.executor.version } : {},
    host: { hostname: '(not recorded)', platform: '—', cpus: 0, memoryBytes: 0 },
    // A k6 summary has no start time: say so rather than show the epoch.
    startedAt:
      run.startMs > 0
        ? new Date(run.startMs).toISOString()
        : 'unknown (k6 summary: whole-run aggregates only)',
    ...(last ? { endedAt: new Date(last.t + 1000).toISOString() } : {}),
    status: run.status,
    stages: [],
  };
}

/** The report input of an imported run, as if it had been read from a results directory. */
function importedReportInput(run: ImportedRun, analysis?: AnalysisResult): TestReportInput {
  const input: TestReportInput = {
    results: {
      dir: dirname(run.source),
      manifest: manifestOf(run),
      timeseries: run.timeseries,
      metrics: run.metrics ?? {},
      dashboards: [],
      logs: [],
      problems: run.problems,
    },
  };
  if (analysis) input.analysis = analysis;
  else input.analysisProblem = 'analysis: not run on this import';
  return input;
}

/** Writes analysis-report.html for an imported run (beside its source file unless `out` is given). */
export function renderImportedReport(
  run: ImportedRun,
  analysis: AnalysisResult | undefined,
  options: { out?: string; now?: Date } = {},
): RenderedReport {
  const input = importedReportInput(run, analysis);
  const { html, view } = buildTestReportHtml(input, options.now ? { now: options.now } : {});
  const path = options.out ?? join(dirname(run.source), TEST_REPORT_FILE);
  writeFileAtomic(path, html);
  return {
    path,
    bytes: Buffer.byteLength(html),
    verdict: view.verdict,
    charts: view.charts.filter((c) => c.svg).map((c) => c.id),
    missingCharts: view.charts.filter((c) => !c.svg).map((c) => c.id),
    missing: view.missing,
  };
}
