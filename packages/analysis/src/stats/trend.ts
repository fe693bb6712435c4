import { median, twoSidedP } from './basic.js';

export interface TheilSen {
  slope: number;
  intercept: number;
}

/** Theil-Sen estimator: the median of pairwise slopes (robust to outliers, up to ~29%). */
export function theilSen(xs: readonly number[], ys: readonly number[]): TheilSen {
  const n = xs.length;
  if (n < 2) return { slope: 0, intercept: ys[0] ?? Number.NaN };
  const slopes: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    const xi = xs[i] as number;
    const yi = ys[i] as number;
    for (let j = i + 1; j < n; j++) {
      const dx = (xs[j] as number) - xi;
      if (dx !== 0) slopes.push(((ys[j] as number) - yi) / dx);
    }
  }
  const slope = slopes.length ? median(slopes) : 0;
  const intercept = median(ys.map((y, i) => y - slope * (xs[i] as number)));
  return { slope, intercept };
}

export interface MannKendall {
  /** Kendall S statistic. */
  s: number;
  z: number;
  /** Two-sided p-value, with the variance corrected for autocorrelation. */
  pValue: number;
  /** n / n*: how much autocorrelation inflated the variance (1 = none). */
  varianceCorrection: number;
  trend: 'increasing' | 'decreasing' | 'none';
}

function ranks(values: readonly number[]): number[] {
  const idx = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (
      j + 1 < idx.length &&
      (idx[j + 1] as readonly [number, number])[0] === (idx[i] as readonly [number, number])[0]
    )
      j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[(idx[k] as readonly [number, number])[1]] = r;
    i = j + 1;
  }
  return out;
}

/**
 * Mann-Kendall trend test with the Hamed & Rao (1998) variance correction: the series is detrended
 * with its Theil-Sen slope, and the significant lag autocorrelations of the ranks inflate Var(S),
 * so a slowly wandering (autocorrelated) series without trend is not reported as one. The larger of
 * that and Yue & Wang's (2004) AR(1) effective-sample-size factor is used: conservative, so noise
 * alone is not reported as a trend. (Below 30 points the lag-1 estimate is too noisy to use.)
 */
export function mannKendall(xs: readonly number[], ys: readonly number[], alpha = 0.01): MannKendall {
  const n = ys.length;
  if (n < 4) return { s: 0, z: 0, pValue: 1, varianceCorrection: 1, trend: 'none' };
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const yi = ys[i] as number;
    for (let j = i + 1; j < n; j++) s += Math.sign((ys[j] as number) - yi);
  }
  const ties = new Map<number, number>();
  for (const y of ys) ties.set(y, (ties.get(y) ?? 0) + 1);
  let varS = (n * (n - 1) * (2 * n + 5)) / 18;
  for (const t of ties.values()) if (t > 1) varS -= (t * (t - 1) * (2 * t + 5)) / 18;

  const { slope } = theilSen(xs, ys);
  const r = ranks(ys.map((y, i) => y - slope * (xs[i] as number)));
  const rm = (n + 1) / 2;
  let denom = 0;
  for (const v of r) denom += (v - rm) ** 2;
  const bound = 1.96 / Math.sqrt(n);
  let acc = 0;
  const maxLag = Math.min(n - 3, 200);
  for (let k = 1; k <= maxLag; k++) {
    let num = 0;
    for (let i = 0; i < n - k; i++) num += ((r[i] as number) - rm) * ((r[i + k] as number) - rm);
    const rk = denom === 0 ? 0 : num / denom;
    if (Math.abs(rk) > bound) acc += (n - k) * (n - k - 1) * (n - k - 2) * rk;
  }
  const hamedRao = 1 + (2 / (n * (n - 1) * (n - 2))) * acc;
  const correction = Math.max(
    1,
    hamedRao,
    n >= 30 ? yueWang(ys.map((y, i) => y - slope * (xs[i] as number))) : 1,
  );
  const v = varS * correction;
  const z = v <= 0 ? 0 : s > 0 ? (s - 1) / Math.sqrt(v) : s < 0 ? (s + 1) / Math.sqrt(v) : 0;
  const pValue = twoSidedP(z);
  const trend = pValue < alpha ? (z > 0 ? 'increasing' : 'decreasing') : 'none';
  return { s, z, pValue, varianceCorrection: correction, trend };
}

/** Yue-Wang: n/n* = 1 + 2 sum (1 - k/n) rho^k, with rho the bias-corrected lag-1 autocorrelation of the detrended series. */
function yueWang(resid: readonly number[]): number {
  const n = resid.length;
  const m = resid.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const d = (resid[i] as number) - m;
    den += d * d;
    if (i > 0) num += d * ((resid[i - 1] as number) - m);
  }
  if (den === 0) return 1;
  const r1 = num / den;
  const rho = Math.min(0.99, (n * r1 + 1) / (n - 4));
  if (!(rho > 0)) return 1;
  let f = 1;
  let p = 1;
  for (let k = 1; k < n && p > 1e-6; k++) {
    p *= rho;
    f += 2 * (1 - k / n) * p;
  }
  return f;
}
