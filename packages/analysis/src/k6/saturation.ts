import type { Finding, TimeseriesRecord, TimeWindow } from '@mlperf/core';

/** A k6 runner's practical limits (as the scale advice assumes): VUs per runner, iterations/s per runner. */
const MAX_VUS_PER_RUNNER = 3000;
const ITERATIONS_PER_RUNNER = 800;

const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * `k6-saturated`: the k6 runner, not the hub, was the limit: it dropped iterations (no free VU at an
 * arrival) or ran with every VU busy. Says what it managed, the VUs it needs (rate x the time a VU
 * is held per iteration, observed) and the parallelism to use.
 */
export function k6Saturation(
  records: readonly TimeseriesRecord[],
  plannedTps: number | undefined,
  window: TimeWindow,
): Finding | undefined {
  const ks = records.filter((r) => r.k6);
  if (ks.length === 0) return undefined;
  const dropped = ks.reduce((a, r) => a + (r.k6?.droppedIterations ?? 0), 0);
  const atMax = ks.filter((r) => r.k6 && r.k6.vusMax > 0 && r.k6.vus >= r.k6.vusMax).length;
  const started = records.reduce((a, r) => a + r.started, 0);
  if (dropped <= Math.max(1, started * 0.001) && atMax < 2) return undefined;
  const busy = ks.filter((r) => r.started > 0 && (r.k6?.vus ?? 0) > 0);
  // Little's law: VUs busy = iterations/s x seconds a VU is held per iteration.
  const heldS = busy.length ? busy.reduce((a, r) => a + (r.k6?.vus ?? 0) / r.started, 0) / busy.length : 0;
  const managed = records.length ? started / records.length : 0;
  const vusMax = Math.max(...ks.map((r) => r.k6?.vusMax ?? 0));
  const rate = plannedTps ?? managed + dropped / Math.max(1, records.length);
  const needed = Math.ceil(rate * heldS * 1.5);
  const parallelism = Math.max(
    1,
    Math.ceil(needed / MAX_VUS_PER_RUNNER),
    Math.ceil(rate / ITERATIONS_PER_RUNNER),
  );
  const values = [
    { label: 'dropped iterations', value: dropped },
    { label: 'seconds with every VU busy', value: atMax },
    { label: 'VUs (max allowed)', value: vusMax },
    { label: 'iterations/s managed', value: r1(managed) },
    { label: 'VU held per iteration', value: Math.round(heldS * 1000), unit: 'ms' },
    { label: 'VUs needed', value: needed },
  ];
  return {
    id: 'k6-saturated',
    kind: 'k6-saturated',
    title: 'k6 runner saturated',
    subject: 'k6',
    severity: 'critical',
    confidence: 0.9,
    rank: 1,
    summary: `k6 managed ${r1(managed)} iterations/s${plannedTps ? ` of ${plannedTps} planned` : ''} with up to ${vusMax} VUs: ${dropped} iterations dropped, every VU busy for ${atMax} s. The hub was not the limit; its figures understate it.`,
    evidence: [{ metric: 'timeseries.k6', window, values }],
    fix: {
      action: `Give k6 ~${needed} VUs (${r1(rate)}/s x ${Math.round(heldS * 1000)} ms held per iteration, x1.5) across ${parallelism} runner${parallelism === 1 ? '' : 's'} (k6-operator parallelism ${parallelism}), or hold VUs for less time per iteration; then run again.`,
    },
  };
}
