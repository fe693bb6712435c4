import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRun, latencyDrift, trendOf } from '@mlperf/analysis';
import type { TimeseriesRecord } from '@mlperf/core';
import { exportsOf, secondOf } from '@mlperf/testkit/synth';
import {
  cleanTemp,
  constantTest,
  gaussian,
  lognormalSnapshot,
  rng,
  tempDir,
  writeRun,
} from '@mlperf/testkit/synth';

afterAll(cleanTemp);

const endurance = (id: string, rate: number, duration: string) =>
  constantTest(id, rate, duration, {
    kind: 'endurance',
    warmup: '5m',
    cooldown: '2m',
    criteria: [
      { kind: 'achieved-rate', minRatio: 0.99 },
      { kind: 'no-memory-leak' },
      { kind: 'latency', percentile: 95, maxMs: 300 },
    ],
  });

describe('endurance', () => {
  it('flags the memory-leak profile with its slope, projection and a failed criterion', () => {
    const seconds = 7200;
    const dir = writeRun(tempDir(), {
      test: endurance('endurance-leak', 100, '2h'),
      seconds,
      second: secondOf('healthy', 100),
      exports: exportsOf('memory-leak', seconds).map((e) => ({ ...e, step: 30 })),
    });
    const r = analyzeRun(dir, { write: false });
    const leak = r.endurance?.memory.find((m) => m.subject === 'central-ledger');
    // 600 MB over 2 h = 300 MB/h
    expect(leak?.significant).toBe(true);
    expect(Math.abs((leak?.slopePerHour ?? 0) - 300e6) / 300e6).toBeLessThan(0.05);
    const others = r.endurance?.memory.filter((m) => m.subject !== 'central-ledger') ?? [];
    expect(others.every((m) => !m.significant)).toBe(true);
    const ex = r.endurance?.exhaustion.find((e) => e.resource === 'memory');
    expect(ex?.subject).toBe('central-ledger');
    expect(ex?.hoursRemaining).toBeGreaterThan(0);
    expect(ex?.hoursRemaining).toBeLessThan(1);
    expect(r.criteria.find((c) => c.id === 'no-memory-leak')?.status).toBe('fail');
    expect(r.findings.some((f) => f.kind === 'memory-leak' && f.subject === 'central-ledger')).toBe(true);
  });

  it('a small rise in a short window is not called a leak: inconclusive, with the reason; a large one fails', () => {
    const seconds = 150;
    // central-ledger's working set rises 3% over the run (a warm-up, or a backlog), or 60%
    const rising = (share: number) =>
      exportsOf('healthy', seconds).map((e) =>
        e.name === 'container_memory_working_set_bytes' || e.name === 'memory_working_set_ratio'
          ? {
              ...e,
              series: e.series.map((x) =>
                x.labels.container === 'central-ledger'
                  ? { ...x, value: (t: number) => x.value(t) * (1 + (share * t) / seconds) }
                  : x,
              ),
            }
          : e,
      );
    const judge = (share: number) =>
      analyzeRun(
        writeRun(tempDir(), {
          test: constantTest(`short-${share}`, 100, `${seconds}s`, {
            warmup: '10s',
            cooldown: '5s',
            criteria: [{ kind: 'no-memory-leak' }],
          }),
          seconds,
          second: secondOf('healthy', 100),
          exports: rising(share),
        }),
        { write: false },
      ).criteria.find((c) => c.id === 'no-memory-leak');
    const small = judge(0.03);
    expect(small?.status).toBe('inconclusive');
    expect(small?.detail).toMatch(/central-ledger grew \d+% of its level over a 2\.3 min window: too short/);
    expect(judge(0.6)?.status).toBe('fail');
  });

  it('projects payer liquidity exhaustion at the observed rate', () => {
    const dir = writeRun(tempDir(), {
      test: endurance('endurance-liq', 1000, '30m'),
      seconds: 1800,
      second: secondOf('healthy', 1000),
      exports: exportsOf('healthy', 1800).map((e) => ({ ...e, step: 30 })),
      transferAmount: '10',
    });
    const r = analyzeRun(dir, { write: false });
    const p1 = r.endurance?.exhaustion.find((e) => e.subject === 'perffsp-1');
    // perffsp-1 pays 40% of 1000 TPS x $10 = $14.4M/h; $1M cap minus 30 min of use is gone already
    expect(p1?.resource).toBe('liquidity');
    expect(p1?.hoursRemaining).toBe(0);
    const p4 = r.endurance?.exhaustion.find((e) => e.subject === 'perffsp-4');
    expect(p4?.detail).toContain('perffsp-4 pays 150');
    expect(r.findings.some((f) => f.kind === 'resource-exhaustion' && f.subject === 'perffsp-1')).toBe(true);
    expect(r.endurance?.memory.every((m) => !m.significant)).toBe(true);
    expect(r.criteria.find((c) => c.id === 'no-memory-leak')?.status).toBe('pass');
  });

  it('detects latency drift with a significance test, and none in a stable run', () => {
    const r = rng(4);
    const mk = (drift: boolean): TimeseriesRecord[] =>
      Array.from({ length: 3600 }, (_, s) => ({
        t: s * 1000,
        s,
        stage: 0,
        offeredRate: 100,
        offered: 100,
        started: 100,
        dropped: 0,
        succeeded: 100,
        failed: {},
        inFlight: 5,
        latency: {
          e2e: lognormalSnapshot(100, (drift ? 40 + (40 * s) / 3600 : 40) * (1 + 0.03 * gaussian(r))),
        },
        corridors: {},
      }));
    const up = latencyDrift(mk(true));
    expect(up?.significant).toBe(true);
    expect(up?.changeRatio).toBeGreaterThan(1.4);
    expect(latencyDrift(mk(false))?.significant).toBe(false);
  });

  it('trendOf reports no trend on noise alone', () => {
    const r = rng(8);
    const pts: [number, number][] = Array.from({ length: 500 }, (_, i) => [
      i * 15_000,
      5e8 + 1e7 * gaussian(r),
    ]);
    expect(trendOf('svc', 'mem', 'bytes', pts)?.significant).toBe(false);
  });
});
