import type { TimeseriesRecord } from '@mlperf/core';
import type { Series } from '../metrics.js';
import { median } from '../stats/basic.js';
import { type Draft, draft, FIXES, round } from './fixes.js';
import type { RuleContext } from './rules.js';

/** Share of the host the other processes must take, per second (median), to be named. */
const OTHERS_SHARE = 0.25;
/** Without the hub's own CPU, "others" may include the hub: ask for more. */
const OTHERS_SHARE_NO_HUB_CPU = 0.4;
const HOST_BUSY = 0.6;

/** Cores the target's processes used at `t` (the nearest sample within 5 s, summed over series). */
function hubCoresAt(series: readonly Series[], t: number): number | undefined {
  let sum: number | undefined;
  for (const s of series) {
    let best: [number, number] | undefined;
    for (const p of s.points) if (!best || Math.abs(p[0] - t) < Math.abs(best[0] - t)) best = p;
    if (best && Math.abs(best[0] - t) <= 5000) sum = (sum ?? 0) + best[1];
  }
  return sum;
}

interface HostSecond {
  cores: number;
  busy: number;
  generator: number;
  hub: number | undefined;
  others: number;
}

function perSecond(r: TimeseriesRecord, hubCpu: readonly Series[]): HostSecond | undefined {
  const h = r.host;
  if (!h || !(h.cores > 0)) return undefined;
  const generator = r.engine?.cpu ?? r.k6?.cpu ?? 0;
  const hub = hubCoresAt(hubCpu, r.t + 500);
  const used = h.busy * h.cores - generator - (hub ?? 0);
  return { cores: h.cores, busy: h.busy, generator, hub, others: Math.max(0, used) / h.cores };
}

/**
 * Other processes on the generator's host took its CPU: others = host busy (from /proc/stat) minus
 * the generator's CPU minus the hub's (process_cpu_seconds_total, where exported), per second.
 * The hub and the generator were starved, so the run says little about the hub.
 */
export function hostContentionRule(ctx: RuleContext): Draft[] {
  const secs = ctx.records.map((r) => perSecond(r, ctx.signals.processCpu)).filter((x) => x !== undefined);
  if (secs.length < 3) return [];
  const hubKnown = secs.some((s) => s.hub !== undefined);
  const others = median(secs.map((s) => s.others));
  const busy = median(secs.map((s) => s.busy));
  const need = hubKnown ? OTHERS_SHARE : OTHERS_SHARE_NO_HUB_CPU;
  if (!(others >= need && busy >= HOST_BUSY)) return [];
  const cores = secs[0]?.cores ?? 1;
  const gen = median(secs.map((s) => s.generator));
  const hub = hubKnown ? median(secs.map((s) => s.hub ?? 0)) : undefined;
  const pct = Math.round(others * 100);
  return [
    draft('host-contention', undefined, {
      subject: 'host',
      title: `Host CPU contention: ${pct}% used by other processes`,
      severity: busy >= 0.9 ? 'critical' : 'warning',
      confidence: round(Math.min(0.95, 0.6 + 0.35 * Math.min(1, (others - need) / 0.4)), 2),
      summary: `Processes that are neither the hub nor the load generator used ${pct}% of the host's ${cores} cores (median per second; host busy ${Math.round(busy * 100)}%, generator ${round(gen, 2)} cores${hub !== undefined ? `, hub ${round(hub, 2)} cores` : ', hub CPU not exported so "others" may include it'}): the hub and the generator were starved, so the run understates the hub.`,
      evidence: [
        {
          metric: 'timeseries.host',
          window: ctx.window,
          values: [
            { label: 'other processes (median)', value: round(others, 3), unit: 'ratio' },
            { label: 'host busy (median)', value: round(busy, 3), unit: 'ratio' },
            { label: 'generator CPU (median)', value: round(gen, 3), unit: 'cores' },
            ...(hub !== undefined
              ? [{ label: 'hub CPU (median)', value: round(hub, 3), unit: 'cores' }]
              : []),
            { label: 'cores', value: cores },
          ],
        },
      ],
      fix: FIXES.host,
    }),
  ];
}
