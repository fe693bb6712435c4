import * as echarts from 'echarts';

/** echarts option object; kept loose because each chart type has its own shape. */
export type ChartOption = Record<string, unknown>;

/** A chart of a report: rendered SVG, or why it could not be drawn. */
export interface Chart {
  id: string;
  title: string;
  caption?: string;
  svg?: string;
  missing?: string;
}

export const PALETTE = [
  '#1f6feb',
  '#d1242f',
  '#1a7f37',
  '#9a6700',
  '#8250df',
  '#bf3989',
  '#0a7ea4',
  '#57606a',
];

export const CHART_WIDTH = 880;
export const CHART_HEIGHT = 320;

/** Renders an echarts option to an SVG string on the server: no DOM, no JavaScript in the page. */
export function renderSvg(option: ChartOption, size: { width?: number; height?: number } = {}): string {
  const chart = echarts.init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: size.width ?? CHART_WIDTH,
    height: size.height ?? CHART_HEIGHT,
  });
  try {
    chart.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif' },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Common pieces of a line chart over the minutes of a run. */
export function timeAxes(yName: string, extra: { yMax?: number; yMin?: number } = {}): ChartOption {
  return {
    grid: { left: 64, right: 24, top: 48, bottom: 48 },
    legend: { top: 8, itemGap: 28 },
    xAxis: {
      type: 'value',
      name: 'minutes since start',
      nameLocation: 'middle',
      nameGap: 28,
      min: 'dataMin',
      max: 'dataMax',
      axisLabel: { formatter: (v: number) => fmtAxis(v), showMaxLabel: false },
    },
    yAxis: {
      type: 'value',
      name: yName,
      min: extra.yMin,
      max: extra.yMax,
      scale: extra.yMin === undefined,
      axisLabel: { formatter: (v: number) => fmtAxis(v) },
    },
  };
}

export function lineSeries(
  name: string,
  data: [number, number | null][],
  extra: ChartOption = {},
): ChartOption {
  const color = (extra.lineStyle as { color?: string } | undefined)?.color;
  return {
    type: 'line',
    name,
    data,
    showSymbol: false,
    connectNulls: false,
    lineStyle: { width: 1.5 },
    // The legend takes its colour from itemStyle: keep it the line's.
    ...(color ? { itemStyle: { color } } : {}),
    ...extra,
  };
}

function fmtAxis(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  // small values (cores, ratios) keep two significant digits instead of collapsing to 0.01
  if (a > 0 && a < 0.1) return `${+v.toPrecision(2)}`;
  return `${+v.toFixed(2)}`;
}
