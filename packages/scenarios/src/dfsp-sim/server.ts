import { ExitCode, MlperfError } from '@mlperf/core';
import { type CallbackHandler, CallbackServer, type Reply } from '../engine/callback-server.js';
import { HttpDate, RateLimitedLog } from '../engine/clock.js';
import { DfspRoles, type PayerSide } from '../engine/dfsp-roles.js';
import { HubClient, type HubEvents } from '../engine/hub-client.js';
import { Transfer } from '../engine/inflight.js';
import { deriveFulfilment } from '../fspiop/crypto.js';
import { DEFAULT_FULFILMENT_SECRET } from '../k6/script.js';
import { OutcomeBook } from './outcomes.js';

export interface DfspSimOptions {
  /** ml-api-adapter base URL: where the payee role sends its PUT /transfers/{id}. */
  hubUrl: string;
  /** Shared with the k6 script: fulfilment = HMAC-SHA256(secret, transferId). */
  secret?: string;
  /** Share of prepares the payee rejects with 5105 (fault tests). */
  payeeRejectRatio?: number;
  host?: string;
  port?: number;
  /** How long an outcome is kept for a late k6 request. Default 120 s. */
  retentionMs?: number;
  /** Longest long-poll a k6 request may ask for. Default 120 s. */
  maxWaitMs?: number;
  log?: (line: string) => void;
}

export interface DfspSim {
  /** Base URL (callbacks under `/<dfsp>/transfers...`, k6 under `/outcomes/<id>`). */
  url: string;
  port: number;
  /** Prometheus text of /metrics. */
  metrics(): Promise<string>;
  close(): Promise<void>;
}

interface Route {
  payer?: string;
  payee?: string;
  /** Unix ms first seen: routes whose outcome never comes are swept after the retention. */
  at: number;
}

/**
 * The DFSP roles of the engine as a standalone server for any number of DFSPs: the payee answers
 * every forwarded prepare, the payer receives the callbacks and records each transfer's outcome
 * and end-to-end time (from the start k6 wrote into the transfer id) where the callback arrives.
 * `GET /seconds/<fromMs>/<toMs>`: outcomes and latency per second of transfer start;
 * `GET /status`: outcomes received so far; /metrics: the end-to-end latency histogram.
 * `GET /outcomes/{transferId}?waitMs=` long-polls one transfer's end (scripts that wait for it).
 */
export async function startDfspSim(options: DfspSimOptions): Promise<DfspSim> {
  const secret = options.secret ?? DEFAULT_FULFILMENT_SECRET;
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const book = new OutcomeBook(options.retentionMs);
  const routes = new Map<string, Route>();
  const transfers = new Map<string, Transfer>();
  const log = new RateLimitedLog(options.log ?? (() => undefined));
  const corridorOf = (id: string) => {
    const r = routes.get(id);
    return r?.payer && r.payee ? `${r.payer}->${r.payee}` : 'unknown';
  };
  const forget = (id: string) => {
    transfers.delete(id);
    routes.delete(id);
  };
  const retentionMs = options.retentionMs ?? 120_000;
  const sweep = setInterval(
    () => {
      const before = Date.now() - retentionMs;
      for (const [id, r] of routes) {
        if (r.at >= before) break;
        forget(id);
      }
    },
    Math.min(5_000, retentionMs),
  ).unref();

  const payer: PayerSide = {
    find(id) {
      let t = transfers.get(id);
      if (!t) {
        t = new Transfer(id, -1, 0, 0, deriveFulfilment(secret, id).toString('base64url'));
        transfers.set(id, t);
      }
      return t;
    },
    payerOf: (t) => routes.get(t.id)?.payer ?? '',
    payeeOf: (t) => routes.get(t.id)?.payee ?? '',
    succeed(t) {
      t.done = true;
      book.resolve(t.id, corridorOf(t.id), 'COMMITTED');
      forget(t.id);
    },
    fail(t, errorType, detail) {
      t.done = true;
      log.write(errorType, detail);
      book.resolve(t.id, corridorOf(t.id), 'ABORTED', errorType);
      forget(t.id);
    },
    metricsText: async () => ({
      contentType: book.registry.contentType,
      text: await book.registry.metrics(),
    }),
  };
  const events: HubEvents = {
    prepareSent: () => undefined,
    prepareAccepted: () => undefined,
    prepareFailed: () => undefined,
    payeeCallbackFailed(id, errorType, detail) {
      book.anomalies.inc({ kind: `payee-put-${errorType}` });
      log.write(`payee-put-${errorType}`, `PUT /transfers/${id}: ${detail}`);
    },
    request: () => undefined,
  };
  const hub = new HubClient(options.hubUrl, events);
  const roles = new DfspRoles(payer, hub, secret, options.payeeRejectRatio ?? 0, new HttpDate(), log);

  // Learns each transfer's payer and payee from the forwarded prepare; a callback for a transfer
  // whose prepare went to another payee is taken as addressed to its payer.
  const handler: CallbackHandler = {
    prepare(dfsp: string | undefined, body: string) {
      const status = roles.prepare(dfsp, body);
      if (status === 202) {
        const p = JSON.parse(body) as { transferId: string; payerFsp: string; payeeFsp: string };
        routes.set(p.transferId, { payer: p.payerFsp, payee: p.payeeFsp, at: Date.now() });
        book.prepares.inc({ payee: p.payeeFsp });
      }
      return status;
    },
    transferPut(dfsp, id, body) {
      if (dfsp && !routes.get(id)?.payer) routes.set(id, { at: Date.now(), ...routes.get(id), payer: dfsp });
      return roles.transferPut(dfsp, id, body);
    },
    transferError(dfsp, id, body) {
      if (dfsp && !routes.get(id)?.payer && routes.get(id)?.payee !== dfsp)
        routes.set(id, { at: Date.now(), ...routes.get(id), payer: dfsp });
      return roles.transferError(dfsp, id, body);
    },
    other: (method, path) => roles.other(method, path),
    metrics: () => roles.metrics(),
  };

  const outcomes = (path: string, query: string, res: Reply): boolean => {
    // `/seconds-<from>-<to>` too: one path segment passes the Kubernetes service proxy unchanged.
    const sec = /^\/seconds[/-](\d+)[/-](\d+)$/.exec(path);
    if (sec) {
      res.send(200, JSON.stringify(book.seconds.range(Number(sec[1]), Number(sec[2]))), 'application/json');
      return true;
    }
    if (path === '/status') {
      res.send(200, JSON.stringify({ resolved: book.resolved, pending: routes.size }), 'application/json');
      return true;
    }
    const m = /^\/outcomes\/([^/]+)$/.exec(path);
    if (!m) return false;
    const q = new URLSearchParams(query);
    const waitMs = Math.min(maxWaitMs, Math.max(0, Number(q.get('waitMs') ?? 0) || 0));
    const sentAt = q.has('sentAt') ? Number(q.get('sentAt')) : undefined;
    book.await(decodeURIComponent(m[1] as string), res, waitMs, Number.isFinite(sentAt) ? sentAt : undefined);
    return true;
  };

  const server = new CallbackServer(handler, outcomes);
  let bound: { host: string; port: number };
  try {
    bound = await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  } catch (err) {
    clearInterval(sweep);
    book.close();
    hub.close();
    throw new MlperfError(
      'DFSP_SIM_LISTEN',
      `DFSP simulator cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${(err as Error).message}`,
      {
        hint: 'choose another --port, or stop what uses it',
        exitCode: ExitCode.unavailable,
        cause: err,
      },
    );
  }
  const host = bound.host.includes(':') ? `[${bound.host}]` : bound.host;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${bound.port}`;
  log.info(`DFSP simulator on ${url}, answering prepares towards ${options.hubUrl}`);
  return {
    url,
    port: bound.port,
    metrics: () => book.registry.metrics(),
    async close() {
      clearInterval(sweep);
      book.close();
      await server.close();
      hub.close();
    },
  };
}
