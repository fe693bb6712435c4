import { readFileSync } from 'node:fs';
import type { TimeseriesRecord } from '@mlperf/core';

export type HostCpu = NonNullable<TimeseriesRecord['host']>;

interface Ticks {
  cores: number;
  total: number;
  busy: number;
  iowait: number;
  steal: number;
}

/** The aggregate `cpu` line of /proc/stat (USER_HZ ticks since boot) and the number of `cpuN` lines. */
export function parseProcStat(text: string): Ticks | undefined {
  const lines = text.split('\n');
  const f = lines[0]?.startsWith('cpu ') ? lines[0].trim().split(/\s+/).slice(1).map(Number) : [];
  if (f.length < 8 || f.some((x) => !Number.isFinite(x))) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const busy = user + nice + system + irq + softirq + steal;
  return {
    cores: lines.filter((l) => /^cpu\d+\s/.test(l)).length || 1,
    total: busy + idle + iowait,
    busy,
    iowait,
    steal,
  };
}

/**
 * The host's CPU between two samples, from /proc/stat deltas: busy (user, nice, system, irq,
 * softirq, steal), iowait and steal as fractions 0..1 of all cores. `sample()` returns undefined
 * where /proc/stat cannot be read (not Linux) and on the first call.
 */
export class HostCpuSampler {
  private last: Ticks | undefined;

  constructor(private readonly read: () => string = () => readFileSync('/proc/stat', 'utf8')) {
    this.last = this.ticks();
  }

  sample(): HostCpu | undefined {
    const now = this.ticks();
    const prev = this.last;
    this.last = now;
    if (!now || !prev) return undefined;
    const dt = now.total - prev.total;
    if (dt <= 0) return undefined;
    const frac = (a: number, b: number) => Math.round(Math.min(1, Math.max(0, (a - b) / dt)) * 1000) / 1000;
    return {
      cores: now.cores,
      busy: frac(now.busy, prev.busy),
      iowait: frac(now.iowait, prev.iowait),
      steal: frac(now.steal, prev.steal),
    };
  }

  private ticks(): Ticks | undefined {
    try {
      return parseProcStat(this.read());
    } catch {
      return undefined;
    }
  }
}
