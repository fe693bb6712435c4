import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stub received, for conformance checks. */
export interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StubHubOptions {
  /** Keep every request (conformance tests). */
  record?: boolean;
  /** Answer every n-th prepare with this HTTP status (and an FSPIOP error body when `errorCode`). */
  rejectEvery?: { n: number; status: number; errorCode?: string };
  /** Answer every n-th prepare with an error callback to the payer. */
  errorCallbackEvery?: { n: number; code: string };
  /** Never call back every n-th prepare (engine timeouts). */
  swallowEvery?: number;
  /** Destroy the connection of every n-th prepare (connection errors). */
  resetEvery?: number;
  /** Send a COMMITTED with a wrong fulfilment for every n-th prepare. */
  badFulfilmentEvery?: number;
  /** After the payer's COMMITTED callback was answered, send the payee a copy (as a switch may). */
  copyToPayee?: boolean;
  /** Forward every n-th prepare to the payee only after `delayMs`, so its outcome reaches the payer late. */
  lateEvery?: { n: number; delayMs: number };
}

/**
 * A minimal FSPIOP switch for engine tests and benchmarks: accepts prepares (202), forwards them
 * to the payee's registered callback, forwards the payee's answer to the payer. Endpoints are
 * registered as on central-ledger (`POST /participants/{name}/endpoints`). `stall(ms)` holds
 * every request for a while, like a hub that stops answering.
 */
export async function startStubHub(options: StubHubOptions = {}) {
  const endpoints = new Map<string, Map<string, string>>();
  const payers = new Map<string, string>();
  const recorded: Recorded[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let stalledUntil = 0;
  let prepares = 0;
  const payees = new Map<string, string>();
  /** Copies of the payer's COMMITTED sent to the payee, by the HTTP status the payee answered. */
  const copies: number[] = [];
  /** Faults injected so far, by kind: what the engine must have recorded, whatever the arrival order. */
  const injected = {
    reject: 0,
    errorCallback: 0,
    swallow: 0,
    reset: 0,
    badFulfilment: 0,
    forwarded: 0,
    late: 0,
  };
  const held: (() => void)[] = [];

  const send = (
    dfsp: string,
    type: string,
    id: string,
    method: string,
    headers: IncomingHttpHeaders,
    body: string,
    answered?: (status: number) => void,
  ) => {
    const tpl = endpoints.get(dfsp)?.get(type);
    if (!tpl) return;
    const url = new URL(tpl.replace('{{transferId}}', id));
    const h: Record<string, string> = {};
    for (const k of ['content-type', 'date', 'fspiop-source', 'fspiop-destination', 'accept']) {
      const v = headers[k];
      if (typeof v === 'string') h[k] = v;
    }
    h['content-length'] = String(Buffer.byteLength(body));
    const req = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method, headers: h },
      (res) => {
        res.resume();
        answered?.(res.statusCode ?? 0);
      },
    );
    req.on('error', () => {});
    req.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const method = req.method ?? 'GET';
    if (options.record && !path.startsWith('/participants'))
      recorded.push({ method, path, headers: req.headers, body });
    const ep = /^\/participants\/([^/]+)\/endpoints$/.exec(path);
    if (ep && method === 'POST') {
      const { type, value } = JSON.parse(body) as { type: string; value: string };
      const name = decodeURIComponent(ep[1] as string);
      if (!endpoints.has(name)) endpoints.set(name, new Map());
      endpoints.get(name)?.set(type, value);
      res.writeHead(201).end();
      return;
    }
    if (ep && method === 'GET') {
      const list = [...(endpoints.get(decodeURIComponent(ep[1] as string)) ?? new Map<string, string>())];
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(list.map(([type, value]) => ({ type, value }))));
      return;
    }
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"OK"}');
      return;
    }
    if (path === '/transfers' && method === 'POST') {
      const n = ++prepares;
      if (options.resetEvery && n % options.resetEvery === 0) {
        injected.reset++;
        req.socket.destroy();
        return;
      }
      if (options.rejectEvery && n % options.rejectEvery.n === 0) {
        injected.reject++;
        const code = options.rejectEvery.errorCode;
        res.writeHead(options.rejectEvery.status, {
          'content-type': code ? 'application/json' : 'text/plain',
        });
        res.end(
          code
            ? JSON.stringify({ errorInformation: { errorCode: code, errorDescription: 'stub rejection' } })
            : 'busy',
        );
        return;
      }
      res.writeHead(202).end();
      const p = JSON.parse(body) as { transferId: string; payerFsp: string; payeeFsp: string };
      payers.set(p.transferId, p.payerFsp);
      if (options.copyToPayee) payees.set(p.transferId, p.payeeFsp);
      if (options.swallowEvery && n % options.swallowEvery === 0) {
        injected.swallow++;
        return;
      }
      if (options.errorCallbackEvery && n % options.errorCallbackEvery.n === 0) {
        injected.errorCallback++;
        const e = JSON.stringify({
          errorInformation: { errorCode: options.errorCallbackEvery.code, errorDescription: 'stub error' },
        });
        send(
          p.payerFsp,
          'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
          p.transferId,
          'PUT',
          { ...req.headers, 'fspiop-source': 'Hub', 'fspiop-destination': p.payerFsp },
          e,
        );
        payers.delete(p.transferId);
        return;
      }
      if (options.badFulfilmentEvery && n % options.badFulfilmentEvery === 0) {
        injected.badFulfilment++;
        const b = JSON.stringify({
          fulfilment: 'A'.repeat(43),
          completedTimestamp: new Date().toISOString(),
          transferState: 'COMMITTED',
        });
        send(
          p.payerFsp,
          'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
          p.transferId,
          'PUT',
          { ...req.headers, 'fspiop-source': 'Hub', 'fspiop-destination': p.payerFsp },
          b,
        );
        payers.delete(p.transferId);
        return;
      }
      injected.forwarded++;
      const forward = () =>
        send(p.payeeFsp, 'FSPIOP_CALLBACK_URL_TRANSFER_POST', p.transferId, 'POST', req.headers, body);
      if (options.lateEvery && n % options.lateEvery.n === 0) {
        injected.late++;
        setTimeout(forward, options.lateEvery.delayMs).unref();
      } else forward();
      return;
    }
    const put = /^\/transfers\/([^/]+)(\/error)?$/.exec(path);
    if (put && method === 'PUT') {
      res.writeHead(200).end();
      const id = put[1] as string;
      const payer = payers.get(id);
      if (!payer) return;
      payers.delete(id);
      const payee = payees.get(id);
      payees.delete(id);
      const copy =
        payee === undefined || put[2]
          ? undefined
          : () =>
              send(
                payee,
                'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
                id,
                'PUT',
                { ...req.headers, 'fspiop-source': 'Hub', 'fspiop-destination': payee },
                body,
                (status) => copies.push(status),
              );
      send(
        payer,
        put[2] ? 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR' : 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
        id,
        'PUT',
        req.headers,
        body,
        copy,
      );
      return;
    }
    res.writeHead(404).end();
  };

  const server = http.createServer({ keepAlive: true }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      const go = () => handle(req, res, body);
      if (Date.now() < stalledUntil) held.push(go);
      else go();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    adminUrl: `http://127.0.0.1:${port}`,
    recorded,
    get prepares() {
      return prepares;
    },
    copies,
    /** Prepares answered with each injected fault, and those forwarded to the payee. */
    injected,
    /** Holds every request for `ms`, then answers them all. */
    stall(ms: number) {
      stalledUntil = Date.now() + ms;
      setTimeout(() => {
        for (const go of held.splice(0)) go();
      }, ms);
    },
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export type StubHub = Awaited<ReturnType<typeof startStubHub>>;
