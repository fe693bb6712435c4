import type { Finding, TimeseriesRecord } from '@mlperf/core';
import { type Draft, rankFindings } from './fixes.js';
import { errorRule, generatorRule, plateauFinding } from './load.js';
import {
  cpuSaturationRule,
  cpuThrottlingRule,
  dbPoolRule,
  eventLoopRule,
  kafkaLagRule,
  memoryNearLimitRule,
  type RuleContext,
  serviceFailureRule,
} from './rules.js';

export type { RuleContext } from './rules.js';
export { type Draft, FIXES, rankFindings } from './fixes.js';

/**
 * USE over the run: utilisation, saturation and errors per service and resource, then the
 * generator itself, then the TPS plateau explained by the top cause. Ranked, causes first.
 */
export function findBottlenecks(
  ctx: RuleContext,
  allRecords: readonly TimeseriesRecord[],
  hasMetrics: boolean,
  extra: Draft[] = [],
): Finding[] {
  const causes: Draft[] = [
    ...generatorRule(ctx),
    ...dbPoolRule(ctx),
    ...kafkaLagRule(ctx),
    ...cpuThrottlingRule(ctx),
    ...cpuSaturationRule(ctx),
    ...memoryNearLimitRule(ctx),
    ...eventLoopRule(ctx),
    ...serviceFailureRule(ctx),
    ...errorRule(ctx, allRecords),
    ...extra,
  ];
  const ranked = rankFindings(causes);
  const plateau = plateauFinding(ctx, ranked, hasMetrics);
  return plateau ? rankFindings([...ranked, plateau]) : ranked;
}
