import type { TimeseriesRecord } from '@mlperf/core';
import type { LiveSecond } from '@mlperf/scenarios';
import { describe, expect, it } from 'vitest';
import { LiveProgress } from '../src/live/progress.js';

function second(s: number, succeeded: number, p95: number, failed: Record<string, number> = {}): LiveSecond {
  const record: TimeseriesRecord = {
    t: 0,
    s,
    stage: 0,
    offeredRate: 1000,
    offered: 1000,
    started: 1000,
    dropped: 0,
    succeeded,
    failed,
    inFlight: 40,
    latency: { e2e: { count: succeeded, min: 1, mean: 20, p50: 20, p90: 30, p95, p99: p95 * 1.5, max: 900 } },
    corridors: {},
  };
  return {
    record,
    elapsedS: s + 1,
    totalS: 30,
    inFlight: 40,
    totals: {
      offered: 1000 * (s + 1),
      started: 1000 * (s + 1),
      dropped: 0,
      succeeded: succeeded * (s + 1),
      failed: 0,
    },
  };
}

describe('the live progress of mlperf run', () => {
  it('prints a plain line per interval when stdout is not a terminal', () => {
    const lines: string[] = [];
    const p = new LiveProgress({ tty: false, plainEveryS: 2, line: (l) => lines.push(l), write: () => {} });
    p.second(second(0, 1000, 40));
    p.second(second(1, 990, 60, { 'http:503': 10 }));
    p.second(second(2, 1000, 40));
    expect(lines).toMatchInlineSnapshot(`
      [
        "0:02/0:30  settled to 0:02:  target 1,000 TPS  achieved 995 TPS  success 99.50%  p95 60 ms  p99 90 ms  dropped 0  | now: in-flight 40",
      ]
    `);
  });

  it('says the figures are those of the latest settled second, and when that is well behind the clock', () => {
    const lines: string[] = [];
    const p = new LiveProgress({ tty: false, plainEveryS: 1, line: (l) => lines.push(l), write: () => {} });
    p.second(second(3, 1000, 40));
    // second 4 settles only at 0:12: its transfers were open until then (a stalled hub)
    p.second({ ...second(4, 1000, 40), elapsedS: 12 });
    expect(lines).toEqual([
      expect.stringMatching(/^0:04\/0:30 {2}settled to 0:04: {2}target/),
      expect.stringMatching(/^0:12\/0:30 {2}settled to 0:05 \(7 s behind: transfers still open\): {2}target/),
    ]);
  });

  it("redraws one coloured status line on a terminal, by the Phase-07 plan's bands", () => {
    let screen = '';
    const p = new LiveProgress({
      tty: true,
      write: (t) => {
        screen += t;
      },
      line: () => {},
    });
    p.second(second(0, 1000, 40));
    expect(screen).toContain('\x1b[32m1,000 TPS\x1b[39m'); // target band: green
    screen = '';
    p.second(second(1, 880, 450, { timeout: 120 }));
    expect(screen.startsWith('\r\x1b[2K')).toBe(true);
    expect(screen).toContain('\x1b[31m880 TPS\x1b[39m'); // < 90% of planned: critical
    expect(screen).toContain('\x1b[31m88.00%\x1b[39m'); // success < 95%: critical
    expect(screen).toContain('\x1b[33m450 ms\x1b[39m'); // p95 > 400 ms: warning
    p.end();
    expect(screen.endsWith('\n')).toBe(true);
  });
});

describe('the Prometheus key queries on the live line', () => {
  const value = (name: string, series: number[]) => ({
    name,
    title: name,
    unit: '',
    at: 0,
    series: series.map((v, i) => ({ labels: { i: String(i) }, value: v })),
    warnings: [],
  });

  it('appends TPS (summed), success (lowest), p95, CPU and memory (highest) to the status line', () => {
    const lines: string[] = [];
    const p = new LiveProgress({ tty: false, plainEveryS: 1, line: (l) => lines.push(l), write: () => {} });
    p.prometheus([
      value('validation_actual_tps', [600, 398.6]),
      value('validation_success_rate', [0.9991, 1]),
      value('validation_p95_latency_seconds', [0.041]),
      value('cpu_usage_ratio', [0.12, 0.37]),
      value('memory_working_set_ratio', [0.29]),
      { ...value('event_loop_lag_seconds', []), error: 'PROM_UNAVAILABLE: down' },
    ]);
    p.second(second(0, 1000, 40));
    expect(lines[0]).toMatch(
      /\| prom: TPS 999 {2}success 99\.91% {2}p95 41 ms {2}cpu max 37% {2}mem max 29%$/,
    );
  });

  it('shows nothing before Prometheus answers', () => {
    const lines: string[] = [];
    const p = new LiveProgress({ tty: false, plainEveryS: 1, line: (l) => lines.push(l), write: () => {} });
    p.prometheus([value('validation_actual_tps', [])]);
    p.second(second(0, 1000, 40));
    expect(lines[0]).not.toContain('prom:');
  });
});
