import { fileURLToPath } from 'node:url';
import { publicApi } from '@mlperf/testkit';
import { describe, expect, it } from 'vitest';

// The public surface of @mlperf/analysis. A change here is an API decision: document it in the README first.
describe('@mlperf/analysis exports', () => {
  it('these values', async () => {
    expect(Object.keys(await import('@mlperf/analysis')).sort()).toMatchInlineSnapshot(`
      [
        "analyzeData",
        "analyzeK6",
        "analyzeRun",
        "analyzeSuite",
        "compareRuns",
        "detectK6Input",
        "detectKnee",
        "findRuns",
        "fitUsl",
        "formatAnalysis",
        "formatComparison",
        "formatSuiteAnalysis",
        "k6NdjsonData",
        "k6SummaryData",
        "latencyDrift",
        "mannKendall",
        "mannWhitney",
        "mergeLatency",
        "runDataOf",
        "snapshotOf",
        "steadyState",
        "theilSen",
        "trendOf",
        "welch",
      ]
    `);
  });

  it('these types', () => {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    expect(publicApi(entry).types).toMatchInlineSnapshot(`
      [
        "AnalyzeOptions",
        "AnalyzeRunOptions",
        "AnalyzeSuiteOptions",
        "CompareOptions",
        "ComparisonResult",
        "K6InputKind",
        "Knee",
        "MannKendall",
        "MetricComparison",
        "RunData",
        "SteadyState",
        "SummaryAggregates",
        "TheilSen",
        "TwoSampleTest",
      ]
    `);
  });
});
