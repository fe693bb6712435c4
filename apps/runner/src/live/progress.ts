import { type Band, type BandMetric, classifyMetric, type MetricBand } from '@mlperf/core';
import type { LiveValue } from '@mlperf/core/promql';
import type { LiveSecond } from '@mlperf/scenarios';
import { formatLiveQueries } from './prometheus.js';

/**
 * The live view of `mlperf run`: elapsed / total, then the figures of the latest settled seconds
 * (by intended start: target vs achieved TPS, success %, p95 / p99), then what is live now: in
 * flight, dropped. On a terminal one status line redrawn every second, coloured by the Phase-07 plan's
 * Critical Metrics bands; otherwise a plain line every `plainEveryS` seconds (CI logs).
 * The PromQL key queries and the monitor can add their own lines here.
 */
export interface ProgressOptions {
  tty: boolean;
  bands?: readonly MetricBand[];
  plainEveryS?: number;
  /** Writes raw text (TTY redraws); defaults to process.stdout. */
  write?: (text: string) => void;
  /** Writes one whole line; defaults to console.log. */
  line?: (text: string) => void;
}

const COLOUR: Record<Band, [string, string]> = {
  target: ['\x1b[32m', '\x1b[39m'],
  ok: ['\x1b[36m', '\x1b[39m'],
  warning: ['\x1b[33m', '\x1b[39m'],
  critical: ['\x1b[31m', '\x1b[39m'],
};

interface Window {
  seconds: number;
  offeredRate: number;
  succeeded: number;
  failed: number;
  dropped: number;
  p95: number;
  p99: number;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const clock = (s: number) =>
  Number.isFinite(s) ? `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}` : '∞';

/** A second is settled behind the clock by this much before the line says transfers are still open. */
const BEHIND_S = 5;

/**
 * The figures on the line are those of the settled seconds (a second is written once all the
 * transfers started in it have an outcome), by intended start: say up to which second, and when
 * that is well behind the clock, why.
 */
function settledText(live: LiveSecond): string {
  const to = live.record.s + 1;
  const behind = Math.floor(live.elapsedS - to);
  const text = `settled to ${clock(to)}:`;
  return behind >= BEHIND_S ? `${text.slice(0, -1)} (${behind} s behind: transfers still open):` : text;
}

export class LiveProgress {
  private readonly o: Required<Omit<ProgressOptions, 'bands'>> & { bands?: readonly MetricBand[] };
  private win: Window = { seconds: 0, offeredRate: 0, succeeded: 0, failed: 0, dropped: 0, p95: 0, p99: 0 };
  private drawn = false;
  private promText = '';

  constructor(options: ProgressOptions) {
    this.o = {
      plainEveryS: 10,
      write: (t) => process.stdout.write(t),
      line: (t) => console.log(t),
      ...options,
    };
  }

  private paint(metric: BandMetric, value: number, text: string, plannedTps?: number): string {
    if (!this.o.tty) return text;
    try {
      const band = classifyMetric(metric, value, {
        ...(this.o.bands ? { bands: this.o.bands } : {}),
        ...(plannedTps ? { plannedTps } : {}),
      });
      const [a, b] = COLOUR[band];
      return `${a}${text}${b}`;
    } catch {
      return text;
    }
  }

  /** One line describing `w` (the last second on a TTY, the last interval otherwise). */
  private render(live: LiveSecond, w: Window): string {
    const achieved = w.succeeded / Math.max(1, w.seconds);
    const planned = w.offeredRate / Math.max(1, w.seconds);
    const outcomes = w.succeeded + w.failed;
    const success = outcomes > 0 ? w.succeeded / outcomes : 1;
    const parts = [
      `${clock(live.elapsedS)}/${clock(live.totalS)}`,
      settledText(live),
      `target ${fmt(planned)} TPS`,
      `achieved ${planned > 0 ? this.paint('tps', achieved, `${fmt(achieved)} TPS`, planned) : `${fmt(achieved)} TPS`}`,
      `success ${this.paint('success-rate', success, `${fmt(success * 100, 2)}%`)}`,
      `p95 ${this.paint('p95-latency', w.p95, `${fmt(w.p95)} ms`)}`,
      `p99 ${fmt(w.p99)} ms`,
      `dropped ${fmt(live.totals.dropped)}`,
    ];
    if (live.totals.failed > 0) parts.push(`failed ${fmt(live.totals.failed)}`);
    parts.push(`| now: in-flight ${fmt(live.inFlight)}`);
    if (this.promText) parts.push(`| ${this.promText}`);
    return parts.join('  ');
  }

  second(live: LiveSecond): void {
    const r = live.record;
    let failed = 0;
    for (const v of Object.values(r.failed)) failed += v;
    const w = this.win;
    w.seconds++;
    w.offeredRate += r.offeredRate;
    w.succeeded += r.succeeded;
    w.failed += failed;
    w.dropped += r.dropped;
    w.p95 = Math.max(w.p95, r.latency.e2e?.p95 ?? 0);
    w.p99 = Math.max(w.p99, r.latency.e2e?.p99 ?? 0);
    if (this.o.tty) {
      this.o.write(`\r\x1b[2K${this.render(live, w)}`);
      this.drawn = true;
      this.reset();
    } else if (w.seconds >= this.o.plainEveryS) {
      this.o.line(this.render(live, w));
      this.reset();
    }
  }

  /** The latest answers of the Prometheus key queries, shown at the end of the status line. */
  prometheus(values: readonly LiveValue[]): void {
    this.promText = formatLiveQueries(values);
  }

  /** Ends the status line before the summary is printed. */
  end(): void {
    if (this.drawn) this.o.write('\n');
    this.drawn = false;
  }

  private reset(): void {
    this.win = { seconds: 0, offeredRate: 0, succeeded: 0, failed: 0, dropped: 0, p95: 0, p99: 0 };
  }
}
