import type { FindingKind } from '@mlperf/core';

/** Finding kinds that blame the hub's own resources (not the generator, not the host). */
export const HUB_CAUSES: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'db-pool-exhausted',
  'kafka-lag',
  'cpu-throttling',
  'memory-near-limit',
  'event-loop-lag',
  'other',
]);
