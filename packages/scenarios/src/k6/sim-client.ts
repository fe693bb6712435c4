import type { SimSecond } from '../dfsp-sim/seconds.js';

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/** Outcomes the DFSP simulator has received so far. */
export async function simResolved(simUrl: string): Promise<number> {
  const s = (await getJson(`${simUrl}/status`)) as { resolved?: number };
  return s.resolved ?? 0;
}

/**
 * Waits until the simulator has `target` outcomes or `deadlineMs` (unix ms) passed: every accepted
 * transfer has an outcome, or has expired (expiration plus the hub's grace).
 */
export async function waitForOutcomes(
  simUrl: string,
  target: number,
  deadlineMs: number,
  signal?: AbortSignal,
): Promise<number> {
  for (;;) {
    const got = await simResolved(simUrl);
    if (got >= target || Date.now() >= deadlineMs || signal?.aborted) return got;
    await new Promise((r) => setTimeout(r, Math.min(250, Math.max(10, deadlineMs - Date.now()))));
  }
}

/** The simulator's seconds of transfer start in [fromMs, toMs). */
export async function simSeconds(simUrl: string, fromMs: number, toMs: number): Promise<SimSecond[]> {
  const from = Math.floor(fromMs / 1000) * 1000;
  const to = Math.ceil(toMs / 1000) * 1000;
  return (await getJson(`${simUrl}/seconds-${from}-${to}`)) as SimSecond[];
}
