import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type ExchangeHandler, Http1Pool } from '../src/engine/http1-client.js';

const here = dirname(fileURLToPath(import.meta.url));
const tlsDir = join(here, 'fixtures/tls');

interface Answer {
  status: number;
  body: string;
  error?: string;
  code?: string;
}

/** One exchange as a promise: the status and body, or the error. */
function exchange(
  pool: Http1Pool,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
  onConnect?: (abort: (err?: Error) => void) => void,
): Promise<Answer> {
  return new Promise((resolve) => {
    let status = 0;
    const parts: Buffer[] = [];
    const h: ExchangeHandler = {
      onConnect: (abort) => onConnect?.(abort),
      onHeaders: (s) => {
        status = s;
      },
      onData: (c) => parts.push(Buffer.from(c)),
      onComplete: () => resolve({ status, body: Buffer.concat(parts).toString('utf8') }),
      onError: (err) =>
        resolve({ status, body: '', error: err.message, code: (err as Error & { code?: string }).code }),
    };
    pool.dispatch(method, path, headers, body, h);
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function listen(server: net.Server): Promise<URL> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        (server as http.Server).closeAllConnections?.();
        server.close(() => r());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return new URL(`${server instanceof https.Server ? 'https' : 'http'}://127.0.0.1:${port}`);
}

function pool(url: URL, max = 4): Http1Pool {
  const p = new Http1Pool(url, max);
  cleanups.push(() => p.close());
  return p;
}

/** A node:http server that echoes what it got and counts the connections it saw. */
async function echoServer(keepAliveTimeoutMs = 5000) {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    sockets.add(req.socket);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      const status = Number(req.headers['x-status'] ?? 200);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
    });
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  return { url: await listen(server), sockets };
}

/**
 * A raw TCP server answering each request with `answer` (bytes as given; `undefined` closes at
 * once); `end`: close the connection after the answer.
 */
async function rawServer(answer: (request: string) => string | undefined, end = false): Promise<URL> {
  const server = net.createServer((s) => {
    s.on('data', (b) => {
      const a = answer(b.toString('latin1'));
      if (a === undefined) s.destroy();
      else if (end) s.end(a);
      else s.write(a);
    });
    s.on('error', () => {});
  });
  return listen(server);
}

describe('the engine HTTP/1.1 client (real sockets)', () => {
  it('sends method, path, headers and a UTF-8 body, and reuses one keep-alive connection', async () => {
    const { url, sockets } = await echoServer();
    const p = pool(url);
    const body = JSON.stringify({ payer: 'dfsp-ü' });
    for (let i = 0; i < 5; i++) {
      const a = await exchange(p, 'POST', '/transfers', { 'fspiop-source': 'payerfsp', date: 'x' }, body);
      expect(a.status).toBe(200);
      const seen = JSON.parse(a.body) as {
        method: string;
        url: string;
        headers: Record<string, string>;
        body: string;
      };
      expect(seen).toMatchObject({ method: 'POST', url: '/transfers', body });
      expect(seen.headers).toMatchObject({
        'fspiop-source': 'payerfsp',
        host: url.host,
        'content-length': String(Buffer.byteLength(body)),
      });
    }
    expect(sockets.size).toBe(1);
  });

  it('opens at most `max` connections and answers queued requests in order', async () => {
    const { url, sockets } = await echoServer();
    const p = pool(url, 3);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => exchange(p, 'PUT', `/transfers/${i}`, {}, String(i))),
    );
    expect(answers.map((a) => (JSON.parse(a.body) as { body: string }).body)).toEqual(
      Array.from({ length: 30 }, (_, i) => String(i)),
    );
    expect(sockets.size).toBe(3);
  });

  it('gives the status and body of error answers, chunked or not', async () => {
    const { url } = await echoServer();
    const a = await exchange(pool(url), 'POST', '/transfers', { 'x-status': '400' }, '{}');
    expect(a.status).toBe(400);
    expect(JSON.parse(a.body)).toMatchObject({ body: '{}' });
    const chunked = await rawServer(
      () => 'HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nbusy!\r\n0\r\n\r\n',
    );
    expect(await exchange(pool(chunked), 'GET', '/x')).toEqual({ status: 503, body: 'busy!' });
  });

  it('does not reuse a connection past the keep-alive timeout the server announced', async () => {
    const { url, sockets } = await echoServer(1000); // Keep-Alive: timeout=1: reuse only within 0 s
    const p = pool(url);
    await exchange(p, 'GET', '/a');
    await new Promise((r) => setTimeout(r, 5));
    const b = await exchange(p, 'GET', '/b');
    expect(b.status).toBe(200);
    expect(sockets.size).toBe(2);
  });

  it('fails a request, not the pool, on a refused connection, a malformed answer or a close mid-answer', async () => {
    const closed = await rawServer(() => undefined);
    const refusedPort = new URL(closed.href);
    const free = net.createServer();
    const freeUrl = await listen(free);
    refusedPort.port = freeUrl.port;
    await new Promise<void>((r) => free.close(() => r()));
    expect(await exchange(pool(refusedPort), 'GET', '/')).toMatchObject({ code: 'ECONNREFUSED' });
    expect(await exchange(pool(closed), 'GET', '/')).toMatchObject({ code: 'ECONNRESET' });
    const garbage = await rawServer(() => 'SSH-2.0-OpenSSH\r\n\r\n');
    expect(await exchange(pool(garbage), 'GET', '/')).toMatchObject({
      code: 'EPROTO',
      error: 'bad answer from the server: malformed status line',
    });
    const half = await rawServer(() => 'HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc', true);
    expect(await exchange(pool(half), 'GET', '/')).toMatchObject({
      status: 200,
      code: 'EPROTO',
      error: 'bad answer from the server: the connection closed inside a response',
    });
  });

  it('refuses header and path values that would inject into the request', async () => {
    const { url, sockets } = await echoServer();
    const p = pool(url);
    expect(await exchange(p, 'POST', '/transfers', { 'fspiop-source': 'a\r\nx-evil: 1' })).toMatchObject({
      code: 'EINVAL',
      error: 'invalid value of header fspiop-source',
    });
    expect(await exchange(p, 'PUT', '/transfers/a b HTTP/1.1\r\nx: y')).toMatchObject({ code: 'EINVAL' });
    expect(sockets.size).toBe(0);
  });

  it('aborts a request in flight: the handler hears it once, the next request gets a new connection', async () => {
    const held: http.ServerResponse[] = [];
    const server = http.createServer((req, res) => {
      if (req.url === '/hold') held.push(res);
      else res.end('ok');
    });
    const url = await listen(server);
    const p = pool(url, 1);
    let abort: ((err?: Error) => void) | undefined;
    const pending = exchange(p, 'GET', '/hold', {}, '', (a) => {
      abort = a;
    });
    await expect.poll(() => held.length).toBe(1);
    abort?.(new Error('transfer timed out'));
    expect(await pending).toMatchObject({ error: 'transfer timed out' });
    expect(await exchange(p, 'GET', '/next')).toEqual({ status: 200, body: 'ok' });
  });

  it('speaks https, checking the certificate as node does', async () => {
    const server = https.createServer(
      {
        key: readFileSync(join(tlsDir, 'test-only-key.pem')),
        cert: readFileSync(join(tlsDir, 'test-only-cert.pem')),
      },
      (_req, res) => res.end('secure'),
    );
    const url = await listen(server);
    // an unknown (self-signed) certificate is refused
    expect(await exchange(pool(url), 'GET', '/')).toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    // trusted through NODE_EXTRA_CA_CERTS, as a user with a private CA would do, in a child process
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(here, 'support/http1-client-get.ts'), url.href],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: join(tlsDir, 'test-only-cert.pem') } },
    );
    expect(stdout.trim()).toBe('200 secure');
  });
});
