import type { K6HandleSummary } from './summary.js';

type Group = K6HandleSummary['root_group'];
type Metric = K6HandleSummary['metrics'][string];

function mergeGroups(groups: Group[]): Group {
  const first = groups[0] as Group;
  const checks = new Map<string, Group['checks'][number]>();
  const subs = new Map<string, Group[]>();
  for (const g of groups) {
    for (const c of g.checks) {
      const seen = checks.get(c.path);
      if (seen) {
        seen.passes += c.passes;
        seen.fails += c.fails;
      } else checks.set(c.path, { ...c });
    }
    for (const s of g.groups) subs.set(s.path, [...(subs.get(s.path) ?? []), s]);
  }
  return {
    name: first.name,
    path: first.path,
    id: first.id,
    groups: [...subs.values()].map(mergeGroups),
    checks: [...checks.values()],
  };
}

function mergeTrend(values: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  const counts = values.map((v) => v.count);
  const weighted = counts.every((c) => c !== undefined && c >= 0);
  const totalCount = weighted ? counts.reduce((s: number, c) => s + (c ?? 0), 0) : undefined;
  const keys = new Set(values.flatMap((v) => Object.keys(v)));
  for (const k of keys) {
    const xs = values.map((v) => v[k]).filter((x): x is number => x !== undefined);
    if (k === 'count') out[k] = xs.reduce((s, x) => s + x, 0);
    else if (k === 'min') out[k] = Math.min(...xs);
    else if (k === 'avg' && totalCount) {
      out[k] = values.reduce((s, v) => s + (v.avg ?? 0) * (v.count ?? 0), 0) / totalCount;
    } else if (k === 'avg') out[k] = xs.reduce((s, x) => s + x, 0) / xs.length;
    // max, med and p(N): the worst runner's (an upper bound; exact percentiles come from Prometheus).
    else out[k] = Math.max(...xs);
  }
  return out;
}

function mergeMetric(ms: Metric[]): Metric {
  const first = ms[0] as Metric;
  const vals = ms.map((m) => m.values);
  const sum = (k: string) => vals.reduce((s, v) => s + (v[k] ?? 0), 0);
  let values: Record<string, number>;
  switch (first.type) {
    case 'counter':
      values = { count: sum('count'), rate: sum('rate') };
      break;
    case 'rate': {
      const passes = sum('passes');
      const fails = sum('fails');
      values = { rate: passes + fails === 0 ? 0 : passes / (passes + fails), passes, fails };
      break;
    }
    case 'gauge':
      values = { value: sum('value'), min: sum('min'), max: sum('max') };
      break;
    default:
      values = mergeTrend(vals);
  }
  const out: Metric = { type: first.type, values };
  if (first.contains !== undefined) out.contains = first.contains;
  const exprs = new Set(ms.flatMap((m) => Object.keys(m.thresholds ?? {})));
  if (exprs.size > 0) {
    out.thresholds = Object.fromEntries(
      [...exprs].map((e) => [e, { ok: ms.every((m) => m.thresholds?.[e]?.ok !== false) }]),
    );
  }
  return out;
}

/**
 * Combines the summaries of the runner pods of one distributed test. Counts, rates and checks add
 * up exactly; trend min/max/avg are exact (avg weighted by `count`), med and percentiles are the
 * worst runner's, an upper bound: k6-operator does not aggregate, Prometheus has the exact figures.
 * A threshold passes only if it passed on every runner.
 */
export function mergeSummaries(list: K6HandleSummary[]): K6HandleSummary {
  if (list.length === 1) return list[0] as K6HandleSummary;
  if (list.length === 0) throw new Error('mergeSummaries: no summaries');
  const names = new Set(list.flatMap((s) => Object.keys(s.metrics)));
  const metrics: K6HandleSummary['metrics'] = {};
  for (const n of names) {
    metrics[n] = mergeMetric(list.map((s) => s.metrics[n]).filter((m): m is Metric => m !== undefined));
  }
  const durations = list.map((s) => s.state?.testRunDurationMs ?? 0);
  const first = list[0] as K6HandleSummary;
  const merged: K6HandleSummary = {
    root_group: mergeGroups(list.map((s) => s.root_group)),
    metrics,
    state: { ...first.state, testRunDurationMs: Math.max(...durations) },
  };
  if (first.options) merged.options = first.options;
  return merged;
}
