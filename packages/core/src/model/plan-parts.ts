import type { CorridorPlan, LiquidityPlan, StagePlan, TestPlan } from './plan-types.js';
import type { CorridorDefinition, DfspDefinition, TestDefinition, TransferTemplate } from './types.js';

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
/** TPS shown per corridor: enough precision for fractional weights, no float noise. */
const tps = (x: number) => Math.round(x * 1e6) / 1e6;

/** Tests in progression order: each after the test it names in `after`, otherwise in declared order. */
export function runOrder(tests: readonly TestDefinition[]): TestDefinition[] {
  const placed = new Set<string>();
  const order: TestDefinition[] = [];
  const ids = new Set(tests.map((t) => t.id));
  while (order.length < tests.length) {
    const next = tests.find(
      (t) => !placed.has(t.id) && (t.after === undefined || !ids.has(t.after) || placed.has(t.after)),
    );
    // A cycle (validateSuite rejects them): keep declared order for the rest.
    const pick = next ?? tests.find((t) => !placed.has(t.id));
    if (!pick) break;
    placed.add(pick.id);
    order.push(pick);
  }
  return order;
}

/** Splits a test's transfers over its corridors (largest remainder, so they add up exactly). */
export function planCorridors(
  corridors: readonly CorridorDefinition[],
  stages: readonly StagePlan[],
  transfers: number,
): CorridorPlan[] {
  const exact = corridors.map((k) => k.weight * transfers);
  const counts = exact.map(Math.floor);
  let left = transfers - counts.reduce((a, n) => a + n, 0);
  const byRemainder = exact
    .map((x, i) => ({ i, r: x - Math.floor(x) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    left--;
  }
  return corridors.map((k, i) => {
    const perStage = stages.map((s) => ({
      fromTps: tps(s.fromRate * k.weight),
      toTps: tps(s.toRate * k.weight),
    }));
    return {
      name: k.name ?? `${k.payer}->${k.payee}`,
      payer: k.payer,
      payee: k.payee,
      weight: k.weight,
      transfers: counts[i] ?? 0,
      stages: perStage,
      peakTps: Math.max(0, ...perStage.map((s) => Math.max(s.fromTps, s.toTps))),
    };
  });
}

/** One row per payer: what it pays (amount x its transfers) against what its position may rise by. */
export function planLiquidity(
  dfsps: readonly DfspDefinition[],
  corridors: readonly CorridorPlan[],
  transfer: TransferTemplate,
  upperBound: boolean,
): LiquidityPlan[] {
  const amount = Number(transfer.amount);
  const rows = new Map<string, LiquidityPlan>();
  const received = new Map<string, number>();
  for (const k of corridors) {
    received.set(k.payee, (received.get(k.payee) ?? 0) + k.transfers * amount);
    const dfsp = dfsps.find((d) => d.id === k.payer);
    if (!dfsp) continue;
    const row = rows.get(k.payer) ?? {
      dfsp: dfsp.id,
      currency: transfer.currency ?? dfsp.currency,
      transfers: 0,
      needed: 0,
      received: 0,
      available: available(dfsp),
      liquidity: dfsp.liquidity,
      netDebitCap: dfsp.netDebitCap,
      feasible: true,
      upperBound,
    };
    row.transfers += k.transfers;
    rows.set(k.payer, row);
  }
  return [...rows.values()].map((r) => {
    const needed = round4(r.transfers * amount);
    return { ...r, needed, received: round4(received.get(r.dfsp) ?? 0), feasible: needed <= r.available };
  });
}

function available(d: DfspDefinition): number {
  return round4(Math.min(d.liquidity, d.netDebitCap) - d.initialPosition);
}

/** Per payer over all tests, as if positions were never reset between them. */
export function sumLiquidity(tests: readonly TestPlan[]): LiquidityPlan[] {
  const rows = new Map<string, LiquidityPlan>();
  for (const t of tests) {
    for (const l of t.liquidity) {
      const row = rows.get(l.dfsp);
      if (!row) {
        rows.set(l.dfsp, { ...l });
        continue;
      }
      row.transfers += l.transfers;
      row.needed = round4(row.needed + l.needed);
      row.received = round4(row.received + l.received);
      row.upperBound ||= l.upperBound;
      row.feasible = row.needed <= row.available;
    }
  }
  return [...rows.values()];
}
