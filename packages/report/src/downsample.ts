/** A point of a chart series: x (unix ms or load) and y; null y is a gap. */
export type Point = [number, number | null];

/**
 * Largest-Triangle-Three-Buckets: keeps the shape of a long series in `threshold` points.
 * Used for charts only; every number in a report is computed from the full series.
 * Gaps (null) are kept as gaps: each run between gaps is reduced on its own share.
 */
export function downsample(points: Point[], threshold: number): Point[] {
  if (points.length <= threshold || threshold < 3) return points;
  const runs: [number, number][][] = [];
  let current: [number, number][] = [];
  for (const [x, y] of points) {
    if (y === null) {
      if (current.length > 0) runs.push(current);
      current = [];
    } else current.push([x, y]);
  }
  if (current.length > 0) runs.push(current);
  const total = runs.reduce((n, r) => n + r.length, 0);
  const out: Point[] = [];
  runs.forEach((run, i) => {
    if (i > 0) out.push([(run[0] as [number, number])[0], null]);
    const share = Math.max(3, Math.round((threshold * run.length) / total));
    out.push(...lttb(run, share));
  });
  return out;
}

function lttb(data: [number, number][], threshold: number): [number, number][] {
  if (data.length <= threshold) return data;
  const sampled: [number, number][] = [data[0] as [number, number]];
  const every = (data.length - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const avgStart = Math.floor((i + 1) * every) + 1;
    const avgEnd = Math.min(Math.floor((i + 2) * every) + 1, data.length);
    let avgX = 0;
    let avgY = 0;
    for (let j = avgStart; j < avgEnd; j++) {
      const p = data[j] as [number, number];
      avgX += p[0];
      avgY += p[1];
    }
    const n = Math.max(1, avgEnd - avgStart);
    avgX /= n;
    avgY /= n;
    const rangeStart = Math.floor(i * every) + 1;
    const rangeEnd = Math.floor((i + 1) * every) + 1;
    const pa = data[a] as [number, number];
    let maxArea = -1;
    let next = rangeStart;
    for (let j = rangeStart; j < rangeEnd; j++) {
      const p = data[j] as [number, number];
      const area = Math.abs((pa[0] - avgX) * (p[1] - pa[1]) - (pa[0] - p[0]) * (avgY - pa[1]));
      if (area > maxArea) {
        maxArea = area;
        next = j;
      }
    }
    sampled.push(data[next] as [number, number]);
    a = next;
  }
  sampled.push(data[data.length - 1] as [number, number]);
  return sampled;
}
