import type { TestCriterion } from '@mlperf/core';
import { percentileMs } from './histograms.js';
import type { EngineResult } from './load-engine.js';

export interface CriterionResult {
  criterion: TestCriterion;
  /** `skipped`: needs evidence the engine does not have (service metrics from Prometheus). */
  status: 'passed' | 'failed' | 'skipped';
  actual?: number;
  /** What was measured and over which window, in words. */
  detail: string;
}

/**
 * Evaluates what the engine itself can judge, over the steady-state seconds (the whole run when
 * the test is too short to have any): achieved rate, success and error rates, latency, transfers.
 * CPU, memory, service failures and leaks need the hub's metrics: `mlperf analyze` judges those.
 */
export function evaluateCriteria(criteria: readonly TestCriterion[], r: EngineResult): CriterionResult[] {
  const useSteady = r.steadySeconds > 0;
  const p = useSteady ? r.steady : r.total;
  const seconds = useSteady ? r.steadySeconds : r.durationS;
  const window = useSteady
    ? `steady state (${r.steadySeconds} s)`
    : `whole run (${r.durationS.toFixed(1)} s)`;
  const outcomes = p.all.succeeded + p.all.failedTotal;
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  return criteria.map((c): CriterionResult => {
    switch (c.kind) {
      case 'achieved-rate': {
        const planned = p.all.offered / seconds;
        const achieved = p.all.succeeded / seconds;
        const ratio = planned > 0 ? achieved / planned : 0;
        return {
          criterion: c,
          status: ratio >= c.minRatio ? 'passed' : 'failed',
          actual: ratio,
          detail: `achieved ${achieved.toFixed(1)} of ${planned.toFixed(1)} TPS planned (${pct(ratio)}, needs >= ${pct(c.minRatio)}) over the ${window}`,
        };
      }
      case 'success-rate': {
        const total = outcomes + p.all.dropped;
        const rate = total > 0 ? p.all.succeeded / total : 0;
        return {
          criterion: c,
          status: total > 0 && rate > c.min ? 'passed' : 'failed',
          actual: rate,
          detail: `success ${pct(rate)} of ${total} transfers (dropped count as failed), needs > ${pct(c.min)}, over the ${window}`,
        };
      }
      case 'error-rate': {
        const rate = outcomes > 0 ? p.all.failedTotal / outcomes : 1;
        return {
          criterion: c,
          status: outcomes > 0 && rate < c.max ? 'passed' : 'failed',
          actual: rate,
          detail: `errors ${pct(rate)} of ${outcomes} finished transfers, needs < ${pct(c.max)}, over the ${window}`,
        };
      }
      case 'latency': {
        const v = percentileMs(p.e2e, c.percentile);
        return {
          criterion: c,
          status: p.e2e.totalCount > 0 && v < c.maxMs ? 'passed' : 'failed',
          actual: v,
          detail: `p${c.percentile} ${v.toFixed(1)} ms from the intended start, needs < ${c.maxMs} ms, over the ${window}`,
        };
      }
      case 'transfers': {
        const n = r.total.all.succeeded;
        return {
          criterion: c,
          status: n >= c.min ? 'passed' : 'failed',
          actual: n,
          detail: `${n} transfers committed, needs >= ${c.min}`,
        };
      }
      default:
        return {
          criterion: c,
          status: 'skipped',
          detail: `${c.kind}: needs the hub's service metrics; judged by \`mlperf analyze\``,
        };
    }
  });
}
