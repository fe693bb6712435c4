import type { Evidence, Finding, FindingKind, TimeWindow } from '@mlperf/core';
import type { Series } from '../metrics.js';
import { subjectOf } from '../metrics.js';
import { mean, quantile } from '../stats/basic.js';

/** The Phase-07 plan's remedies ("TPS plateaus below target": common causes and fixes). */
export const FIXES = {
  db: {
    action: 'Raise the central-ledger DB connection pool and MySQL max_connections',
    runbookScript: './scale-db-connections.sh',
    phase: 'Phase 04: Mojaloop configuration',
  },
  kafka: {
    action: 'Add Kafka partitions and consumers for the lagging topic',
    runbookScript: './scale-kafka-partitions.sh',
    phase: 'Phase 04: Mojaloop configuration',
  },
  replicas: {
    action: 'Scale the service out (more replicas) or raise its CPU limit',
    runbookScript: './scale-service-replicas.sh',
    phase: 'Phase 02: Infrastructure',
  },
  memory: {
    action: 'Raise the memory limit or scale out; look for a leak if it keeps growing',
    runbookScript: './scale-service-replicas.sh',
    phase: 'Phase 02: Infrastructure',
  },
  generator: {
    action: 'Give the load generator more CPU or more workers (k6 parallelism) and re-run',
    phase: 'Phase 07: Performance testing',
  },
  host: {
    action:
      'Run the test where no other process competes for the CPU (or give the hub and the generator dedicated cores) and re-run',
    phase: 'Phase 07: Performance testing',
  },
  errors: {
    action:
      'Reduce load temporarily, find the failing service and restart unhealthy pods (./find-failing-service.sh, ./restart-unhealthy-pods.sh)',
    phase: 'Phase 07: Performance testing',
  },
} as const satisfies Record<string, Finding['fix']>;

export type Draft = Omit<Finding, 'id' | 'rank'>;

/** Evidence from one series: mean, p95 and max over the window. */
export function seriesEvidence(s: Series, window: TimeWindow, unit: string, scale = 1): Evidence {
  const v = s.points.map((p) => p[1] * scale);
  const last = s.points[s.points.length - 1];
  return {
    metric: s.exportName,
    query: s.query,
    window,
    labels: s.labels,
    values: [
      { label: 'mean', value: round(mean(v)), unit },
      { label: 'p95', value: round(quantile(v, 0.95)), unit },
      { label: 'max', value: round(Math.max(...v)), unit },
      ...(last ? [{ label: 'last', value: round(last[1] * scale), unit }] : []),
    ],
  };
}

export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function draft(
  kind: FindingKind,
  s: Series | undefined,
  fields: Omit<Draft, 'kind' | 'subject'> & { subject?: string },
): Draft {
  const subject = fields.subject ?? (s ? subjectOf(s.labels) : undefined);
  return { kind, ...fields, ...(subject ? { subject } : {}) };
}

/** Findings that say the generator or the host was the limit: they rank first. */
export const LIMIT_KINDS: ReadonlySet<FindingKind> = new Set([
  'generator-saturated',
  'host-contention',
  'k6-saturated',
]);

/** Ranks drafts: the generator and the host first, then causes before symptoms, then severity x confidence; assigns ids and ranks. */
export function rankFindings(drafts: Draft[]): Finding[] {
  const sev = { critical: 3, warning: 2, info: 1 } as const;
  const symptom = new Set<FindingKind>([
    'tps-plateau',
    'error-spike',
    'latency-drift',
    'error-rate-increase',
  ]);
  // an `info` finding (a hub finding the generator or the host explains) is no cause: it ranks last
  const score = (d: Draft) =>
    (LIMIT_KINDS.has(d.kind) ? 20 : symptom.has(d.kind) || d.severity === 'info' ? 0 : 10) +
    sev[d.severity] * d.confidence;
  return [...drafts]
    .sort((a, b) => score(b) - score(a))
    .map((d, i) => ({ ...d, id: `${d.kind}${d.subject ? `:${d.subject}` : ''}`, rank: i + 1 }));
}
