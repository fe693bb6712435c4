import type { CriterionResult } from '@mlperf/core';
import type { RunData } from '../model.js';

/**
 * What k6 input adds to the criteria: each k6 threshold (k6's own verdict, or re-evaluated from the
 * NDJSON points), and completeness of the input (a damaged file cannot support a pass).
 */
export function k6Criteria(data: RunData): CriterionResult[] {
  const out: CriterionResult[] = (data.k6Thresholds ?? []).map((t) => ({
    id: `k6-threshold:${t.metric}:${t.expression}`,
    label: `k6 threshold ${t.metric} ${t.expression}`,
    status: t.ok === undefined ? 'inconclusive' : t.ok ? 'pass' : 'fail',
    ...(t.value !== undefined ? { value: Math.round(t.value * 10000) / 10000 } : {}),
    detail:
      t.ok === undefined
        ? `could not be judged: ${t.reason ?? 'no data'}`
        : data.source === 'k6-ndjson'
          ? 'evaluated from the k6 points as k6 does'
          : 'as evaluated by k6',
  }));
  if (data.inputDamage?.length)
    out.push({
      id: 'k6-input-complete',
      label: 'k6 output read completely',
      status: 'inconclusive',
      detail: data.inputDamage.join('; '),
    });
  return out;
}
