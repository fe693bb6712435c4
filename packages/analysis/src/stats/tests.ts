import { mean, normalCdf, twoSidedP, variance } from './basic.js';

export interface TwoSampleTest {
  /** Probability of a difference this large (two-sided) if both samples came from one distribution. */
  pValue: number;
  /** Test statistic: z for Mann-Whitney, t for Welch. */
  statistic: number;
  method: 'mann-whitney' | 'welch';
}

/** Mann-Whitney U test (normal approximation with tie correction); robust for latency samples. */
export function mannWhitney(a: readonly number[], b: readonly number[]): TwoSampleTest {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { pValue: 1, statistic: 0, method: 'mann-whitney' };
  const all = [...a.map((v) => [v, 0] as const), ...b.map((v) => [v, 1] as const)].sort(
    (x, y) => x[0] - y[0],
  );
  let r1 = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (
      j + 1 < all.length &&
      (all[j + 1] as readonly [number, number])[0] === (all[i] as readonly [number, number])[0]
    )
      j++;
    const rank = (i + j) / 2 + 1;
    const t = j - i + 1;
    if (t > 1) tieTerm += t ** 3 - t;
    for (let k = i; k <= j; k++) if ((all[k] as readonly [number, number])[1] === 0) r1 += rank;
    i = j + 1;
  }
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  const n = n1 + n2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = sigma === 0 ? 0 : (u1 - mu) / sigma;
  return { pValue: twoSidedP(z), statistic: z, method: 'mann-whitney' };
}

/** Welch's t-test (unequal variances), p-value from the t distribution via a normal approximation for df > 30. */
export function welch(a: readonly number[], b: readonly number[]): TwoSampleTest {
  if (a.length < 2 || b.length < 2) return { pValue: 1, statistic: 0, method: 'welch' };
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const se = Math.sqrt(va + vb);
  if (se === 0) return { pValue: mean(a) === mean(b) ? 1 : 0, statistic: 0, method: 'welch' };
  const t = (mean(b) - mean(a)) / se;
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return { pValue: studentTwoSided(t, df), statistic: t, method: 'welch' };
}

/** Two-sided p of Student's t with `df` degrees of freedom (Hill's 1970 normal transform). */
function studentTwoSided(t: number, df: number): number {
  if (!Number.isFinite(df) || df > 1e6) return twoSidedP(t);
  const a = df - 0.5;
  const b = 48 * a * a;
  let w = Math.sqrt(a * Math.log1p((t * t) / df));
  w =
    w +
    (w ** 3 + 3 * w) / b -
    (4 * w ** 7 + 33 * w ** 5 + 240 * w ** 3 + 855 * w) / (10 * b * (b + 0.8 * w ** 4 + 100));
  return Math.min(1, 2 * (1 - normalCdf(w)));
}
