import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { exportQueries, freePort, PrometheusClient, watchQueries } from '@mlperf/core/promql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const TOKEN = 'tok-SECRET-7f3a9c';
const PASSWORD = 'pw-SECRET-91be';

interface Seen {
  path: string;
  authorization?: string;
  body: string;
}

/** A fake Prometheus API (a real HTTP server on 127.0.0.1) answering canned responses per query. */
async function fakePrometheus(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const flaky = { count: 0 };
  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let b = '';
      req.on('data', (c) => {
        b += c;
      });
      req.on('end', () => resolve(b));
    });
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ path: url.pathname, authorization: req.headers.authorization, body });
    const params = new URLSearchParams(body || url.search);
    const query = params.get('query') ?? '';
    const json = (status: number, value: unknown) =>
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
    if (url.pathname === '/api/v2/alerts')
      return json(200, [{ labels: { alertname: 'HighLag' }, status: { state: 'active' } }]);
    if (url.pathname === '/-/ready') return res.writeHead(200).end('ready');
    if (query.startsWith('error:')) {
      const errorType = query.slice(6);
      return json(errorType === 'bad_data' ? 400 : errorType === 'timeout' ? 503 : 422, {
        status: 'error',
        errorType,
        error: `it went ${errorType}`,
      });
    }
    if (query === 'flaky' && flaky.count++ === 0) {
      return json(503, { status: 'error', errorType: 'unavailable', error: 'busy' });
    }
    if (query === 'html')
      return res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html>bad gateway</html>');
    if (query === 'slow')
      return setTimeout(
        () => json(200, { status: 'success', data: { resultType: 'vector', result: [] } }),
        1500,
      );
    if (req.headers.authorization === undefined && query === 'needs-auth')
      return res.writeHead(401).end('unauthorized');
    if (url.pathname === '/api/v1/query_range') {
      return json(200, {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [{ metric: { job: 'x' }, values: [[Number(params.get('start')), '1']] }],
        },
        warnings: ['results truncated'],
        infos: ['PromQL info: metric might not be a counter'],
      });
    }
    return json(200, {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [1, '42'] }] },
      warnings: ['partial response'],
      infos: ['an info'],
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('PrometheusClient against a fake Prometheus API', () => {
  let fake: Awaited<ReturnType<typeof fakePrometheus>>;
  beforeAll(async () => {
    fake = await fakePrometheus();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('maps each Prometheus errorType to a clear error', async () => {
    const client = new PrometheusClient({ url: fake.url });
    const cases: [string, string, number][] = [
      ['bad_data', 'PROMQL_BAD_DATA', 2],
      ['timeout', 'PROMETHEUS_TIMEOUT', 3],
      ['canceled', 'PROMETHEUS_CANCELED', 3],
      ['execution', 'PROMETHEUS_EXECUTION', 3],
      ['unavailable', 'PROMETHEUS_UNAVAILABLE', 3],
      ['internal', 'PROMETHEUS_INTERNAL', 3],
      ['brand_new', 'PROMETHEUS_ERROR', 3],
    ];
    for (const [errorType, code, exitCode] of cases) {
      const err = await client.query(`error:${errorType}`).catch((e: unknown) => e);
      expect(err, errorType).toMatchObject({
        code,
        exitCode,
        message: `Prometheus /api/v1/query: ${errorType}: it went ${errorType}`,
      });
    }
    await expect(client.query('html')).rejects.toMatchObject({
      code: 'PROMETHEUS_BAD_RESPONSE',
      message: `Prometheus at ${fake.url} answered /api/v1/query with HTTP 502: <html>bad gateway</html>`,
    });
    await expect(client.query('needs-auth')).rejects.toMatchObject({ code: 'PROMETHEUS_AUTH', exitCode: 3 });
    await expect(new PrometheusClient({ url: fake.url, timeoutMs: 300 }).query('slow')).rejects.toMatchObject(
      { code: 'PROMETHEUS_TIMEOUT' },
    );
    const port = await freePort();
    await expect(new PrometheusClient({ url: `http://127.0.0.1:${port}` }).query('up')).rejects.toMatchObject(
      {
        code: 'PROMETHEUS_UNREACHABLE',
        message: `cannot reach http://127.0.0.1:${port} (ECONNREFUSED)`,
        exitCode: 3,
      },
    );
    expect(() => new PrometheusClient({ url: 'not a url' })).toThrow(
      expect.objectContaining({ code: 'PROMETHEUS_BAD_URL' }),
    );
    expect(() => PrometheusClient.fromEnv({}, {})).toThrow(
      expect.objectContaining({
        code: 'PROMETHEUS_NO_URL',
        hint: 'pass --prometheus-url or set MLPERF_PROMETHEUS_URL',
      }),
    );
  });

  it('surfaces warnings and infos instead of dropping them', async () => {
    const heard: string[] = [];
    const client = new PrometheusClient({
      url: fake.url,
      onWarning: (m, c) => heard.push(`${c.kind}: ${m}`),
    });
    const res = await client.query('up');
    expect(res.warnings).toEqual(['partial response']);
    expect(res.infos).toEqual(['an info']);
    expect(heard).toEqual(['warning: partial response', 'info: an info']);
    const dir = await mkdtemp(join(tmpdir(), 'mlperf-promql-warn-'));
    try {
      const report = await exportQueries({
        client,
        queries: [{ name: 'q', promql: 'up' }],
        start: 100,
        end: 160,
        dir,
      });
      const file = JSON.parse(await readFile(join(dir, 'metrics', 'q.json'), 'utf8'));
      expect(file.warnings).toEqual([
        'results truncated',
        'info: PromQL info: metric might not be a counter',
      ]);
      expect(report.exported).toEqual(['q']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('retries a query once when Prometheus is briefly unavailable during the export', async () => {
    const client = new PrometheusClient({ url: fake.url });
    const dir = await mkdtemp(join(tmpdir(), 'mlperf-promql-retry-'));
    try {
      const report = await exportQueries({
        client,
        queries: [{ name: 'flaky', promql: 'flaky' }],
        start: 0,
        end: 60,
        dir,
      });
      expect(report.exported).toEqual(['flaky']);
      expect(fake.seen.filter((s) => s.body.includes('query=flaky')).length).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads Alertmanager alerts from /api/v2/alerts', async () => {
    const client = new PrometheusClient({ url: fake.url, alertmanagerUrl: fake.url });
    expect(await client.alertmanagerAlerts({ active: true })).toEqual([
      { labels: { alertname: 'HighLag' }, status: { state: 'active' } },
    ]);
    expect(fake.seen.at(-1)?.path).toBe('/api/v2/alerts');
    await expect(new PrometheusClient({ url: fake.url }).alertmanagerAlerts()).rejects.toMatchObject({
      code: 'ALERTMANAGER_NO_URL',
    });
  });

  it('sends bearer and basic auth from env, URL or config', async () => {
    const bearer = PrometheusClient.fromEnv(
      {},
      { MLPERF_PROMETHEUS_URL: fake.url, MLPERF_PROMETHEUS_TOKEN: TOKEN },
    );
    await bearer.query('up');
    expect(fake.seen.at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
    const basic = PrometheusClient.fromEnv(
      {},
      {
        MLPERF_PROMETHEUS_URL: fake.url,
        MLPERF_PROMETHEUS_USERNAME: 'ops',
        MLPERF_PROMETHEUS_PASSWORD: PASSWORD,
      },
    );
    await basic.query('up');
    expect(fake.seen.at(-1)?.authorization).toBe(
      `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`,
    );
    const inUrl = new PrometheusClient({ url: fake.url.replace('http://', `http://ops:${PASSWORD}@`) });
    expect(inUrl.url).toBe(fake.url);
    await inUrl.query('up');
    expect(fake.seen.at(-1)?.authorization).toBe(
      `Basic ${Buffer.from(`ops:${PASSWORD}`).toString('base64')}`,
    );
    const dir = await mkdtemp(join(tmpdir(), 'mlperf-promql-token-'));
    try {
      await writeFile(join(dir, 'token'), `${TOKEN}\n`);
      const fromFile = PrometheusClient.fromEnv(
        {},
        { MLPERF_PROMETHEUS_URL: fake.url, MLPERF_PROMETHEUS_TOKEN_FILE: join(dir, 'token') },
      );
      await fromFile.query('up');
      expect(fake.seen.at(-1)?.authorization).toBe(`Bearer ${TOKEN}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never writes the token or password anywhere', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlperf-promql-secret-'));
    const printed: string[] = [];
    const original = { log: console.log, error: console.error, warn: console.warn };
    for (const k of ['log', 'error', 'warn'] as const)
      console[k] = (...args: unknown[]) => printed.push(args.map(String).join(' '));
    try {
      const clients = [
        PrometheusClient.fromEnv({}, { MLPERF_PROMETHEUS_URL: fake.url, MLPERF_PROMETHEUS_TOKEN: TOKEN }),
        new PrometheusClient({
          url: fake.url.replace('http://', `http://ops:${PASSWORD}@`),
          alertmanagerUrl: `http://am:${PASSWORD}@127.0.0.1:9`,
        }),
        new PrometheusClient({ url: 'http://127.0.0.1:9', auth: { bearerToken: TOKEN } }),
      ];
      const outputs: string[] = [];
      for (const client of clients) {
        outputs.push(
          JSON.stringify(client),
          inspect(client, { depth: 5, showHidden: true }),
          String(client),
          JSON.stringify({ ...client }),
        );
        for (const q of ['error:bad_data', 'error:timeout', 'html', 'up']) {
          const err = await client.query(q).catch((e: unknown) => e);
          if (err instanceof Error)
            outputs.push(
              err.message,
              String((err as { hint?: string }).hint),
              inspect(err, { depth: 5 }),
              JSON.stringify(err),
            );
        }
        const am = await client.alertmanagerAlerts().catch((e: unknown) => e);
        if (am instanceof Error) outputs.push(am.message, inspect(am, { depth: 5 }));
        await exportQueries({
          client,
          queries: [{ name: 'engine_tps', promql: 'up' }],
          start: 0,
          end: 60,
          dir,
        });
        const watch = watchQueries({ client, queries: [{ name: 'up', promql: 'up' }], intervalMs: 50 });
        await vi.waitFor(() => expect(watch.latest()).toHaveLength(1));
        await watch.stop();
        outputs.push(JSON.stringify(watch.latest()));
      }
      for (const f of await readdir(join(dir, 'metrics')))
        outputs.push(await readFile(join(dir, 'metrics', f), 'utf8'));
      outputs.push(...printed);
      const all = outputs.join('\n');
      expect(all).toContain('127.0.0.1');
      expect(all).not.toContain(TOKEN);
      expect(all).not.toContain(PASSWORD);
      expect(all).not.toContain(Buffer.from(`ops:${PASSWORD}`).toString('base64'));
    } finally {
      Object.assign(console, original);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
