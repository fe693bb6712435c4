import type { EngineCorridor } from './types.js';

/** What one engine worker owns: the corridors whose arrivals it starts, and the DFSPs whose callbacks it takes. */
export interface WorkerShare {
  /** Per corridor index: this worker starts that corridor's transfers. */
  corridors: boolean[];
  /** Payer DFSPs of those corridors: their callbacks (the completions) must reach this worker. */
  payers: string[];
  /** Share of the arrivals (sum of its corridors' weights over all weights). */
  weight: number;
}

/**
 * Splits the corridors over `n` workers by payer DFSP: a payer's transfers all start in one
 * worker, so the hub's completion callbacks to that payer's URL reach the worker that holds them.
 * (The payee role is stateless: any worker can answer any prepare.) Greedy by weight, heaviest
 * payer first; never more workers than payers.
 */
export function planShares(corridors: readonly EngineCorridor[], n: number): WorkerShare[] {
  const byPayer = new Map<string, number>();
  for (const c of corridors) byPayer.set(c.payer, (byPayer.get(c.payer) ?? 0) + c.weight);
  const total = [...byPayer.values()].reduce((a, b) => a + b, 0);
  const count = Math.max(1, Math.min(n, byPayer.size));
  const shares: WorkerShare[] = Array.from({ length: count }, () => ({
    corridors: corridors.map(() => false),
    payers: [],
    weight: 0,
  }));
  const payers = [...byPayer].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  for (const [payer, w] of payers) {
    const lightest = shares.reduce((best, s) => (s.weight < best.weight ? s : best));
    lightest.payers.push(payer);
    lightest.weight += w;
  }
  for (const s of shares) {
    corridors.forEach((c, i) => {
      s.corridors[i] = s.payers.includes(c.payer);
    });
    s.weight = total > 0 ? s.weight / total : 0;
  }
  return shares;
}

/** The worker that takes `dfsp`'s callbacks: its payer owner, else spread by name (payee role only). */
export function workerForDfsp(shares: readonly WorkerShare[], dfsp: string): number {
  const owner = shares.findIndex((s) => s.payers.includes(dfsp));
  if (owner >= 0) return owner;
  let h = 0;
  for (let i = 0; i < dfsp.length; i++) h = (h * 31 + dfsp.charCodeAt(i)) >>> 0;
  return h % shares.length;
}
