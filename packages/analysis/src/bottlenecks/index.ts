import type { Finding, TimeseriesRecord } from '@mlperf/core';
import { type Draft, LIMIT_KINDS, rankFindings, round } from './fixes.js';
import { hostContentionRule } from './host.js';
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
    ...hostContentionRule(ctx),
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
  const ranked = rankFindings(demoteExplained(causes));
  // a cold start explains the shortfall: it is named instead of a plateau
  const cold = ranked.some((f) => f.kind === 'cold-start');
  const plateau = cold ? undefined : plateauFinding(ctx, ranked, hasMetrics);
  if (!plateau) return ranked;
  // a plateau the generator or the host explains is not the hub's: info, below the hub's findings
  const starved = ranked[0] !== undefined && LIMIT_KINDS.has(ranked[0].kind);
  return rankFindings([...ranked, starved ? { ...plateau, severity: 'info' } : plateau]);
}

/** Hub findings a starved generator or host explains on its own: slowness, lag, backlog. */
const TIMING_KINDS = new Set<Draft['kind']>(['kafka-lag', 'event-loop-lag', 'latency-drift']);

function explained(d: Draft): boolean {
  if (TIMING_KINDS.has(d.kind)) return true;
  if (d.kind === 'other' && d.title.startsWith('CPU saturated')) return true;
  // a failed scrape (up = 0) of a starved process is not a crash; a restart counter is kept
  if (d.kind === 'other' && d.title.endsWith(' was down')) return true;
  if (d.kind !== 'error-spike') return false;
  // timeouts, expiries (3303) and refused connections are what starvation looks like; other FSPIOP codes are not
  const byType = d.evidence[0]?.values ?? [];
  const total = byType.reduce((a, v) => a + v.value, 0);
  const timing = byType
    .filter((v) => /timeout|connection|3303/.test(v.label))
    .reduce((a, v) => a + v.value, 0);
  return total > 0 && timing / total >= 0.5;
}

/**
 * When the generator or the host was the limit, the hub findings it explains are demoted to
 * `info` (kept, with the reason) so they never read as the hub's bottleneck.
 */
function demoteExplained(drafts: Draft[]): Draft[] {
  const limit = drafts.find((d) => LIMIT_KINDS.has(d.kind));
  if (!limit) return drafts;
  return drafts.map((d) =>
    d !== limit && !LIMIT_KINDS.has(d.kind) && explained(d)
      ? {
          ...d,
          severity: 'info',
          confidence: round(d.confidence / 2, 2),
          summary: `Explained by "${limit.title}", not a hub bottleneck: ${d.summary}`,
        }
      : d,
  );
}
