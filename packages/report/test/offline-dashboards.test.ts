import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { CATALOGUE } from '@mlperf/core/promql';
import { DEFAULT_DASHBOARDS, renderRunDashboards, renderTestReport } from '@mlperf/report';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRun } from '@mlperf/testkit/runs';

const base = mkdtempSync(join(tmpdir(), 'mlperf-offline-dash-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Width, height and the share of dark pixels (text, lines) of an 8-bit RGB(A) PNG, filters undone. */
function pngFacts(png: Buffer): { width: number; height: number; dark: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const bpp = png[25] === 6 ? 4 : 3;
  expect(png[24]).toBe(8);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += len + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  let prev = Buffer.alloc(stride);
  let dark = 0;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? (line[i - bpp] as number) : 0;
      const b = prev[i] as number;
      const c = i >= bpp ? (prev[i - bpp] as number) : 0;
      const p = a + b - c;
      const pred =
        filter === 1
          ? a
          : filter === 2
            ? b
            : filter === 3
              ? (a + b) >> 1
              : filter === 4
                ? Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
                  ? a
                  : Math.abs(p - b) <= Math.abs(p - c)
                    ? b
                    : c
                : 0;
      line[i] = ((line[i] as number) + pred) & 0xff;
    }
    for (let x = 0; x < stride; x += bpp)
      if ((line[x] as number) < 128 && (line[x + 1] as number) < 128) dark++;
    prev = line;
  }
  return { width, height, dark: dark / (width * height) };
}

describe('dashboards/ drawn offline, without Grafana or a browser', () => {
  it('writes each standard dashboard as importable Grafana JSON at the run time range and as a PNG of its panels', async () => {
    const dir = makeRun(base, { testId: 'target-1000tps', seconds: 90, tps: 200, errorEvery: 50 });
    const cpu = CATALOGUE.find((q) => q.name === 'cpu_usage_ratio');
    const start = Math.floor(Date.UTC(2026, 10, 27, 8, 0, 0) / 1000);
    writeFileSync(
      join(dir, 'metrics', 'cpu_usage_ratio.json'),
      JSON.stringify({
        schemaVersion: 1,
        name: 'cpu_usage_ratio',
        query: cpu?.promql,
        unit: 'ratio',
        start,
        end: start + 90,
        step: 1,
        source: 'prometheus',
        resultType: 'matrix',
        result: [
          {
            metric: { pod: 'central-ledger-0' },
            values: Array.from({ length: 90 }, (_, i) => [start + i, String(0.3 + i / 900)]),
          },
        ],
      }),
    );
    const out = await renderRunDashboards(dir);
    expect(out.map((d) => d.uid)).toEqual(DEFAULT_DASHBOARDS.map((d) => d.uid));

    const json = JSON.parse(readFileSync(join(dir, 'dashboards', 'mlperf-infrastructure.json'), 'utf8'));
    expect(json.time).toEqual({ from: '2026-11-27T08:00:00.000Z', to: '2026-11-27T08:01:30.000Z' });
    expect(json.__inputs[0]).toMatchObject({
      name: 'DS_PROMETHEUS',
      type: 'datasource',
      pluginId: 'prometheus',
    });
    expect(json.templating.list[0].current.value).toBe('$' + '{DS_PROMETHEUS}');
    expect(json.panels.length).toBe(DEFAULT_DASHBOARDS[2]?.panels.length);

    const infra = out.find((d) => d.uid === 'mlperf-infrastructure');
    expect(infra?.panels.find((p) => p.title === 'CPU usage vs limit')).toEqual({
      title: 'CPU usage vs limit',
      source: 'metrics',
      note: 'metrics/cpu_usage_ratio.json',
    });
    expect(infra?.panels.find((p) => p.title === 'Node CPU')?.note).toMatch(/no node_exporter was scraped/);
    const overview = out.find((d) => d.uid === 'mlperf-performance-overview');
    // no engine export in metrics/: the per-second records answer
    expect(overview?.panels.find((p) => p.title === 'TPS per corridor')?.source).toBe('timeseries');
    expect(overview?.panels.find((p) => p.title === 'Engine errors per second by type')?.source).toBe(
      'timeseries',
    );
    const index = JSON.parse(readFileSync(join(dir, 'dashboards', 'offline.json'), 'utf8'));
    expect(index.dashboards).toHaveLength(4);

    for (const d of out) {
      const facts = pngFacts(readFileSync(d.png));
      expect(facts.width).toBe(1200);
      expect(facts.height).toBeGreaterThan(1000);
      expect(facts.dark, d.uid).toBeGreaterThan(0.005);
    }

    // the test report shows them, with links to the PNG and the Grafana JSON
    const report = readFileSync(renderTestReport(dir).path, 'utf8');
    expect(report).toContain('href="dashboards/mlperf-service-health.json"');
    expect(report).toContain('href="dashboards/mlperf-service-health.png"');
  }, 120_000);

  it('draws text with the font it ships (no system font needed)', async () => {
    const dir = makeRun(base, { testId: 'baseline-100tps', seconds: 10, tps: 10 });
    const [d] = await renderRunDashboards(dir, {
      specs: [{ uid: 'only-text', title: 'Only text', description: '', panels: [] }],
    });
    // a dashboard without panels is its header: lines of dark text on a light background
    const facts = pngFacts(readFileSync(d?.png ?? ''));
    expect(facts.height).toBeLessThan(150);
    expect(facts.dark).toBeGreaterThan(0.01);
  }, 60_000);
});
