/**
 * The Phase-07 plan's "Common Issues During Testing", recognised live from the per-second records:
 * TPS plateauing below the offered rate, and a sudden spike in errors. Pure: feed it records,
 * it returns the issues that start in them (each kind re-arms after it has cleared).
 */
import type { TimeseriesRecord } from '@mlperf/core';

export type LiveIssueKind = 'tps-plateau' | 'error-spike';

/** A likely cause, as the analyzer names it, with the Phase-07 plan's fix. */
export interface LikelyCause {
  kind: string;
  title: string;
  subject?: string;
  confidence?: number;
  evidence?: string;
  fix?: string;
  runbookScript?: string;
}

export interface LiveIssue {
  kind: LiveIssueKind;
  severity: 'warning' | 'critical';
  /** Unix ms and run second where it was recognised. */
  at: number;
  s: number;
  title: string;
  detail: string;
  numbers: { label: string; value: number; unit?: string }[];
  errorsByType?: Record<string, number>;
  causes?: LikelyCause[];
  /** What to do now (the Phase-07 plan's quick remediation). */
  advice: string[];
}

export interface DetectorOptions {
  /** Seconds averaged for the plateau test; default 10. */
  windowS?: number;
  /** Seconds ignored at the start (completions lag arrivals); default 5. */
  warmupS?: number;
  /** Achieved below this fraction of offered is a plateau (the TPS band's warning level); default 0.95. */
  plateauRatio?: number;
  /** Error rate over the last 5 s above this is a spike (the error-rate band's warning level); default 0.01. */
  spikeErrorRate?: number;
  /** Minimum finished transfers in the spike window before judging; default 20. */
  minSamples?: number;
}

const SPIKE_WINDOW_S = 5;

export class LiveIssueDetector {
  private readonly records: TimeseriesRecord[] = [];
  private readonly active = new Set<LiveIssueKind>();
  private readonly o: Required<DetectorOptions>;

  constructor(options: DetectorOptions = {}) {
    this.o = {
      windowS: options.windowS ?? 10,
      warmupS: options.warmupS ?? 5,
      plateauRatio: options.plateauRatio ?? 0.95,
      spikeErrorRate: options.spikeErrorRate ?? 0.01,
      minSamples: options.minSamples ?? 20,
    };
  }

  /** Feeds one second; returns the issues that begin with it. */
  push(r: TimeseriesRecord): LiveIssue[] {
    this.records.push(r);
    const keep = Math.max(this.o.windowS, SPIKE_WINDOW_S * 7);
    if (this.records.length > keep) this.records.splice(0, this.records.length - keep);
    const out: LiveIssue[] = [];
    for (const issue of [this.plateau(r), this.spike(r)]) {
      if (issue.hold) continue;
      if (issue.issue && !this.active.has(issue.kind)) {
        this.active.add(issue.kind);
        out.push(issue.issue);
      } else if (!issue.issue) this.active.delete(issue.kind);
    }
    return out;
  }

  /** `hold`: not enough to say either way (warming up, or still climbing): keep the current state. */
  private plateau(r: TimeseriesRecord): { kind: LiveIssueKind; issue?: LiveIssue; hold?: boolean } {
    const kind = 'tps-plateau' as const;
    const w = this.records.slice(-this.o.windowS);
    if (r.s < this.o.warmupS + this.o.windowS || w.length < this.o.windowS) return { kind, hold: true };
    const offered = avg(w.map((x) => x.offeredRate));
    const achieved = avg(w.map((x) => x.succeeded));
    if (offered <= 0 || achieved >= offered * this.o.plateauRatio) return { kind };
    const half = Math.floor(w.length / 2);
    const first = avg(w.slice(0, half).map((x) => x.succeeded));
    const second = avg(w.slice(half).map((x) => x.succeeded));
    // still climbing towards the offered rate: not (yet) a plateau
    if (second > first * 1.15) return { kind, hold: true };
    const ratio = achieved / offered;
    const dropped = w.reduce((a, x) => a + x.dropped, 0);
    const inFlight = r.inFlight;
    return {
      kind,
      issue: {
        kind,
        severity: ratio < 0.9 ? 'critical' : 'warning',
        at: r.t,
        s: r.s,
        title: 'TPS plateaus below target',
        detail: `achieved ${Math.round(achieved)} TPS against ${Math.round(offered)} offered (${Math.round(ratio * 100)}%) over the last ${w.length} s${dropped > 0 ? `, ${dropped} arrivals dropped` : ''}`,
        numbers: [
          { label: 'achieved', value: round(achieved), unit: 'tps' },
          { label: 'offered', value: round(offered), unit: 'tps' },
          { label: 'in flight', value: inFlight },
          { label: 'dropped', value: dropped },
        ],
        advice: [
          'Identify the bottleneck (./find-bottleneck.sh): mlperf analyze <results dir> after the test',
        ],
      },
    };
  }

  private spike(r: TimeseriesRecord): { kind: LiveIssueKind; issue?: LiveIssue; hold?: boolean } {
    const kind = 'error-spike' as const;
    const w = this.records.slice(-SPIKE_WINDOW_S);
    const before = this.records.slice(0, -SPIKE_WINDOW_S);
    const rate = errorRate(w);
    if (rate.finished < this.o.minSamples) return { kind, hold: true };
    if (rate.rate <= this.o.spikeErrorRate) return { kind };
    const prior = errorRate(before);
    const errorsByType: Record<string, number> = {};
    for (const x of w)
      for (const [k, v] of Object.entries(x.failed)) errorsByType[k] = (errorsByType[k] ?? 0) + v;
    const top = Object.entries(errorsByType)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, v]) => `${k} x${v}`)
      .join(', ');
    return {
      kind,
      issue: {
        kind,
        severity: rate.rate > 0.05 ? 'critical' : 'warning',
        at: r.t,
        s: r.s,
        title: 'Sudden spike in errors',
        detail: `${(rate.rate * 100).toFixed(1)}% of transfers failed over the last ${w.length} s (before: ${(prior.rate * 100).toFixed(2)}%): ${top}`,
        numbers: [
          { label: 'error rate', value: round(rate.rate, 4), unit: 'ratio' },
          { label: 'error rate before', value: round(prior.rate, 4), unit: 'ratio' },
          { label: 'failed', value: rate.failed },
        ],
        errorsByType,
        advice: [
          'Reduce load temporarily (lower the rate, or fewer k6 runners)',
          'Check the failing service (./find-failing-service.sh): mlperf monitor shows service health',
          'Restart unhealthy pods (./restart-unhealthy-pods.sh)',
        ],
      },
    };
  }
}

function errorRate(w: TimeseriesRecord[]): { rate: number; failed: number; finished: number } {
  let failed = 0;
  let ok = 0;
  for (const x of w) {
    ok += x.succeeded;
    for (const v of Object.values(x.failed)) failed += v;
  }
  const finished = ok + failed;
  return { rate: finished === 0 ? 0 : failed / finished, failed, finished };
}

function avg(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
