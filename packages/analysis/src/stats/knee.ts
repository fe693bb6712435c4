import { linearFit } from './basic.js';

export interface Knee {
  /** x at the break between the two segments. */
  x: number;
  index: number;
  slopeBefore: number;
  slopeAfter: number;
}

/**
 * Knee of a saturating curve (achieved vs offered) by two-segment regression: the breakpoint that
 * minimises the summed squared error of a line on each side, refined between neighbouring points
 * by intersecting the two lines. Returns undefined when the curve keeps following (no real bend:
 * the second slope is not clearly flatter than the first).
 */
export function detectKnee(xs: readonly number[], ys: readonly number[], minPerSide = 3): Knee | undefined {
  const n = xs.length;
  if (n < 2 * minPerSide) return undefined;
  let best:
    | { i: number; sse: number; a: ReturnType<typeof linearFit>; b: ReturnType<typeof linearFit> }
    | undefined;
  for (let i = minPerSide; i <= n - minPerSide; i++) {
    const a = linearFit(xs.slice(0, i), ys.slice(0, i));
    const b = linearFit(xs.slice(i), ys.slice(i));
    const sse = a.sse + b.sse;
    if (!best || sse < best.sse) best = { i, sse, a, b };
  }
  if (!best) return undefined;
  const { a, b, i } = best;
  if (!(a.slope > 0) || b.slope > 0.5 * a.slope) return undefined;
  const lo = xs[i - 1] as number;
  const hi = xs[i] as number;
  let x = a.slope === b.slope ? lo : (b.intercept - a.intercept) / (a.slope - b.slope);
  if (!(x >= Math.min(lo, hi) - (hi - lo)) || !(x <= Math.max(lo, hi) + (hi - lo))) x = lo;
  return { x, index: i, slopeBefore: a.slope, slopeAfter: b.slope };
}
