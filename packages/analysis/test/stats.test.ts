import { describe, expect, it } from 'vitest';
import {
  detectKnee,
  fitUsl,
  mannKendall,
  mannWhitney,
  mergeLatency,
  snapshotOf,
  theilSen,
  welch,
} from '@mlperf/analysis';
import { gaussian, rng } from '@mlperf/testkit/synth';
import { uslThroughput } from '../src/stats/usl.js';

function ar1(n: number, phi: number, seed: number): number[] {
  const r = rng(seed);
  const out: number[] = [];
  let x = 0;
  for (let i = 0; i < n; i++) {
    x = phi * x + gaussian(r);
    out.push(x);
  }
  return out;
}

describe('Theil-Sen + Mann-Kendall', () => {
  it('recovers a leak slope within 5% under noise and outliers', () => {
    const r = rng(1);
    const xs = Array.from({ length: 240 }, (_, i) => i / 120); // 2 h at 30 s steps, in hours
    const slope = 50 * 1024 * 1024; // 50 MiB/h
    const ys = xs.map((x, i) => 400e6 + slope * x + 3e6 * gaussian(r) + (i % 37 === 0 ? 80e6 : 0));
    const ts = theilSen(xs, ys);
    expect(Math.abs(ts.slope - slope) / slope).toBeLessThan(0.05);
    const mk = mannKendall(xs, ys);
    expect(mk.trend).toBe('increasing');
    expect(mk.pValue).toBeLessThan(1e-6);
  });

  it('finds no trend in white noise or autocorrelated noise (false positives <= 1 in 20 at alpha 0.01)', () => {
    let white = 0;
    let correlated = 0;
    for (let seed = 0; seed < 20; seed++) {
      const xs = Array.from({ length: 300 }, (_, i) => i);
      const r = rng(100 + seed);
      if (
        mannKendall(
          xs,
          xs.map(() => gaussian(r)),
        ).trend !== 'none'
      )
        white++;
      if (mannKendall(xs, ar1(300, 0.8, 200 + seed)).trend !== 'none') correlated++;
    }
    expect(white).toBeLessThanOrEqual(1);
    expect(correlated).toBeLessThanOrEqual(1);
  });

  it('corrects the variance for autocorrelation (the uncorrected test would over-report)', () => {
    const xs = Array.from({ length: 300 }, (_, i) => i);
    const mk = mannKendall(xs, ar1(300, 0.9, 7));
    expect(mk.varianceCorrection).toBeGreaterThan(2);
  });
});

describe('knee detection', () => {
  it('locates the knee of a saturating achieved-vs-offered curve within 5%', () => {
    const r = rng(3);
    const offered = Array.from({ length: 60 }, (_, i) => 100 + i * 50); // 100..3050
    const achieved = offered.map(
      (o) => Math.min(o, 1500 + 0.05 * Math.max(0, o - 1500)) * (1 + 0.01 * gaussian(r)),
    );
    const k = detectKnee(offered, achieved);
    expect(k).toBeDefined();
    expect(Math.abs((k?.x ?? 0) - 1500) / 1500).toBeLessThan(0.05);
  });

  it('reports no knee when achieved keeps following offered', () => {
    const offered = Array.from({ length: 40 }, (_, i) => 100 + i * 50);
    expect(
      detectKnee(
        offered,
        offered.map((o) => o * 0.99),
      ),
    ).toBeUndefined();
  });
});

describe('USL fit', () => {
  it('recovers lambda, sigma, kappa within 5% from noisy points', () => {
    const truth = { lambda: 1.2, sigma: 0.05, kappa: 0.0002 };
    const r = rng(5);
    const pts = Array.from({ length: 30 }, (_, i) => {
      const n = 1 + i * 5;
      return { offered: n, achieved: uslThroughput(n, truth) * (1 + 0.002 * gaussian(r)) };
    });
    const fit = fitUsl(pts);
    expect(fit).toBeDefined();
    if (!fit) return;
    expect(Math.abs(fit.lambda - truth.lambda) / truth.lambda).toBeLessThan(0.05);
    expect(Math.abs(fit.sigma - truth.sigma) / truth.sigma).toBeLessThan(0.05);
    expect(Math.abs(fit.kappa - truth.kappa) / truth.kappa).toBeLessThan(0.05);
    const peak = Math.sqrt((1 - truth.sigma) / truth.kappa);
    expect(Math.abs(fit.predictedPeak.load - peak) / peak).toBeLessThan(0.05);
    expect(fit.rSquared).toBeGreaterThan(0.99);
  });

  it('fits TPS-scale loads (offered in transfers/s)', () => {
    const truth = { lambda: 0.98, sigma: 0.0001, kappa: 2e-7 };
    const pts = [100, 500, 1000, 1500, 2000, 2500, 3000, 4000].map((n) => ({
      offered: n,
      achieved: uslThroughput(n, truth),
    }));
    const fit = fitUsl(pts);
    expect(Math.abs((fit?.kappa ?? 0) - truth.kappa) / truth.kappa).toBeLessThan(0.05);
    expect(Math.abs((fit?.sigma ?? 0) - truth.sigma) / truth.sigma).toBeLessThan(0.05);
  });
});

describe('two-sample tests', () => {
  it('Mann-Whitney separates shifted samples and not identical ones', () => {
    const r = rng(9);
    const a = Array.from({ length: 60 }, () => 100 + 10 * gaussian(r));
    const b = Array.from({ length: 60 }, () => 115 + 10 * gaussian(r));
    const c = Array.from({ length: 60 }, () => 100 + 10 * gaussian(r));
    expect(mannWhitney(a, b).pValue).toBeLessThan(0.001);
    expect(mannWhitney(a, c).pValue).toBeGreaterThan(0.01);
    expect(welch(a, b).pValue).toBeLessThan(0.001);
    expect(welch(a, c).pValue).toBeGreaterThan(0.01);
  });
});

describe('latency merge', () => {
  it('merges HDR histograms exactly and approximates summaries closely', () => {
    const r = rng(11);
    const seconds = Array.from({ length: 30 }, (_, s) =>
      Array.from({ length: 200 }, () => (s < 15 ? 20 : 60) * Math.exp(0.3 * gaussian(r))),
    );
    const all = seconds.flat().sort((a, b) => a - b);
    const trueP95 = all[Math.ceil(0.95 * all.length) - 1] as number;
    const snaps = seconds.map((v) => snapshotOf(v));
    const exact = mergeLatency(snaps);
    expect(exact?.method).toBe('hdr');
    expect(Math.abs((exact?.p95 ?? 0) - trueP95) / trueP95).toBeLessThan(0.01);
    const approx = mergeLatency(snaps.map((s) => (s ? { ...s, hdr: undefined } : s)));
    expect(approx?.method).toBe('approx');
    expect(Math.abs((approx?.p95 ?? 0) - trueP95) / trueP95).toBeLessThan(0.05);
    expect(mergeLatency([])).toBeUndefined();
  });
});
