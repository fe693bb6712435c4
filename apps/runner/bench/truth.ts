import { readFileSync } from 'node:fs';
import type { HubKnobsPatch } from '@mlperf/hub';

/** A fault put into the hub's knobs: its finding kind, and its capacity in transfers/s when it is one. */
export interface Fault {
  kind: 'db-pool-exhausted' | 'kafka-lag' | 'cpu-throttling' | 'error-spike' | 'memory-leak';
  capacity?: number;
  errorRate?: number;
  patch: HubKnobsPatch;
}

/** Share of the host other processes take (others >= 25% is host contention, as the analyzer says). */
export const CONTENTION_SHARE = 0.25;

/**
 * The binding cause from the knobs: the host when hogs ran (or the background already took a
 * contention share), else the lowest capacity under the offered rate, else injected errors,
 * else a leak, else none.
 */
export function truthOf(
  faults: readonly Fault[],
  o: { rate: number; hog: boolean; background: number },
): string {
  if (o.hog || o.background >= CONTENTION_SHARE) return 'host-contention';
  const binding = faults
    .filter((f) => f.capacity !== undefined && f.capacity < 0.95 * o.rate)
    .sort((a, b) => (a.capacity ?? 0) - (b.capacity ?? 0))[0];
  if (binding) return binding.kind;
  if (faults.some((f) => f.kind === 'error-spike')) return 'error-spike';
  if (faults.some((f) => f.kind === 'memory-leak')) return 'memory-leak';
  return 'none';
}

function busyTicks(): { busy: number; total: number } {
  const f = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** Share of the host's CPU busy over `ms` before a run (nothing of ours runs then: all of it is others'). */
export async function hostOthersShare(ms: number): Promise<number> {
  const a = busyTicks();
  await new Promise((r) => setTimeout(r, ms));
  const b = busyTicks();
  return b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : 0;
}
