import http from 'node:http';
import net from 'node:net';
import { Pool } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CallbackHandler, CallbackServer } from '../src/engine/callback-server.js';
import type { Reply } from '../src/engine/http1-connection.js';
import { Http1Server } from '../src/engine/http1-server.js';

interface Received {
  kind: string;
  dfsp: string | undefined;
  id?: string;
  body: string;
}

function recorder(
  metrics: () => Promise<{ contentType: string; text: string }> = async () => ({
    contentType: 'text/plain',
    text: 'm 1\n',
  }),
) {
  const got: Received[] = [];
  const handler: CallbackHandler = {
    prepare: (dfsp, body) => {
      got.push({ kind: 'prepare', dfsp, body });
      return 202;
    },
    transferPut: (dfsp, id, body) => {
      if (id === 'boom') throw new Error('handler defect');
      got.push({ kind: 'put', dfsp, id, body });
      return body.startsWith('{') ? 200 : 400;
    },
    transferError: (dfsp, id, body) => {
      got.push({ kind: 'error', dfsp, id, body });
      return 200;
    },
    other: (method) => (method === 'PATCH' ? 200 : 404),
    metrics,
  };
  return { got, handler };
}

const servers: CallbackServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(handler: CallbackHandler): Promise<number> {
  const s = new CallbackServer(handler);
  servers.push(s);
  return (await s.listen(0, '127.0.0.1')).port;
}

/** A raw client: writes the pieces, collects every byte until the server closes or `until` holds. */
async function raw(port: number, pieces: string[], until: (text: string) => boolean = () => false) {
  const sock = net.connect(port, '127.0.0.1');
  let text = '';
  let closed = false;
  sock.on('data', (b) => {
    text += b.toString('utf8');
  });
  sock.on('close', () => {
    closed = true;
  });
  sock.on('error', () => {});
  await new Promise((r) => sock.once('connect', r));
  for (const p of pieces) await new Promise((r) => sock.write(p, r));
  await vi.waitFor(() => expect(closed || until(text)).toBe(true), { timeout: 10_000 });
  return { text, closed, sock };
}

// (the bodies here never contain a status line)
const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
const put = (path: string, body: string, extra = '') =>
  `PUT ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe('the callback server (lean HTTP/1.1 on node:net)', () => {
  it('answers pipelined requests in order, a deferred /metrics included', async () => {
    let release: (v: { contentType: string; text: string }) => void = () => {};
    const { got, handler } = recorder(() => new Promise((r) => (release = r)));
    const port = await start(handler);
    const reqs = [
      'POST /perffsp-5/transfers HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}',
      'GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n',
      put('/transfers/t1', '{"a":1}', 'FSPIOP-Destination: perffsp-1\r\n'),
      'GET /health HTTP/1.1\r\nHost: x\r\n\r\n',
      'PATCH /perffsp-1/transfers/t1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n',
    ];
    const pending = raw(port, [reqs.join('')], (t) => statuses(t).length === 5);
    await vi.waitFor(() => expect(got).toHaveLength(2));
    release({ contentType: 'text/plain; version=0.0.4', text: 'metric 7\n' });
    const { text, closed } = await pending;
    expect(closed).toBe(false);
    expect(statuses(text)).toEqual([202, 200, 200, 200, 200]);
    expect(text).toContain('metric 7\n');
    expect(text).toContain('{"status":"OK"}');
    expect(got).toEqual([
      { kind: 'prepare', dfsp: 'perffsp-5', body: '{}' },
      { kind: 'put', dfsp: 'perffsp-1', id: 't1', body: '{"a":1}' },
    ]);
  });

  it('takes a request written one byte at a time, and a chunked body', async () => {
    const { got, handler } = recorder();
    const port = await start(handler);
    const chunked =
      'PUT /perffsp-2/transfers/t2/error HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{"e\r\n2;x=y\r\n":\r\n2\r\n1}\r\n0\r\n\r\n';
    const { text } = await raw(port, [...chunked], (t) => statuses(t).length === 1);
    expect(statuses(text)).toEqual([200]);
    expect(got).toEqual([{ kind: 'error', dfsp: 'perffsp-2', id: 't2', body: '{"e":1}' }]);
  });

  it('sends 100 Continue to a client that waits for it, then the answer', async () => {
    const { got, handler } = recorder();
    const port = await start(handler);
    const sock = net.connect(port, '127.0.0.1');
    let text = '';
    sock.on('data', (b) => {
      text += b.toString();
    });
    sock.write(
      'PUT /p/transfers/t3 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n',
    );
    await vi.waitFor(() => expect(text).toBe('HTTP/1.1 100 Continue\r\n\r\n'));
    sock.write('{}');
    await vi.waitFor(() => expect(statuses(text)).toEqual([100, 200]));
    expect(got[0]?.body).toBe('{}');
    sock.destroy();
  });

  it.each([
    ['malformed', 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['oversized head', `GET / HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(17 * 1024)}\r\n\r\n`, 431],
    ['oversized body', put('/p/transfers/t', 'a'.repeat(65 * 1024)), 413],
    ['unknown coding', 'PUT /p/transfers/t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n', 501],
  ])('answers a %s request with %s and closes, after the answers before it', async (_, bad, status) => {
    const { got, handler } = recorder();
    const port = await start(handler);
    const { text, closed } = await raw(port, [
      put('/p/transfers/ok', '{}') + bad + put('/p/transfers/after', '{}'),
    ]);
    expect(closed).toBe(true);
    expect(statuses(text)).toEqual([200, status]);
    expect(text).toMatch(/Connection: close/);
    expect(got.map((g) => g.id)).toEqual(['ok']);
    // the server goes on serving other connections
    expect(
      statuses((await raw(port, [put('/p/transfers/next', '{}')], (t) => statuses(t).length === 1)).text),
    ).toEqual([200]);
  });

  it('answers 500 when a handler throws, and keeps the connection', async () => {
    const { handler } = recorder();
    const port = await start(handler);
    const { text, closed } = await raw(
      port,
      [put('/p/transfers/boom', '{}') + put('/p/transfers/t', '{}')],
      (t) => statuses(t).length === 2,
    );
    expect(statuses(text)).toEqual([500, 200]);
    expect(closed).toBe(false);
  });

  it('answers a path that does not decode with 400', async () => {
    const { handler } = recorder();
    const port = await start(handler);
    const { text } = await raw(port, [put('/%E0%A4%A/transfers/t', '{}')], (t) => statuses(t).length === 1);
    expect(statuses(text)).toEqual([400]);
  });

  it('closes after a request with Connection: close', async () => {
    const { handler } = recorder();
    const port = await start(handler);
    const { text, closed } = await raw(port, [put('/p/transfers/t', '{}', 'Connection: close\r\n')]);
    expect(closed).toBe(true);
    expect(statuses(text)).toEqual([200]);
  });

  it('serves real clients: undici keep-alive and node:http with a chunked body', async () => {
    const { got, handler } = recorder();
    const port = await start(handler);
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 2, pipelining: 4 });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        pool.request({ method: 'PUT', path: `/p/transfers/u${i}`, body: `{"i":${i}}` }).then(async (r) => {
          await r.body.dump();
          return r.statusCode;
        }),
      ),
    );
    expect(answers).toEqual(Array(20).fill(200));
    const health = await pool.request({ method: 'GET', path: '/health' });
    expect(await health.body.text()).toBe('{"status":"OK"}');
    await pool.close();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { port, host: '127.0.0.1', method: 'POST', path: '/perffsp-3/transfers' },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"transferId":');
      req.end('"c1"}');
    });
    expect(status).toBe(202);
    expect(got.filter((g) => g.kind === 'put')).toHaveLength(20);
    expect(got.find((g) => g.kind === 'prepare')?.body).toBe('{"transferId":"c1"}');
  });

  it('answers every one of 20,000 pipelined requests from a client that reads only after writing them all', async () => {
    const { got, handler } = recorder();
    const port = await start(handler);
    const sock = net.connect(port, '127.0.0.1');
    sock.on('error', () => {});
    await new Promise((r) => sock.once('connect', r));
    sock.pause();
    const n = 20_000;
    const batch = Array.from({ length: n }, (_, i) => put(`/p/transfers/t${i}`, '{}')).join('');
    sock.write(batch);
    // its answers back up (the server pauses reading meanwhile); none may be lost or reordered
    await vi.waitFor(() => expect(got.length).toBeGreaterThan(0));
    const chunks: Buffer[] = [];
    sock.on('data', (b: Buffer) => chunks.push(b));
    sock.resume();
    await vi.waitFor(() => expect(statuses(Buffer.concat(chunks).toString('latin1')).length).toBe(n), {
      timeout: 30_000,
      interval: 200,
    });
    expect(got.map((g) => g.id)).toEqual(Array.from({ length: n }, (_, i) => `t${i}`));
    sock.destroy();
  });

  it('drops kept-alive connections when it closes', async () => {
    const { handler } = recorder();
    const s = new CallbackServer(handler);
    const { port } = await s.listen(0, '127.0.0.1');
    const { sock, closed } = await raw(port, [put('/p/transfers/t', '{}')], (t) => statuses(t).length === 1);
    expect(closed).toBe(false);
    const gone = new Promise((r) => sock.once('close', r));
    await s.close();
    await gone;
  });
});

describe('the lean HTTP/1.1 server: a handler that drops its connection', () => {
  it('destroys the connection unanswered, aborts the replies still pending on it, handles nothing pipelined behind', async () => {
    const seen: string[] = [];
    let pending: Reply | undefined;
    let aborted = 0;
    const server = new Http1Server(
      (req, defer) => {
        seen.push(req.target);
        if (req.target === '/held') {
          pending = defer();
          pending.onAbort(() => aborted++);
          return undefined;
        }
        if (req.target === '/drop') {
          const r = defer();
          r.drop();
          expect(r.closed).toBe(true);
          return undefined;
        }
        return 200;
      },
      { maxHeadBytes: 1024, maxBodyBytes: 1024 },
    );
    const { port } = await server.listen(0, '127.0.0.1');
    try {
      const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
      const sock = net.connect(port, '127.0.0.1');
      let text = '';
      sock.on('data', (b) => {
        text += b.toString('latin1');
      });
      const closed = new Promise((r) => sock.once('close', r));
      sock.on('error', () => {});
      sock.write(get('/ok'));
      await vi.waitFor(() => expect(statuses(text)).toEqual([200]));
      sock.write(get('/drop') + get('/after'));
      await closed;
      expect(statuses(text)).toEqual([200]);
      expect(seen).toEqual(['/ok', '/drop']);
      // an answer deferred earlier on the connection is lost with it, and its owner is told
      const second = await raw(port, [get('/held') + get('/drop')]);
      expect(second.closed).toBe(true);
      expect(second.text).toBe('');
      await vi.waitFor(() => expect(aborted).toBe(1));
      expect(pending?.closed).toBe(true);
      // the server goes on serving other connections
      const third = await raw(port, [get('/ok')], (t) => statuses(t).length === 1);
      expect(statuses(third.text)).toEqual([200]);
      third.sock.destroy();
    } finally {
      await server.close();
    }
  });
});
