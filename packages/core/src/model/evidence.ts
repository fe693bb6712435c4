import type { TestCriterion, TestDefinition } from './types.js';

/** Criteria judged only from Prometheus exports (metrics/): without a Prometheus they are inconclusive. */
export const PROMETHEUS_CRITERIA = ['cpu', 'memory', 'no-service-failures', 'no-memory-leak'] as const;

export type PrometheusCriterionKind = (typeof PROMETHEUS_CRITERIA)[number];

/** Whether a criterion (by kind, or by the id an analysis gives it) needs Prometheus exports. */
export function needsPrometheus(kindOrId: string): kindOrId is PrometheusCriterionKind {
  return (PROMETHEUS_CRITERIA as readonly string[]).includes(kindOrId);
}

function label(c: TestCriterion): string {
  if (c.kind === 'cpu') return `CPU usage < ${Math.round(c.max * 100)}%`;
  if (c.kind === 'memory') return `Memory usage < ${Math.round(c.max * 100)}%`;
  return c.kind === 'no-service-failures' ? 'No service failures' : 'No memory leaks';
}

/** Per test, the criteria that need Prometheus: what a run without one cannot judge. */
export function prometheusCriteria(
  tests: readonly TestDefinition[],
): { testId: string; criteria: string[] }[] {
  return tests
    .map((t) => ({
      testId: t.id,
      criteria: (t.criteria ?? []).filter((c) => needsPrometheus(c.kind)).map(label),
    }))
    .filter((t) => t.criteria.length > 0);
}
