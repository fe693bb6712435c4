/** Prometheus refuses range queries with more than this many points per series. */
const MAX_POINTS_PER_SERIES = 11_000;

const NICE_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/**
 * The step (seconds) for a range query over [start, end] (unix seconds): at least `minStep`
 * (usually the scrape interval), rounded up to a readable value, and coarse enough to stay under
 * `maxPoints` points per series.
 */
export function chooseStep(
  start: number,
  end: number,
  minStep = 1,
  maxPoints = MAX_POINTS_PER_SERIES,
): number {
  const span = Math.max(0, end - start);
  const needed = Math.max(minStep, span / maxPoints);
  const nice = NICE_STEPS.find((s) => s >= needed);
  if (nice !== undefined) return nice;
  return Math.ceil(needed / 3600) * 3600;
}

/** Points per series a range query over [start, end] at `step` returns. */
export function pointCount(start: number, end: number, step: number): number {
  return Math.floor(Math.max(0, end - start) / step) + 1;
}
