import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRun } from '@mlperf/analysis';
import type { TestDefinition } from '@mlperf/core';
import {
  CORRIDORS,
  cleanTemp,
  gaussian,
  rng,
  type SecondSpec,
  tempDir,
  writeRun,
} from '@mlperf/testkit/synth';

afterAll(cleanTemp);

const stressTest: TestDefinition = {
  id: 'stress-test',
  name: 'Stress Test (Ramp to Failure)',
  kind: 'stress',
  stages: [
    { kind: 'ramp', from: 0, to: 3000, duration: '600s' },
    { kind: 'open-ramp', from: 3000, stepPerMinute: 300, maxRate: 5000 },
  ],
  stopRule: { maxErrorRate: 0.05, maxP95Ms: 2000, window: '30s' },
  recovery: { rate: 100, duration: '120s' },
  criteria: [],
};

describe('stress analysis', () => {
  it('finds the knee, the limits in order, the first component, error types and recovery', () => {
    const r = rng(6);
    const capacity = 1800;
    const ramp = 600;
    const dir = writeRun(tempDir(), {
      test: stressTest,
      seconds: ramp + 120,
      stages: [
        { index: 0, name: 'ramp', kind: 'ramp', startS: 0, endS: ramp, fromRate: 0, toRate: 3000 },
        {
          index: 1,
          name: 'recovery',
          kind: 'constant',
          startS: ramp,
          endS: ramp + 120,
          fromRate: 100,
          toRate: 100,
        },
      ],
      second: (s): SecondSpec => {
        if (s >= ramp) {
          const healthy = s >= ramp + 20;
          return {
            offeredRate: 100,
            succeeded: healthy ? 100 : 60,
            failed: healthy ? {} : { timeout: 40 },
            p50Ms: healthy ? 30 : 1500,
          };
        }
        const offered = (3000 * s) / ramp;
        const achieved = Math.min(offered, capacity) * (1 + 0.005 * gaussian(r));
        const over = Math.max(0, offered - capacity) / capacity;
        const errRate = Math.min(0.5, over * 0.4);
        const p50 = 20 + 3000 * over;
        const fails = Math.round(achieved * errRate);
        return {
          offeredRate: offered,
          succeeded: Math.round(achieved - fails),
          failed: fails
            ? { timeout: Math.round(fails * 0.7), 'fspiop:4001': fails - Math.round(fails * 0.7) }
            : {},
          p50Ms: p50,
          sigma: 0.3,
        };
      },
      exports: [
        {
          name: 'db_connections_ratio',
          query: 'mysql_global_status_threads_connected / mysql_global_variables_max_connections',
          series: [
            { labels: {}, value: (t) => Math.min(1, ((3000 * Math.min(t, ramp)) / ramp / capacity) * 0.97) },
          ],
        },
        {
          name: 'cpu_throttling_ratio',
          query:
            'rate(container_cpu_cfs_throttled_periods_total[1m]) / rate(container_cpu_cfs_periods_total[1m])',
          series: [
            { labels: { container: 'central-ledger' }, value: (t) => (t > 450 && t < ramp ? 0.6 : 0.02) },
          ],
        },
      ],
    });
    const a = analyzeRun(dir, { write: false });
    const s = a.stress;
    expect(s).toBeDefined();
    if (!s) return;
    const knee = s.signals.find((x) => x.kind === 'knee');
    expect(Math.abs((knee?.offeredTps ?? 0) - capacity) / capacity).toBeLessThan(0.05);
    expect(s.firstSignal).toBe('knee');
    expect(s.breakingPointTps).toBe(knee?.offeredTps);
    const err = s.signals.find((x) => x.kind === 'error-rate');
    const p95 = s.signals.find((x) => x.kind === 'p95');
    expect(err?.offeredTps).toBeGreaterThan(capacity);
    expect(p95?.offeredTps).toBeGreaterThan(capacity);
    expect(s.firstComponentToFail?.subject).toBe('mysql');
    expect(s.firstComponentToFail?.detail).toMatch(/before the break/);
    expect(Object.keys(s.errorTypes).sort()).toEqual(['fspiop:4001', 'timeout']);
    expect(s.recovery?.recovered).toBe(true);
    expect(s.recovery?.seconds).toBeGreaterThanOrEqual(18);
    expect(s.recovery?.seconds).toBeLessThanOrEqual(22);
    expect(s.curve.length).toBeGreaterThan(20);
    expect(s.usl?.predictedPeak.throughput).toBeGreaterThan(1000);
    expect(s.usl?.note).toMatch(/the measured breaking point \d+ TPS is \d+% of it/);
    expect(a.headline).toContain(
      `Breaking point at ${knee?.offeredTps} TPS offered (first signal: knee); first component to fail: mysql`,
    );
    // a stress test without criteria of its own is judged on its breaking point and recovery
    expect(a.criteria.map((c) => `${c.id}:${c.status}`)).toEqual(['breaking-point:pass', 'recovery:pass']);
    expect(a.verdict).toBe('pass');
    expect(CORRIDORS.length).toBe(4);
  });

  it('takes the stop rule as the breaking point of a short (quick-profile) ramp, and judges its short recovery', () => {
    // 25 s ramp to 3350 TPS, the hub saturating near 2300 TPS; the stop rule fires; 5 s recovery at 100 TPS
    const dir = writeRun(tempDir(), {
      test: stressTest,
      seconds: 30,
      stages: [
        { index: 0, name: 'ramp', kind: 'ramp', startS: 0, endS: 25, fromRate: 0, toRate: 3350 },
        { index: 1, name: 'recovery', kind: 'constant', startS: 25, endS: 30, fromRate: 100, toRate: 100 },
      ],
      stopped: { atS: 25, rate: 3350, reason: 'achieved/offered 69.4% over 3s < 80.0%' },
      second: (s) => {
        if (s >= 25) return { offeredRate: 100, succeeded: 100, p50Ms: 15 };
        const offered = 134 * s;
        return { offeredRate: offered, succeeded: Math.round(Math.min(offered, 2300)), p50Ms: 20 };
      },
    });
    const s = analyzeRun(dir, { write: false }).stress;
    const stop = s?.signals.find((x) => x.kind === 'stop-rule');
    expect(stop).toMatchObject({ offeredTps: 3350, detail: 'achieved/offered 69.4% over 3s < 80.0%' });
    expect(stop?.achievedTps).toBeGreaterThan(2000);
    expect(s?.breakingPointTps).toBeDefined();
    expect(s?.breakingPointTps).toBeLessThanOrEqual(3350);
    expect(s?.curve.length).toBeGreaterThanOrEqual(10);
    expect(s?.recovery).toMatchObject({ recovered: true, seconds: 0 });
  });

  it('reports no breaking point when the hub follows every offered rate, and no recovery without a recovery phase', () => {
    const dir = writeRun(tempDir(), {
      test: stressTest,
      seconds: 300,
      stages: [{ index: 0, name: 'ramp', kind: 'ramp', startS: 0, fromRate: 0, toRate: 3000 }],
      second: (s) => ({ offeredRate: 10 * s, succeeded: 10 * s, p50Ms: 20 }),
    });
    const a = analyzeRun(dir, { write: false });
    expect(a.stress?.breakingPointTps).toBeUndefined();
    expect(a.stress?.recovery).toBeUndefined();
    expect(a.headline).toContain('No breaking point found: the hub followed every offered rate');
    expect(a.verdict).toBe('inconclusive');
  });
});
