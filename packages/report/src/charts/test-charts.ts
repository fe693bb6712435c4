import { fmtP, fmtValue } from '../view/format.js';
import type { AnalysisResult, CriterionResult, EnduranceAnalysis, StressAnalysis } from '@mlperf/core';
import type { ResourceLines, RunSeries } from '../series.js';
import { type Chart, type ChartOption, lineSeries, PALETTE, renderSvg, timeAxes } from './render.js';

function chart(id: string, title: string, build: () => ChartOption | string, caption?: string): Chart {
  const built = build();
  if (typeof built === 'string') return { id, title, missing: built };
  const c: Chart = { id, title, svg: renderSvg(built) };
  if (caption) c.caption = caption;
  return c;
}

function thresholdLines(criteria: CriterionResult[]): ChartOption | undefined {
  const lines = criteria
    .filter((c) => c.id.startsWith('latency') && c.threshold !== undefined)
    .map((c) => ({
      yAxis: c.threshold,
      name: c.label,
      label: { formatter: `${c.label}`, position: 'insideEndTop' },
    }));
  if (lines.length === 0) return undefined;
  return { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#d1242f' }, data: lines };
}

export function tpsChart(s: RunSeries, plannedTps?: number): Chart {
  return chart(
    'tps',
    'Offered vs achieved TPS',
    () =>
      s.offered.length === 0
        ? 'no timeseries.ndjson seconds to draw'
        : {
            ...timeAxes('transfers / s', { yMin: 0 }),
            series: [
              lineSeries('offered (planned rate)', s.offered, { lineStyle: { width: 1.5, type: 'dashed' } }),
              lineSeries('started', s.started),
              lineSeries('achieved (succeeded)', s.achieved),
              lineSeries('failed', s.failed),
            ],
          },
    plannedTps
      ? `Planned ${plannedTps} TPS. Achieved = transfers that completed successfully in each second.`
      : undefined,
  );
}

/** `measuredHow`: what the latency is (k6 runs measure it differently from the engine). */
export function latencyChart(
  s: RunSeries,
  criteria: CriterionResult[],
  measuredHow = 'Measured from each transfer’s intended start (coordinated-omission corrected)',
): Chart {
  return chart(
    'latency',
    'End-to-end latency p50 / p95 / p99',
    () => {
      if (!s.hasLatency) return 'no latency snapshots in timeseries.ndjson';
      const marks = thresholdLines(criteria);
      const limits = criteria
        .filter((c) => c.id.startsWith('latency') && c.threshold !== undefined)
        .map((c) => c.threshold as number);
      const dataMax = Math.max(0, ...s.p99.map((p) => p[1] ?? 0));
      const top = Math.max(dataMax, ...limits);
      return {
        ...timeAxes('ms', { yMin: 0, ...(top > dataMax ? { yMax: Math.ceil((top * 1.1) / 10) * 10 } : {}) }),
        series: [
          lineSeries('p50', s.p50),
          lineSeries('p95', s.p95, marks ? { markLine: marks } : {}),
          lineSeries('p99', s.p99),
        ],
      };
    },
    `${measuredHow}; dashed lines are the criteria.`,
  );
}

export function ratesChart(s: RunSeries): Chart {
  return chart(
    'rates',
    'Success and error rate',
    () => {
      if (s.successRate.every((p) => p[1] === null)) return 'no finished transfers to compute a rate from';
      const axes = timeAxes('success %', { yMax: 100 });
      return {
        ...axes,
        grid: { left: 64, right: 64, top: 48, bottom: 48 },
        yAxis: [
          axes.yAxis,
          { type: 'value', name: 'error %', min: 0, position: 'right', splitLine: { show: false } },
        ],
        series: [
          lineSeries('success rate % (left)', s.successRate),
          lineSeries('error rate % (right)', s.errorRate, { yAxisIndex: 1 }),
        ],
      };
    },
    'Of the transfers that finished in each second.',
  );
}

export function errorsChart(errorsByType: Record<string, number>): Chart {
  const entries = Object.entries(errorsByType)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  return chart('errors', 'Errors by type', () =>
    entries.length === 0
      ? 'no failed transfers'
      : {
          grid: { left: 180, right: 48, top: 24, bottom: 32 },
          xAxis: { type: 'value', name: 'transfers' },
          yAxis: {
            type: 'category',
            data: entries.map(([k]) => k).reverse(),
            axisLabel: { width: 160, overflow: 'truncate' },
          },
          series: [
            {
              type: 'bar',
              data: entries.map(([, n]) => n).reverse(),
              itemStyle: { color: PALETTE[1] },
              label: { show: true, position: 'right' },
            },
          ],
        },
  );
}

export function corridorChart(corridors: AnalysisResult['corridors']): Chart {
  return chart('corridors', 'Per-corridor breakdown', () => {
    if (corridors.length === 0) return 'no per-corridor data';
    const names = corridors.map((c) => c.corridor);
    const hasPlanned = corridors.some((c) => c.plannedShare !== undefined);
    return {
      grid: { left: 64, right: 24, top: 48, bottom: 64 },
      legend: { top: 8, itemGap: 28 },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 4 ? 20 : 0 } },
      yAxis: { type: 'value', name: 'share %', min: 0 },
      series: [
        {
          type: 'bar',
          name: 'achieved share %',
          data: corridors.map((c) => +(c.share * 100).toFixed(2)),
          label: { show: true, position: 'top' },
        },
        ...(hasPlanned
          ? [
              {
                type: 'bar',
                name: 'planned share %',
                data: corridors.map((c) => +((c.plannedShare ?? 0) * 100).toFixed(2)),
              },
            ]
          : []),
        {
          type: 'bar',
          name: 'success %',
          data: corridors.map((c) => (c.transfers > 0 ? +((100 * c.succeeded) / c.transfers).toFixed(2) : 0)),
        },
      ],
    };
  });
}

export function resourceCharts(resources: ResourceLines[]): Chart[] {
  if (resources.length === 0) {
    return [
      {
        id: 'resources',
        title: 'Per-service resource use',
        missing: 'no Prometheus CPU / memory exports in metrics/',
      },
    ];
  }
  return resources.slice(0, 8).map((r, i) =>
    chart(`resources-${i + 1}`, `Resource use: ${r.title}`, () => ({
      ...timeAxes(r.unit || r.name, { yMin: 0 }),
      series: r.lines.map((l) => lineSeries(l.label, l.points)),
    })),
  );
}

export function engineChart(s: RunSeries): Chart {
  return chart(
    'engine',
    'Load generator health',
    () =>
      !s.hasEngine
        ? 'the load generator recorded no health data (k6 import or older engine)'
        : {
            ...timeAxes('% / ms', { yMin: 0 }),
            series: [
              lineSeries('engine CPU %', s.engineCpu),
              lineSeries('event-loop lag p99 ms', s.engineLag),
              lineSeries('scheduling lag p99 ms', s.schedulingLag),
            ],
          },
    'If these climb, the generator, not the hub, limits the load.',
  );
}

export function enduranceCharts(e: EnduranceAnalysis): Chart[] {
  const trends = [...e.memory, ...(e.errorRateTrend ? [e.errorRateTrend] : [])].filter(
    (t) => t.points && t.points.length > 1,
  );
  if (trends.length === 0)
    return [{ id: 'endurance', title: 'Endurance trends', missing: 'no trend points in analysis.json' }];
  return trends.slice(0, 6).map((t, i) =>
    chart(
      `endurance-${i + 1}`,
      `Trend: ${t.subject} ${t.metric}`,
      () => {
        const pts = t.points ?? [];
        const t0 = (pts[0] as [number, number])[0];
        const data: [number, number][] = pts.map(([x, y]) => [(x - t0) / 60_000, y]);
        const series: ChartOption[] = [lineSeries(`${t.metric}`, data)];
        if (t.intercept !== undefined) {
          const fit = data.map(
            ([x]) => [x, (t.intercept as number) + (t.slopePerHour * x) / 60] as [number, number],
          );
          series.push(
            lineSeries('Theil-Sen fit', fit, { lineStyle: { width: 2, type: 'dashed', color: PALETTE[1] } }),
          );
        }
        return { ...timeAxes(t.unit), series };
      },
      `Theil-Sen slope ${fmtValue(t.slopePerHour, `${t.unit}/h`)}, Mann-Kendall ${fmtP(t.pValue)}: ${t.significant ? 'significant' : 'not significant'}.`,
    ),
  );
}

export function stressChart(st: StressAnalysis): Chart {
  return chart(
    'stress',
    'Stress curve: achieved vs offered TPS',
    () => {
      if (st.curve.length === 0) return 'no stress curve points in analysis.json';
      const maxOffered = Math.max(...st.curve.map((p) => p.offered));
      const series: ChartOption[] = [
        {
          type: 'scatter',
          name: 'achieved',
          symbolSize: 4,
          data: st.curve.map((p) => [p.offered, p.achieved]),
        },
        lineSeries(
          'ideal (achieved = offered)',
          [
            [0, 0],
            [maxOffered, maxOffered],
          ],
          { lineStyle: { width: 1, type: 'dotted', color: '#57606a' } },
        ),
      ];
      if (st.usl) {
        const { lambda, sigma, kappa } = st.usl;
        const fit: [number, number][] = [];
        for (let i = 0; i <= 60; i++) {
          const n = Math.max(1, (maxOffered * i) / 60);
          fit.push([n, (lambda * n) / (1 + sigma * (n - 1) + kappa * n * (n - 1))]);
        }
        series.push(lineSeries('USL fit', fit, { lineStyle: { width: 2, color: PALETTE[4] } }));
      }
      if (st.breakingPointTps !== undefined) {
        (series[0] as ChartOption).markLine = {
          symbol: 'none',
          silent: true,
          lineStyle: { type: 'dashed', color: PALETTE[1] },
          data: [
            {
              xAxis: st.breakingPointTps,
              label: { formatter: `knee ${Math.round(st.breakingPointTps)} TPS` },
            },
          ],
        };
      }
      return {
        grid: { left: 64, right: 24, top: 48, bottom: 48 },
        legend: { top: 8, itemGap: 28 },
        xAxis: { type: 'value', name: 'offered TPS', nameLocation: 'middle', nameGap: 28, min: 0 },
        yAxis: { type: 'value', name: 'achieved TPS', min: 0 },
        series,
      };
    },
    st.usl
      ? `USL: λ=${fmt(st.usl.lambda)}, σ=${st.usl.sigma.toPrecision(3)}, κ=${st.usl.kappa.toPrecision(3)}, R²=${st.usl.rSquared.toFixed(3)}; predicted peak ${Math.round(st.usl.predictedPeak.throughput)} TPS at ${Math.round(st.usl.predictedPeak.load)} offered.`
      : undefined,
  );
}

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3);
}
