import type { UslFit } from '@mlperf/core';

/** Universal Scalability Law throughput at load n. */
export function uslThroughput(n: number, p: { lambda: number; sigma: number; kappa: number }): number {
  return (p.lambda * n) / (1 + p.sigma * (n - 1) + p.kappa * n * (n - 1));
}

function sse(points: readonly { offered: number; achieved: number }[], p: [number, number, number]): number {
  let s = 0;
  for (const pt of points)
    s += (pt.achieved - uslThroughput(pt.offered, { lambda: p[0], sigma: p[1], kappa: p[2] })) ** 2;
  return s;
}

/** For a fixed lambda, sigma and kappa solve a linear least-squares problem: lambda N / X - 1 = sigma (N-1) + kappa N (N-1). */
function linearised(
  points: readonly { offered: number; achieved: number }[],
  lambda: number,
): [number, number] {
  let a11 = 0;
  let a12 = 0;
  let a22 = 0;
  let b1 = 0;
  let b2 = 0;
  for (const { offered: n, achieved: x } of points) {
    if (x <= 0) continue;
    const y = (lambda * n) / x - 1;
    const u = n - 1;
    const v = n * (n - 1);
    a11 += u * u;
    a12 += u * v;
    a22 += v * v;
    b1 += u * y;
    b2 += v * y;
  }
  const det = a11 * a22 - a12 * a12;
  if (Math.abs(det) < 1e-300) return [Math.max(0, a11 ? b1 / a11 : 0), 0];
  let sigma = (b1 * a22 - b2 * a12) / det;
  let kappa = (a11 * b2 - a12 * b1) / det;
  if (kappa < 0) {
    kappa = 0;
    sigma = a11 ? b1 / a11 : 0;
  }
  if (sigma < 0) {
    sigma = 0;
    kappa = Math.max(0, a22 ? b2 / a22 : 0);
  }
  return [sigma, kappa];
}

/**
 * Fits the USL to (offered, achieved) points: lambda by golden-section search with sigma and kappa
 * from the linearised problem, then Nelder-Mead on the squared error in throughput space.
 * Returns undefined with fewer than 3 usable points.
 */
export function fitUsl(raw: readonly { offered: number; achieved: number }[]): UslFit | undefined {
  const points = raw.filter(
    (p) => p.offered > 0 && p.achieved > 0 && Number.isFinite(p.offered) && Number.isFinite(p.achieved),
  );
  if (points.length < 3) return undefined;
  const maxRatio = Math.max(...points.map((p) => p.achieved / p.offered));
  const cost = (l: number) => sse(points, [l, ...linearised(points, l)]);
  let lo = maxRatio * 0.5;
  let hi = maxRatio * 2;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 80; k++) {
    const m1 = hi - g * (hi - lo);
    const m2 = lo + g * (hi - lo);
    if (cost(m1) < cost(m2)) hi = m2;
    else lo = m1;
  }
  const lambda0 = (lo + hi) / 2;
  const start: [number, number, number] = [lambda0, ...linearised(points, lambda0)];
  const [lambda, sigma, kappa] = nelderMead(points, start);
  const p = { lambda, sigma, kappa };
  const mean = points.reduce((s, q) => s + q.achieved, 0) / points.length;
  const ssTot = points.reduce((s, q) => s + (q.achieved - mean) ** 2, 0);
  const rSquared = ssTot === 0 ? 1 : 1 - sse(points, [lambda, sigma, kappa]) / ssTot;
  const maxOffered = Math.max(...points.map((q) => q.offered));
  const peakLoad = kappa > 0 ? Math.sqrt((1 - sigma) / kappa) : Number.POSITIVE_INFINITY;
  const load = Number.isFinite(peakLoad) && peakLoad > 0 ? peakLoad : maxOffered;
  return {
    lambda,
    sigma,
    kappa,
    rSquared,
    predictedPeak: { load, throughput: uslThroughput(load, p) },
    points: points.map((q) => ({ offered: q.offered, achieved: q.achieved })),
  };
}

/** Nelder-Mead over (lambda, sigma, kappa) with sigma, kappa kept >= 0; steps scaled to the start. */
function nelderMead(
  points: readonly { offered: number; achieved: number }[],
  start: [number, number, number],
): [number, number, number] {
  const clamp = (p: number[]): [number, number, number] => [
    Math.max(1e-12, p[0] as number),
    Math.max(0, p[1] as number),
    Math.max(0, p[2] as number),
  ];
  const f = (p: number[]) => sse(points, clamp(p));
  const scale = [start[0] * 0.05 || 0.01, start[1] * 0.2 || 1e-4, start[2] * 0.2 || 1e-9];
  let simplex: number[][] = [start.slice()];
  for (let i = 0; i < 3; i++) {
    const p = start.slice();
    p[i] = (p[i] as number) + (scale[i] as number);
    simplex.push(p);
  }
  for (let iter = 0; iter < 2000; iter++) {
    simplex.sort((a, b) => f(a) - f(b));
    const best = simplex[0] as number[];
    const worst = simplex[3] as number[];
    const fBest = f(best);
    if (Math.abs(f(worst) - fBest) <= 1e-14 * (1 + fBest)) break;
    const centroid = [0, 1, 2].map(
      (d) =>
        ((simplex[0] as number[])[d] as number) / 3 +
        ((simplex[1] as number[])[d] as number) / 3 +
        ((simplex[2] as number[])[d] as number) / 3,
    );
    const along = (t: number) => centroid.map((c, d) => c + t * (c - (worst[d] as number)));
    const r = along(1);
    const fr = f(r);
    if (fr < fBest) {
      const e = along(2);
      simplex[3] = f(e) < fr ? e : r;
    } else if (fr < f(simplex[2] as number[])) {
      simplex[3] = r;
    } else {
      const c = along(-0.5);
      if (f(c) < f(worst)) simplex[3] = c;
      else
        simplex = simplex.map((p) => p.map((v, d) => (best[d] as number) + 0.5 * (v - (best[d] as number))));
    }
  }
  simplex.sort((a, b) => f(a) - f(b));
  return clamp(simplex[0] as number[]);
}

/** One sentence comparing the USL prediction with a measured breaking point (offered TPS). */
export function uslNote(fit: UslFit, breakingPointTps: number | undefined): string {
  const peak = `USL predicts a peak of ${Math.round(fit.predictedPeak.throughput)} TPS at ${Math.round(fit.predictedPeak.load)} offered (sigma ${fit.sigma.toExponential(2)}, kappa ${fit.kappa.toExponential(2)}, R² ${fit.rSquared.toFixed(3)})`;
  if (fit.kappa === 0)
    return `${peak}; no coherency penalty was measured, so the peak is only bounded by the highest load tested`;
  if (breakingPointTps === undefined) return `${peak}; no breaking point was measured to compare with`;
  const ratio = breakingPointTps / fit.predictedPeak.load;
  const verdict =
    ratio < 0.9
      ? 'earlier than the model predicts: a hard limit (pool, partitions, quota) rather than gradual contention'
      : ratio > 1.1
        ? 'later than the model predicts'
        : 'where the model predicts';
  return `${peak}; the measured breaking point ${breakingPointTps} TPS is ${Math.round(ratio * 100)}% of it, ${verdict}`;
}
