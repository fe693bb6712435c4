import http, { type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Transfer } from './inflight.js';

/** What the engine learns from the hub's synchronous answers. */
export interface HubEvents {
  /** The prepare got a socket and is being written: the actual send. */
  prepareSent(t: Transfer, now: number): void;
  /** POST /transfers answered 202 (`now` on the engine clock). */
  prepareAccepted(t: Transfer, now: number): void;
  /** POST /transfers failed: `http:<status>` or `connection`; `detail` for the log. */
  prepareFailed(t: Transfer, errorType: string, detail: string): void;
  /** A payee PUT (fulfil or error) was not accepted by the hub. */
  payeeCallbackFailed(transferId: string, errorType: string, detail: string): void;
  /** Every request the engine sent, with whether it failed (k6's http_reqs / http_req_failed). */
  request(failed: boolean): void;
}

const TRANSFER = Symbol('mlperf.transfer');
const TRANSFER_ID = Symbol('mlperf.transferId');
const EVENTS = Symbol('mlperf.events');
type Tagged = ClientRequest & { [TRANSFER]?: Transfer; [TRANSFER_ID]?: string; [EVENTS]?: HubEvents };

function readBody(res: IncomingMessage, done: (text: string) => void): void {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (c: string) => {
    if (text.length < 4096) text += c;
  });
  res.on('end', () => done(text));
  res.on('error', () => done(text));
}

function errorSummary(status: number, body: string): string {
  try {
    const info = (
      JSON.parse(body) as { errorInformation?: { errorCode?: string; errorDescription?: string } }
    ).errorInformation;
    if (info?.errorCode)
      return `HTTP ${status}: FSPIOP ${info.errorCode} ${info.errorDescription ?? ''}`.trim();
  } catch {
    // not JSON: fall through
  }
  return `HTTP ${status}: ${body.slice(0, 200)}`;
}

function onPrepareSocket(this: Tagged): void {
  (this[EVENTS] as HubEvents).prepareSent(this[TRANSFER] as Transfer, performance.now());
}

// Shared listeners: `this` is the request, the transfer rides on it (no closure per transfer).
function onPrepareResponse(this: Tagged, res: IncomingMessage): void {
  const t = this[TRANSFER] as Transfer;
  const events = this[EVENTS] as HubEvents;
  t.req = undefined;
  if (res.statusCode === 202) {
    events.request(false);
    events.prepareAccepted(t, performance.now());
    res.resume();
    return;
  }
  const status = res.statusCode ?? 0;
  events.request(true);
  readBody(res, (body) => events.prepareFailed(t, `http:${status}`, errorSummary(status, body)));
}

function onPrepareError(this: Tagged, err: NodeJS.ErrnoException): void {
  const t = this[TRANSFER] as Transfer;
  t.req = undefined;
  if (t.done) return;
  (this[EVENTS] as HubEvents).request(true);
  (this[EVENTS] as HubEvents).prepareFailed(t, 'connection', `${err.code ?? 'ERROR'}: ${err.message}`);
}

function onPutResponse(this: Tagged, res: IncomingMessage): void {
  const events = this[EVENTS] as HubEvents;
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) {
    events.request(false);
    res.resume();
    return;
  }
  events.request(true);
  const id = this[TRANSFER_ID] as string;
  readBody(res, (body) => events.payeeCallbackFailed(id, `http:${status}`, errorSummary(status, body)));
}

function onPutError(this: Tagged, err: NodeJS.ErrnoException): void {
  const events = this[EVENTS] as HubEvents;
  events.request(true);
  events.payeeCallbackFailed(
    this[TRANSFER_ID] as string,
    'connection',
    `${err.code ?? 'ERROR'}: ${err.message}`,
  );
}

/**
 * The engine's HTTP client towards the hub's FSPIOP API (ml-api-adapter): keep-alive sockets,
 * prepares from the payer role, fulfils and errors from the payee role.
 */
export class HubClient {
  /** Payer role sockets (prepares) and payee role sockets (answers): two DFSP systems, two pools. */
  readonly agent: http.Agent;
  readonly payeeAgent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private readonly host: string;
  private readonly port: number;
  private readonly base: string;
  private readonly events: HubEvents;

  constructor(url: string, events: HubEvents, maxSockets = 128) {
    const u = new URL(url);
    const secure = u.protocol === 'https:';
    this.transport = secure ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets, scheduling: 'fifo' });
    this.payeeAgent = new this.transport.Agent({ keepAlive: true, maxSockets, scheduling: 'fifo' });
    this.host = u.hostname.replace(/^\[|\]$/g, '');
    this.port = Number(u.port || (secure ? 443 : 80));
    this.base = u.pathname.replace(/\/$/, '');
    this.events = events;
  }

  /** Sends a prepare. `headers` is reused by the caller: node copies it before returning. */
  sendPrepare(t: Transfer, headers: OutgoingHttpHeaders, body: string): void {
    headers['content-length'] = Buffer.byteLength(body);
    const req = this.transport.request({
      agent: this.agent,
      host: this.host,
      port: this.port,
      method: 'POST',
      path: `${this.base}/transfers`,
      headers,
    }) as Tagged;
    req[TRANSFER] = t;
    req[EVENTS] = this.events;
    t.req = req;
    req.on('socket', onPrepareSocket);
    req.on('response', onPrepareResponse);
    req.on('error', onPrepareError);
    req.end(body);
  }

  /** PUT /transfers/{id} or /transfers/{id}/error, from the payee role. */
  sendPut(transferId: string, suffix: '' | '/error', headers: OutgoingHttpHeaders, body: string): void {
    headers['content-length'] = Buffer.byteLength(body);
    const req = this.transport.request({
      agent: this.payeeAgent,
      host: this.host,
      port: this.port,
      method: 'PUT',
      path: `${this.base}/transfers/${transferId}${suffix}`,
      headers,
    }) as Tagged;
    req[TRANSFER_ID] = transferId;
    req[EVENTS] = this.events;
    req.on('response', onPutResponse);
    req.on('error', onPutError);
    req.end(body);
  }

  close(): void {
    this.agent.destroy();
    this.payeeAgent.destroy();
  }
}
