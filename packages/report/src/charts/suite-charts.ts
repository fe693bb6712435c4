import type { UslFit } from '@mlperf/core';
import { type Chart, lineSeries, PALETTE, renderSvg } from './render.js';

/** Achieved vs planned TPS over the suite's tests, with the USL fit and the ideal line. */
export function scalingChart(
  points: { label: string; offered: number; achieved: number }[],
  usl?: UslFit,
  breakingPointTps?: number,
): Chart {
  if (points.length === 0 && !usl)
    return { id: 'scaling', title: 'Scaling', missing: 'no analysed test with a planned and achieved rate' };
  const all = [...points, ...(usl?.points.map((p) => ({ label: '', ...p })) ?? [])];
  const maxX =
    Math.max(100, ...all.map((p) => p.offered), usl?.predictedPeak.load ?? 0, breakingPointTps ?? 0) * 1.05;
  const series: Record<string, unknown>[] = [
    lineSeries(
      'ideal (linear)',
      [
        [0, 0],
        [maxX, maxX],
      ],
      { lineStyle: { width: 1, type: 'dotted', color: '#57606a' } },
    ),
    {
      type: 'scatter',
      name: 'tests',
      symbolSize: 10,
      data: labelled(points, maxX).map((p) => ({ value: [p.offered, p.achieved], name: p.label })),
      label: { show: true, position: 'right', formatter: '{b}' },
      itemStyle: { color: PALETTE[0] },
    },
  ];
  if (usl) {
    const fit: [number, number][] = [];
    for (let i = 0; i <= 60; i++) {
      const n = Math.max(1, (maxX * i) / 60);
      fit.push([n, (usl.lambda * n) / (1 + usl.sigma * (n - 1) + usl.kappa * n * (n - 1))]);
    }
    series.push(lineSeries('USL fit', fit, { lineStyle: { width: 2, color: PALETTE[4] } }));
  }
  if (breakingPointTps !== undefined) {
    (series[1] as Record<string, unknown>).markLine = {
      symbol: 'none',
      silent: true,
      lineStyle: { type: 'dashed', color: PALETTE[1] },
      data: [
        {
          xAxis: breakingPointTps,
          label: { formatter: `breaking point ${Math.round(breakingPointTps)} TPS` },
        },
      ],
    };
  }
  const c: Chart = {
    id: 'scaling',
    title: 'Scaling: achieved vs offered TPS',
    svg: renderSvg({
      grid: { left: 64, right: 48, top: 48, bottom: 48 },
      legend: { top: 8, itemGap: 28 },
      xAxis: { type: 'value', name: 'offered TPS', nameLocation: 'middle', nameGap: 28, min: 0 },
      yAxis: { type: 'value', name: 'achieved TPS', min: 0 },
      series,
    }),
  };
  if (usl) {
    c.caption = `USL: σ (contention) ${usl.sigma.toPrecision(3)}, κ (coherency) ${usl.kappa.toPrecision(3)}, R² ${usl.rSquared.toFixed(3)}; predicted peak ${Math.round(usl.predictedPeak.throughput)} TPS at ${Math.round(usl.predictedPeak.load)} offered.`;
  }
  return c;
}

/**
 * Points that would draw on top of each other (within 2% of the axis: e.g. the target and the
 * endurance test both at 1000 TPS) share one label, "a, b", on the first; the others draw unlabelled.
 */
function labelled<P extends { label: string; offered: number; achieved: number }>(
  points: P[],
  span: number,
): P[] {
  const near = span * 0.02;
  const out = points.map((p) => ({ ...p }));
  out.forEach((p, i) => {
    const first = out.findIndex(
      (q, j) =>
        j < i &&
        q.label !== '' &&
        Math.abs(q.offered - p.offered) <= near &&
        Math.abs(q.achieved - p.achieved) <= near,
    );
    const host = out[first];
    if (!host) return;
    host.label = `${host.label}, ${p.label}`;
    p.label = '';
  });
  return out;
}
