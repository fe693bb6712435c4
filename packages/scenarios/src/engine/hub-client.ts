import { type ExchangeHandler, Http1Pool } from './http1-client.js';
import type { Transfer } from './inflight.js';

/** What the engine learns from the hub's synchronous answers. */
export interface HubEvents {
  /** The prepare is on a connection and being written: the actual send. */
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

/** Headers of one FSPIOP request, reused by the caller between requests. */
export type RequestHeaders = Record<string, string>;

/**
 * Error type and log line of a synchronous error answer: `fspiop:<code>` when the body carries an
 * FSPIOP errorInformation (ml-api-adapter's validation errors), `http:<status>` otherwise.
 */
export function classifyHttpFailure(status: number, body: string): { errorType: string; detail: string } {
  try {
    const info = (
      JSON.parse(body) as { errorInformation?: { errorCode?: unknown; errorDescription?: unknown } }
    ).errorInformation;
    if (typeof info?.errorCode === 'string' && /^\d{4}$/.test(info.errorCode)) {
      const description = typeof info.errorDescription === 'string' ? info.errorDescription : '';
      return {
        errorType: `fspiop:${info.errorCode}`,
        detail: `HTTP ${status}: FSPIOP ${info.errorCode} ${description}`.trim(),
      };
    }
  } catch {
    // not JSON: an HTTP error
  }
  return { errorType: `http:${status}`, detail: `HTTP ${status}: ${body.slice(0, 200)}` };
}

function connectionDetail(err: Error & { code?: string }): string {
  const cause = (err as { cause?: Error & { code?: string } }).cause;
  return `${cause?.code ?? err.code ?? 'ERROR'}: ${cause?.message ?? err.message}`;
}

/**
 * The handler of one request: an object with methods, no closures. The body is only kept for
 * error answers (to log the FSPIOP error).
 */
abstract class Exchange implements ExchangeHandler {
  status = 0;
  body: Buffer[] | undefined = undefined;
  bodyBytes = 0;
  abort: ((err?: Error) => void) | undefined = undefined;
  constructor(protected readonly events: HubEvents) {}

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
  }

  onHeaders(statusCode: number): void {
    this.status = statusCode;
    this.headersArrived();
  }

  onData(chunk: Buffer): void {
    if ((this.status < 200 || this.status >= 300) && this.bodyBytes < 4096) {
      // copied (the client reuses its read buffer) and decoded whole at the end, so a character
      // split between reads survives
      const copy = Buffer.from(chunk);
      if (this.body) this.body.push(copy);
      else this.body = [copy];
      this.bodyBytes += chunk.length;
    }
  }

  onComplete(): void {
    const ok = this.status >= 200 && this.status < 300;
    this.events.request(!ok);
    if (ok) return;
    const f = classifyHttpFailure(this.status, this.body ? Buffer.concat(this.body).toString('utf8') : '');
    this.failed(f.errorType, f.detail);
  }

  onError(err: Error): void {
    this.events.request(true);
    this.failed('connection', connectionDetail(err));
  }

  protected headersArrived(): void {}
  protected abstract failed(errorType: string, detail: string): void;
}

class PrepareExchange extends Exchange {
  constructor(
    events: HubEvents,
    readonly t: Transfer,
  ) {
    super(events);
  }

  override onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    this.events.prepareSent(this.t, performance.now());
  }

  protected override headersArrived(): void {
    if (this.status === 202) this.events.prepareAccepted(this.t, performance.now());
  }

  protected failed(errorType: string, detail: string): void {
    this.t.req = undefined;
    if (!this.t.done) this.events.prepareFailed(this.t, errorType, detail);
  }

  override onComplete(): void {
    this.t.req = undefined;
    super.onComplete();
  }
}

class PutExchange extends Exchange {
  constructor(
    events: HubEvents,
    readonly transferId: string,
  ) {
    super(events);
  }

  protected failed(errorType: string, detail: string): void {
    this.events.payeeCallbackFailed(this.transferId, errorType, detail);
  }
}

/** What a transfer keeps of its prepare request: a way to abort it on timeout. */
export interface PendingRequest {
  abort: ((err?: Error) => void) | undefined;
}

/**
 * The engine's HTTP client towards the hub's FSPIOP API (ml-api-adapter): two keep-alive pools,
 * one for the payer role (prepares) and one for the payee role (fulfils, errors), as two DFSP
 * systems would have. Timeouts are the engine's (per transfer), not the pool's.
 */
export class HubClient {
  private readonly payer: Http1Pool;
  private readonly payee: Http1Pool;
  private readonly prepares: string;
  private readonly transfers: string;
  private readonly events: HubEvents;

  constructor(url: string, events: HubEvents, connections = 128) {
    const u = new URL(url);
    this.payer = new Http1Pool(u, connections);
    this.payee = new Http1Pool(u, connections);
    const base = u.pathname.replace(/\/$/, '');
    this.prepares = `${base}/transfers`;
    this.transfers = `${base}/transfers/`;
    this.events = events;
  }

  /** Sends a prepare. `headers` is reused by the caller: it is read before this returns. */
  sendPrepare(t: Transfer, headers: RequestHeaders, body: string): void {
    const ex = new PrepareExchange(this.events, t);
    t.req = ex;
    this.payer.dispatch('POST', this.prepares, headers, body, ex);
  }

  /** PUT /transfers/{id} or /transfers/{id}/error, from the payee role. */
  sendPut(transferId: string, suffix: '' | '/error', headers: RequestHeaders, body: string): void {
    const ex = new PutExchange(this.events, transferId);
    this.payee.dispatch(
      'PUT',
      `${this.transfers}${encodeURIComponent(transferId)}${suffix}`,
      headers,
      body,
      ex,
    );
  }

  /**
   * Opens up to `n` keep-alive connections in each pool before the load starts, so the first
   * second's arrivals do not wait for connection set-up. Bounded to 2 s; nothing is counted.
   */
  async warm(n: number): Promise<void> {
    await Promise.all([this.payer.warm(n), this.payee.warm(n)]);
  }

  close(): Promise<void> {
    this.payer.close();
    this.payee.close();
    return Promise.resolve();
  }
}
