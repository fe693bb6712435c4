import * as echarts from 'echarts';
const pts = (n: number) =>
  Array.from({ length: n }, (_, i) => [i / 60, 1000 + Math.sin(i / 10) * 50] as [number, number]);
const opt = () => ({
  animation: false,
  xAxis: { type: 'value' },
  yAxis: { type: 'value' },
  legend: {},
  series: [1, 2, 3, 4].map((k) => ({ type: 'line', name: 's' + k, showSymbol: false, data: pts(600) })),
});
const c = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 880, height: 320 });
for (let k = 0; k < 4; k++) {
  const t = performance.now();
  c.setOption(opt(), { notMerge: true });
  const s = c.renderToSVGString();
  console.log('reuse', (performance.now() - t).toFixed(0), s.length);
}
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  const d = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 880, height: 320 });
  d.setOption(opt());
  d.renderToSVGString();
  d.dispose();
  console.log('fresh', (performance.now() - t).toFixed(0));
}
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  const d = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 880, height: 320 });
  const o = opt();
  o.series.forEach((s) => (s.data = pts(50)));
  d.setOption(o);
  d.renderToSVGString();
  d.dispose();
  console.log('fresh50', (performance.now() - t).toFixed(0));
}
