import type { IncomingHttpHeaders } from 'node:http';
import type { Http1Handler, Reply } from '../../src/engine/http1-connection.js';
import type { ParsedRequest } from '../../src/engine/http1-parser.js';
import { Http1Server } from '../../src/engine/http1-server.js';
import { type CallbackHeaders, CallbackEndpoints } from './stub-hub-callbacks.js';

/** A request the stub received, for conformance checks. */
export interface Recorded {
  method: string;
  path: string;
  /** Lower-case names, as node:http gives them. */
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

const POST_URL = 'FSPIOP_CALLBACK_URL_TRANSFER_POST';
const PUT_URL = 'FSPIOP_CALLBACK_URL_TRANSFER_PUT';
const ERROR_URL = 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR';
const JSON_TYPE = 'application/json';
const LIMITS = { maxHeadBytes: 64 * 1024, maxBodyBytes: 1024 * 1024 };

/** The FSPIOP headers a callback carries over from a request (those present). */
const FORWARDED = ['content-type', 'date', 'fspiop-source', 'fspiop-destination', 'accept'] as const;

/** The forwarded FSPIOP headers of a request, with the hub as the source where it speaks itself. */
function forwardHeaders(h: Record<string, string>, source?: string, destination?: string): CallbackHeaders {
  const out: CallbackHeaders = {};
  for (const name of FORWARDED) {
    const v = h[name];
    if (v !== undefined) out[name] = v;
  }
  if (source !== undefined) out['fspiop-source'] = source;
  if (destination !== undefined) out['fspiop-destination'] = destination;
  return out;
}

/** `/transfers/{id}` or `/transfers/{id}/error` (path after `/transfers/`), else undefined. */
function transferPath(rest: string): { id: string; error: boolean } | undefined {
  const slash = rest.indexOf('/');
  if (slash < 0) return rest === '' ? undefined : { id: rest, error: false };
  if (slash === 0 || rest.length - slash !== 6 || !rest.endsWith('/error')) return undefined;
  return { id: rest.slice(0, slash), error: true };
}

/**
 * A minimal FSPIOP switch for engine tests and benchmarks: accepts prepares (202), forwards them
 * to the payee's registered callback, forwards the payee's answer to the payer. Endpoints are
 * registered as on central-ledger (`POST /participants/{name}/endpoints`). `stall(ms)` holds
 * every request for a while, like a hub that stops answering. Built on the engine's lean HTTP/1.1
 * server and client, so that it costs the machine less than the engine it serves.
 */
export async function startStubHub(options: StubHubOptions = {}) {
  const callbacks = new CallbackEndpoints();
  const payers = new Map<string, string>();
  const payees = new Map<string, string>();
  const recorded: Recorded[] = [];
  let stalledUntil = 0;
  let prepares = 0;
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
  const held: { req: ParsedRequest; reply: Reply }[] = [];

  /** POST /transfers: answered at once (202 or a fault), then called back as the options say. */
  const prepare = (req: ParsedRequest, defer: () => Reply): number | undefined => {
    const n = ++prepares;
    const o = options;
    if (o.resetEvery && n % o.resetEvery === 0) {
      injected.reset++;
      defer().drop();
      return undefined;
    }
    if (o.rejectEvery && n % o.rejectEvery.n === 0) {
      injected.reject++;
      const code = o.rejectEvery.errorCode;
      const body = code
        ? JSON.stringify({ errorInformation: { errorCode: code, errorDescription: 'stub rejection' } })
        : 'busy';
      defer().send(o.rejectEvery.status, body, code ? JSON_TYPE : 'text/plain');
      return undefined;
    }
    const p = JSON.parse(req.body) as { transferId: string; payerFsp: string; payeeFsp: string };
    const id = p.transferId;
    if (o.swallowEvery && n % o.swallowEvery === 0) {
      injected.swallow++;
      return 202;
    }
    if (o.errorCallbackEvery && n % o.errorCallbackEvery.n === 0) {
      injected.errorCallback++;
      const e = JSON.stringify({
        errorInformation: { errorCode: o.errorCallbackEvery.code, errorDescription: 'stub error' },
      });
      callbacks.send(p.payerFsp, ERROR_URL, id, 'PUT', forwardHeaders(req.headers, 'Hub', p.payerFsp), e);
      return 202;
    }
    if (o.badFulfilmentEvery && n % o.badFulfilmentEvery === 0) {
      injected.badFulfilment++;
      const b = JSON.stringify({
        fulfilment: 'A'.repeat(43),
        completedTimestamp: new Date().toISOString(),
        transferState: 'COMMITTED',
      });
      callbacks.send(p.payerFsp, PUT_URL, id, 'PUT', forwardHeaders(req.headers, 'Hub', p.payerFsp), b);
      return 202;
    }
    payers.set(id, p.payerFsp);
    if (o.copyToPayee) payees.set(id, p.payeeFsp);
    injected.forwarded++;
    const headers = forwardHeaders(req.headers);
    if (o.lateEvery && n % o.lateEvery.n === 0) {
      injected.late++;
      const forward = () => callbacks.send(p.payeeFsp, POST_URL, id, 'POST', headers, req.body);
      setTimeout(forward, o.lateEvery.delayMs).unref();
    } else callbacks.send(p.payeeFsp, POST_URL, id, 'POST', headers, req.body);
    return 202;
  };

  /** PUT /transfers/{id}[/error] from the payee: answered 200, forwarded to the payer. */
  const transferPut = (req: ParsedRequest, id: string, error: boolean): number => {
    const payer = payers.get(id);
    if (payer === undefined) return 200;
    payers.delete(id);
    const payee = payees.get(id);
    if (payee !== undefined) payees.delete(id);
    const copy =
      payee === undefined || error
        ? undefined
        : () =>
            callbacks.send(
              payee,
              PUT_URL,
              id,
              'PUT',
              forwardHeaders(req.headers, 'Hub', payee),
              req.body,
              (status) => copies.push(status),
            );
    const headers = forwardHeaders(req.headers);
    callbacks.send(payer, error ? ERROR_URL : PUT_URL, id, 'PUT', headers, req.body, copy);
    return 200;
  };

  /** POST / GET /participants/{name}/endpoints (`rest` is `{name}/endpoints`). */
  const endpoints = (req: ParsedRequest, rest: string, defer: () => Reply): number | undefined => {
    const name = rest.slice(0, -'/endpoints'.length);
    if (name === '' || name.includes('/')) return 404;
    if (req.method === 'POST') {
      const { type, value } = JSON.parse(req.body) as { type: string; value: string };
      callbacks.register(decodeURIComponent(name), type, value);
      return 201;
    }
    if (req.method !== 'GET') return 404;
    defer().send(200, JSON.stringify(callbacks.list(decodeURIComponent(name))), JSON_TYPE);
    return undefined;
  };

  const handle = (req: ParsedRequest, defer: () => Reply): number | undefined => {
    const t = req.target;
    const q = t.indexOf('?');
    const path = q < 0 ? t : t.slice(0, q);
    if (options.record && !path.startsWith('/participants'))
      recorded.push({ method: req.method, path, headers: req.headers, body: req.body });
    if (path === '/transfers') return req.method === 'POST' ? prepare(req, defer) : 404;
    if (path.startsWith('/transfers/')) {
      const tp = req.method === 'PUT' ? transferPath(path.slice('/transfers/'.length)) : undefined;
      return tp ? transferPut(req, tp.id, tp.error) : 404;
    }
    if (path === '/health') {
      defer().send(200, '{"status":"OK"}', JSON_TYPE);
      return undefined;
    }
    if (path.startsWith('/participants/') && path.endsWith('/endpoints'))
      return endpoints(req, path.slice('/participants/'.length), defer);
    return 404;
  };

  /** A held request, answered now: through the Reply it was given when it arrived. */
  const release = ({ req, reply }: { req: ParsedRequest; reply: Reply }) => {
    let status: number | undefined;
    try {
      status = handle(req, () => reply);
    } catch {
      status = 500;
    }
    if (status !== undefined) reply.send(status, '', 'text/plain');
  };

  const onRequest: Http1Handler = (req, defer) => {
    if (stalledUntil !== 0) {
      if (Date.now() < stalledUntil) {
        held.push({ req, reply: defer() });
        return undefined;
      }
      stalledUntil = 0;
    }
    return handle(req, defer);
  };

  const server = new Http1Server(onRequest, LIMITS);
  const { port } = await server.listen(0, '127.0.0.1');
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
        for (const h of held.splice(0)) release(h);
      }, ms);
    },
    async close() {
      callbacks.close();
      await server.close();
    },
  };
}

export type StubHub = Awaited<ReturnType<typeof startStubHub>>;
