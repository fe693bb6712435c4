import type { CorridorSecond, RunTotals, TestDefinition, TimeseriesRecord } from '@mlperf/core';
import { rateAt, timeStages } from '@mlperf/core';
import type { K6NdjsonImport } from '@mlperf/core/k6';
import type { SimSecond } from '../dfsp-sim/seconds.js';

/**
 * The imported seconds on the test's plan: second 0 is k6's first iteration (the arrival-rate
 * schedule starts there, after k6's start-up and setup()), so each second gets its planned rate
 * and stage. k6 starts iterations on schedule while VUs are free, so offered = started + dropped.
 */
export function onPlan(imp: K6NdjsonImport, test: TestDefinition): TimeseriesRecord[] {
  const timed = timeStages(test.stages);
  return imp.records.map((r) => {
    const planned = rateAt(timed, r.s * 1000);
    return { ...r, stage: planned?.stage ?? Math.max(0, timed.length - 1), offeredRate: planned?.rate ?? 0 };
  });
}

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

function addInto(into: Record<string, number>, from: Record<string, number> | undefined): void {
  for (const [k, v] of Object.entries(from ?? {})) into[k] = (into[k] ?? 0) + v;
}

/**
 * k6's side of a second (accepted prepares in `succeeded`, refused ones in `failed`) with the
 * simulator's outcomes. k6 stamps a prepare's acceptance when its response arrives, the simulator
 * files an outcome under the second the transfer started, so a prepare sent late in second N and
 * acknowledged in N+1 has its outcome in N and its acceptance in N+1. `carry` holds such outcomes
 * that ran ahead of their acceptance; only what no earlier outcome covers has expired.
 */
function joinSecond(
  accepted: number,
  refused: Record<string, number>,
  sim: { succeeded: number; failed: Record<string, number> } | undefined,
  carry: { ahead: number },
): { succeeded: number; failed: Record<string, number> } {
  const failed: Record<string, number> = { ...refused };
  addInto(failed, sim?.failed);
  const outcomes = (sim?.succeeded ?? 0) + sum(sim?.failed ?? {});
  const missing = accepted - outcomes - carry.ahead;
  carry.ahead = Math.max(0, -missing);
  // Accepted prepares whose outcome never reached the payer before the run ended: expired.
  if (missing > 0) failed.timeout = (failed.timeout ?? 0) + missing;
  return { succeeded: sim?.succeeded ?? 0, failed };
}

/**
 * Joins k6's seconds (transfers started, prepares accepted or refused, acknowledgement latency, VUs)
 * with the DFSP simulator's (outcomes and end-to-end latency of the transfers started in each
 * second), by second of start. Accepted transfers without an outcome count as timeouts.
 */
export function withSimOutcomes(records: TimeseriesRecord[], seconds: SimSecond[]): TimeseriesRecord[] {
  const byT = new Map(seconds.map((s) => [s.t, s]));
  const run = { ahead: 0 };
  const byCorridor = new Map<string, { ahead: number }>();
  const carryOf = (name: string) => {
    const c = byCorridor.get(name) ?? { ahead: 0 };
    byCorridor.set(name, c);
    return c;
  };
  return [...records]
    .sort((a, b) => a.t - b.t)
    .map((r) => {
      const sim = byT.get(r.t);
      const out: TimeseriesRecord = {
        ...r,
        ...joinSecond(r.succeeded, r.failed, sim, run),
        latency: {},
        corridors: {},
      };
      if (sim?.e2e) out.latency.e2e = sim.e2e;
      if (r.latency.ack) out.latency.ack = r.latency.ack;
      const names = new Set([...Object.keys(r.corridors), ...Object.keys(sim?.corridors ?? {})]);
      for (const name of names) {
        const k = r.corridors[name];
        const s = sim?.corridors[name];
        const c: CorridorSecond = {
          offered: k?.offered ?? 0,
          started: k?.started ?? 0,
          dropped: 0,
          ...joinSecond(k?.succeeded ?? 0, k?.failed ?? {}, s, carryOf(name)),
        };
        if (s?.e2e) c.e2e = s.e2e;
        out.corridors[name] = c;
      }
      return out;
    });
}

/** Run totals from the per-second records. */
export function totalsOf(records: TimeseriesRecord[]): RunTotals {
  const failed: Record<string, number> = {};
  for (const r of records) addInto(failed, r.failed);
  const total = (k: 'offered' | 'started' | 'dropped' | 'succeeded') => records.reduce((a, r) => a + r[k], 0);
  return {
    offered: total('offered'),
    started: total('started'),
    dropped: total('dropped'),
    succeeded: total('succeeded'),
    failed,
    unfinished: 0,
  };
}
