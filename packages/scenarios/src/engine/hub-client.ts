import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
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
 * undici dispatch handler of one request: an object with methods, no closures. The body is only
 * kept for error answers (to log the FSPIOP error).
 */
abstract class Exchange {
  status = 0;
  body = '';
  abort: ((err?: Error) => void) | undefined = undefined;
  constructor(protected readonly events: HubEvents) {}

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    this.headersArrived();
    return true;
  }

  onData(chunk: Buffer): boolean {
    if ((this.status < 200 || this.status >= 300) && this.body.length < 4096)
      this.body += chunk.toString('utf8');
    return true;
  }

  onComplete(): void {
    const ok = this.status >= 200 && this.status < 300;
    this.events.request(!ok);
    if (ok) return;
    const f = classifyHttpFailure(this.status, this.body);
    this.failed(f.errorType, f.detail);
  }

  onError(err: Error): void {
    this.events.request(true);
    this.failed('connection', connectionDetail(err));
  }

  onUpgrade(): void {}
  onBodySent(): void {}
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
 * The engine's HTTP client towards the hub's FSPIOP API (ml-api-adapter): undici keep-alive pools,
 * one for the payer role (prepares) and one for the payee role (fulfils, errors), as two DFSP
 * systems would have. Timeouts are the engine's (per transfer), not the pool's.
 */
export class HubClient {
  private readonly payer: Pool;
  private readonly payee: Pool;
  private readonly base: string;
  private readonly events: HubEvents;

  constructor(url: string, events: HubEvents, connections = 128) {
    const u = new URL(url);
    const origin = u.origin;
    const options = {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: 0,
      bodyTimeout: 0,
    };
    this.payer = new Pool(origin, options);
    this.payee = new Pool(origin, options);
    this.base = u.pathname.replace(/\/$/, '');
    this.events = events;
  }

  /** Sends a prepare. `headers` is reused by the caller: undici reads it before returning. */
  sendPrepare(t: Transfer, headers: RequestHeaders, body: string): void {
    const ex = new PrepareExchange(this.events, t);
    t.req = ex;
    this.payer.dispatch({ method: 'POST', path: `${this.base}/transfers`, headers, body }, ex);
  }

  /** PUT /transfers/{id} or /transfers/{id}/error, from the payee role. */
  sendPut(transferId: string, suffix: '' | '/error', headers: RequestHeaders, body: string): void {
    this.payee.dispatch(
      { method: 'PUT', path: `${this.base}/transfers/${transferId}${suffix}`, headers, body },
      new PutExchange(this.events, transferId),
    );
  }

  /**
   * Opens up to `n` keep-alive connections in each pool before the load starts (GET /health; the
   * answer does not matter), so the first second's arrivals do not wait for connection set-up.
   * Bounded to 2 s; nothing is counted.
   */
  async warm(n: number): Promise<void> {
    const one = (pool: Pool) =>
      pool.request({ method: 'GET', path: `${this.base}/health`, signal: AbortSignal.timeout(2000) }).then(
        (r) => r.body.dump(),
        () => {},
      );
    await Promise.all(Array.from({ length: n }, () => [one(this.payer), one(this.payee)]).flat());
  }

  async close(): Promise<void> {
    await Promise.all([this.payer.destroy(), this.payee.destroy()]);
  }
}

export type { IncomingHttpHeaders };
