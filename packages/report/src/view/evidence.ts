import type { AnalysisResult, ResultsDirectory } from '@mlperf/core';
import { needsPrometheus, prometheusCriteria } from '@mlperf/core';

/**
 * When a run has no Prometheus exports: why (as run.json recorded it) and which of its criteria
 * that leaves inconclusive. Undefined when metrics/ has exports.
 */
export function prometheusGap(results: ResultsDirectory, analysis?: AnalysisResult): string | undefined {
  if (Object.keys(results.metrics).length > 0) return undefined;
  const skipped = results.manifest.metrics?.skipped.find((s) => s.name === '*');
  const why = skipped?.reason ?? 'metrics/ holds no Prometheus export';
  const unjudged = analysis
    ? analysis.criteria
        .filter((c) => needsPrometheus(c.id) && c.status !== 'pass' && c.status !== 'fail')
        .map((c) => c.label)
    : (prometheusCriteria([results.manifest.definition.test])[0]?.criteria ?? []);
  const scope = 'CPU, memory, service health and bottleneck causes cannot be judged';
  if (unjudged.length === 0)
    return `No Prometheus watched this run (${why}): ${scope}; no criterion of this test needs it.`;
  return `No Prometheus watched this run (${why}): ${scope}, and these criteria are inconclusive: ${unjudged.join(', ')}.`;
}

/** The analyzer's own line for the same gap, which the report's line above replaces. */
export const isPrometheusGapLine = (line: string): boolean =>
  line.startsWith('metrics/: no Prometheus exports');
