import { type ExchangeHandler, Http1Pool } from '../../src/engine/http1-client.js';

/** The headers of a callback (lower-case names). */
export type CallbackHeaders = Record<string, string>;

/** A registered callback URL, split once: its origin's pool and the path around `{{transferId}}`. */
interface Endpoint {
  /** As registered (listed back by GET .../endpoints). */
  value: string;
  origin: string;
  pool: Http1Pool;
  /** The path before the transfer id (the whole path when the template has none). */
  prefix: string;
  /** The path after the transfer id; undefined when the template has none. */
  suffix: string | undefined;
}

const ID = '{{transferId}}';

/** Answers are not read; a failed callback is not retried (as the stub never did). */
const IGNORE: ExchangeHandler = {
  onConnect() {},
  onHeaders() {},
  onData() {},
  onComplete() {},
  onError() {},
};

/** Tells `answered` the status of the callback's answer (not called when the request fails). */
class StatusHandler implements ExchangeHandler {
  constructor(private readonly answered: (status: number) => void) {}
  onConnect(): void {}
  onHeaders(status: number): void {
    this.answered(status);
  }
  onData(): void {}
  onComplete(): void {}
  onError(): void {}
}

/**
 * The DFSPs' callback endpoints as registered on the stub hub, and the client that calls them:
 * one keep-alive pool per origin (the engine's lean HTTP/1.1 client), each URL template split
 * once per DFSP and type around `{{transferId}}`.
 */
export class CallbackEndpoints {
  private readonly byDfsp = new Map<string, Map<string, Endpoint>>();
  private readonly pools = new Map<string, Http1Pool>();

  /** Registers (or replaces) a DFSP's endpoint of one type. Throws on a URL that does not parse. */
  register(dfsp: string, type: string, value: string): void {
    const at = value.indexOf(ID);
    const url = new URL(at < 0 ? value : value.slice(0, at));
    let pool = this.pools.get(url.origin);
    if (!pool) {
      pool = new Http1Pool(url, 64);
      this.pools.set(url.origin, pool);
    }
    // the path as the stub always sent it: no query, no fragment
    const suffix = at < 0 ? undefined : value.slice(at + ID.length).replace(/[?#].*$/, '');
    const ep: Endpoint = { value, origin: url.origin, pool, prefix: url.pathname, suffix };
    let types = this.byDfsp.get(dfsp);
    if (!types) {
      types = new Map();
      this.byDfsp.set(dfsp, types);
    }
    const old = types.get(type);
    types.set(type, ep);
    if (old && old.origin !== ep.origin) this.closeIfUnused(old.origin);
  }

  /** A DFSP's endpoints as registered. */
  list(dfsp: string): { type: string; value: string }[] {
    return [...(this.byDfsp.get(dfsp) ?? [])].map(([type, e]) => ({ type, value: e.value }));
  }

  /** Calls a DFSP's endpoint of `type` (nothing when none is registered). */
  send(
    dfsp: string,
    type: string,
    transferId: string,
    method: 'POST' | 'PUT',
    headers: CallbackHeaders,
    body: string,
    answered?: (status: number) => void,
  ): void {
    const ep = this.byDfsp.get(dfsp)?.get(type);
    if (!ep) return;
    const path = ep.suffix === undefined ? ep.prefix : ep.prefix + transferId + ep.suffix;
    ep.pool.dispatch(method, path, headers, body, answered ? new StatusHandler(answered) : IGNORE);
  }

  /** Drops every connection; callbacks still under way are lost. */
  close(): void {
    const pools = [...this.pools.values()];
    this.pools.clear();
    this.byDfsp.clear();
    for (const p of pools) p.close();
  }

  private closeIfUnused(origin: string): void {
    for (const types of this.byDfsp.values()) for (const e of types.values()) if (e.origin === origin) return;
    const pool = this.pools.get(origin);
    this.pools.delete(origin);
    pool?.close();
  }
}
