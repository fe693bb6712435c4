import { readFileSync } from 'node:fs';
import type { TimeseriesRecord } from '@mlperf/core';
import { type HostCpu, HostCpuSampler } from '../engine/host-cpu.js';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** utime + stime of a process in seconds, from /proc/<pid>/stat; undefined when it cannot be read. */
export function processCpuSeconds(stat: string): number | undefined {
  // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : undefined;
}

/** utime + stime of process `pid` in seconds so far; undefined when /proc cannot be read. */
export function pidCpuSeconds(pid: number): number | undefined {
  try {
    return processCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

interface Sample {
  host?: HostCpu;
  cpu?: number;
}

/**
 * The host's CPU and the generator side's (the k6 process and this process, where mlperf's DFSP
 * simulator runs) once a second while a local k6 runs, keyed by the wall-clock second they cover,
 * so the analyzer can tell a starved host from a slow hub on k6 runs as on engine runs.
 */
export class K6HostWatch {
  private readonly host = new HostCpuSampler();
  private readonly seconds = new Map<number, Sample>();
  private timer: NodeJS.Timeout | undefined;
  private lastSelf = process.cpuUsage();
  private lastK6: number | undefined;

  constructor(private readonly k6Pid: () => number | undefined) {}

  start(): void {
    const next = 1000 - (Date.now() % 1000);
    this.timer = setTimeout(() => {
      this.sample();
      this.timer = setInterval(() => this.sample(), 1000);
      this.timer.unref();
    }, next);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    clearInterval(this.timer);
  }

  /** The records with `host` and `k6.cpu` filled in where a sample covers their second. */
  attach(records: TimeseriesRecord[]): TimeseriesRecord[] {
    return records.map((r) => {
      const s = this.seconds.get(r.t);
      if (!s) return r;
      const out: TimeseriesRecord = { ...r };
      if (s.host) out.host = s.host;
      if (s.cpu !== undefined && r.k6) out.k6 = { ...r.k6, cpu: s.cpu };
      return out;
    });
  }

  private sample(): void {
    const second = Math.floor(Date.now() / 1000) * 1000 - 1000;
    const self = process.cpuUsage(this.lastSelf);
    this.lastSelf = process.cpuUsage();
    const pid = this.k6Pid();
    const k6Now = pid === undefined ? undefined : pidCpuSeconds(pid);
    const k6 =
      k6Now !== undefined && this.lastK6 !== undefined ? Math.max(0, k6Now - this.lastK6) : undefined;
    if (k6Now !== undefined) this.lastK6 = k6Now;
    const host = this.host.sample();
    const cpu =
      k6 === undefined ? undefined : Math.round((k6 + (self.user + self.system) / 1e6) * 1000) / 1000;
    this.seconds.set(second, { ...(host ? { host } : {}), ...(cpu === undefined ? {} : { cpu }) });
  }
}
