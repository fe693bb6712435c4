import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateQuery } from '@mlperf/core/promql';
import { captureDashboards, DEFAULT_DASHBOARDS, exportDashboards, standardDashboards } from '@mlperf/report';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRun } from '@mlperf/testkit/runs';
import { buildDashboard } from '../src/grafana/dashboards.js';
import { captureWindows } from '../src/grafana/capture.js';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'mlperf-dash-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('Grafana dashboards', () => {
  it('builds the four standard dashboards as provisionable JSON', () => {
    const out = exportDashboards(join(base, 'export'));
    expect(out.files.map((f) => f.slice(out.dir.length + 1))).toEqual([
      'mlperf-performance-overview.json',
      'mlperf-service-health.json',
      'mlperf-infrastructure.json',
      'mlperf-load-generator.json',
    ]);
    const d = JSON.parse(readFileSync(out.files[0] as string, 'utf8'));
    expect(d).toMatchObject({
      uid: 'mlperf-performance-overview',
      schemaVersion: 39,
      templating: { list: [{ type: 'datasource' }] },
    });
    expect(d.panels[0]).toMatchObject({
      type: 'timeseries',
      title: 'Engine TPS',
      fieldConfig: { defaults: { unit: 'reqps' } },
      targets: [{ refId: 'A', expr: 'sum(rate(mlperf_transfers_total{outcome="success"}[1m]))' }],
    });
    expect(DEFAULT_DASHBOARDS.map((s) => s.panels.length)).toEqual([12, 11, 11, 11]);
    const ids = new Set<number>();
    for (const p of d.panels) ids.add(p.id);
    expect(ids.size).toBe(d.panels.length);
    expect(readFileSync(out.provisioning, 'utf8')).toContain(`path: "${out.dir}"`);
    for (const spec of DEFAULT_DASHBOARDS) {
      for (const p of spec.panels)
        expect(
          validateQuery(p.promql).filter((x) => x.severity === 'error'),
          p.promql,
        ).toEqual([]);
    }
    const errors = DEFAULT_DASHBOARDS[0]?.panels.find((p) => p.title.includes('by type'));
    expect(errors?.legend).toBe('{{error_type}}');
  });

  it('follows a deployment’s metric prefix', () => {
    const [overview] = standardDashboards({ prefix: 'ml_', enginePrefix: 'perf_' });
    expect(overview?.panels.find((p) => p.title === 'Hub TPS')?.promql).toContain('ml_transfer_fulfil_count');
    expect(overview?.panels[0]?.promql).toContain('perf_transfers_total');
  });

  it('accepts any { title, promql, unit } list', () => {
    const d = buildDashboard({
      uid: 'x',
      title: 'X',
      description: '',
      panels: [{ title: 'p', promql: 'up', unit: 'ratio' }],
    });
    expect(d.panels).toEqual([
      expect.objectContaining({
        fieldConfig: expect.objectContaining({ defaults: expect.objectContaining({ unit: 'percentunit' }) }),
      }),
    ]);
  });
});

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

function listen(server: Server): Promise<string> {
  return new Promise((res) =>
    server.listen(0, '127.0.0.1', () => res(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

describe('dashboards capture against a local page standing in for Grafana (fake Grafana)', () => {
  const seen: Seen[] = [];
  const thirdParty: Seen[] = [];
  let grafana: Server;
  let other: Server;
  let grafanaUrl: string;
  let otherUrl: string;
  const KEY = 'glsa_testkey_DO_NOT_LEAK_0123456789';

  beforeAll(async () => {
    other = createServer((req, res) => {
      thirdParty.push({ path: req.url ?? '', headers: req.headers });
      res
        .writeHead(200, { 'content-type': 'image/svg+xml' })
        .end('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    });
    otherUrl = await listen(other);
    grafana = createServer((req, res) => {
      seen.push({ path: req.url ?? '', headers: req.headers });
      if (req.headers.authorization !== `Bearer ${KEY}`) return void res.writeHead(401).end('unauthorized');
      const u = new URL(req.url ?? '/', 'http://x');
      const m = /^\/d\/([^/]+)\//.exec(u.pathname);
      if (!m) return void res.writeHead(404).end();
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<!doctype html><html><body style="background:#111;color:#eee;font:20px sans-serif"><h1>Fake Grafana: ${m[1]}</h1>` +
            `<p>from=${u.searchParams.get('from')} to=${u.searchParams.get('to')}</p><img src="${otherUrl}/logo.svg"></body></html>`,
        );
    });
    grafanaUrl = await listen(grafana);
  });
  afterAll(async () => {
    await new Promise((r) => grafana.close(r));
    await new Promise((r) => other.close(r));
  });

  it('screenshots every dashboard at start, peak and end with the test time range; the key reaches only Grafana', async () => {
    const dir = makeRun(base, { testId: 'capture', seconds: 600, tps: 100 });
    const dashboards = DEFAULT_DASHBOARDS.slice(0, 2);
    const caps = await captureDashboards({
      grafanaUrl,
      runDir: dir,
      apiKey: KEY,
      width: 800,
      height: 500,
      dashboards,
    });
    expect(caps).toHaveLength(6);
    const w = captureWindows(dir);
    expect(w.start.from).toBe(Date.UTC(2026, 10, 27, 8, 0, 0));
    expect(w.end.to).toBe(Date.UTC(2026, 10, 27, 8, 10, 0));
    const pages = seen.filter((s) => s.path.startsWith('/d/'));
    expect(pages).toHaveLength(6);
    expect(pages[0]?.path).toBe(
      `/d/mlperf-performance-overview/mlperf-performance-overview?orgId=1&from=${w.start.from}&to=${w.start.to}&kiosk=`,
    );
    expect(pages.every((p) => p.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(thirdParty.length).toBeGreaterThan(0);
    expect(thirdParty.every((p) => p.headers.authorization === undefined)).toBe(true);
    const files = readdirSync(join(dir, 'dashboards')).sort();
    expect(files).toContain('mlperf-performance-overview-peak.png');
    expect(files.filter((f) => f.endsWith('.png'))).toEqual([
      'mlperf-performance-overview-end.png',
      'mlperf-performance-overview-peak.png',
      'mlperf-performance-overview-start.png',
      'mlperf-service-health-end.png',
      'mlperf-service-health-peak.png',
      'mlperf-service-health-start.png',
    ]);
    for (const c of caps) expect(statSync(c.file).size).toBeGreaterThan(2000);
    for (const f of readdirSync(dir, { recursive: true }) as string[]) {
      const p = join(dir, f);
      if (statSync(p).isFile()) expect(readFileSync(p, 'latin1')).not.toContain(KEY);
    }
  });

  it('with errors above 0.5% it also captures the error moment; the key comes from the environment', async () => {
    const dir = makeRun(base, { testId: 'capture-errors', seconds: 300, tps: 100, errorEvery: 100 });
    const w = captureWindows(dir);
    expect(w.errors?.at).toBe(Date.UTC(2026, 10, 27, 8, 0, 0));
    const before = seen.length;
    process.env.MLPERF_GRAFANA_API_KEY = KEY;
    try {
      const caps = await captureDashboards({
        grafanaUrl,
        runDir: dir,
        dashboards: DEFAULT_DASHBOARDS.slice(0, 1),
      });
      expect(caps.map((c) => c.moment)).toEqual(['start', 'peak', 'end', 'errors']);
    } finally {
      delete process.env.MLPERF_GRAFANA_API_KEY;
    }
    const pages = seen.slice(before).filter((p) => p.path.startsWith('/d/'));
    expect(pages.every((p) => p.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(
      makeRun(base, { testId: 'capture-clean', seconds: 60, tps: 10 }) &&
        captureWindows(join(base, 'capture-clean')).errors,
    ).toBeUndefined();
  });

  it('without the key Grafana answers 401: a clear error, exit code 3', async () => {
    const dir = makeRun(base, { testId: 'capture-401', seconds: 60, tps: 10 });
    const err = await captureDashboards({ grafanaUrl, runDir: dir, apiKey: '' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GRAFANA_UNAUTHORIZED', exitCode: 3 });
  });

  it('refuses credentials in the URL', async () => {
    const dir = makeRun(base, { testId: 'capture-creds', seconds: 60, tps: 10 });
    const err = await captureDashboards({
      grafanaUrl: grafanaUrl.replace('http://', 'http://admin:secret@'),
      runDir: dir,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GRAFANA_URL_CREDENTIALS', exitCode: 2 });
  });
});
