import { type Dispatcher, Pool } from 'undici';

/** The FSPIOP headers the stub hub forwards on a callback (undefined ones are left out). */
export interface CallbackHeaders {
  'content-type': string | undefined;
  date: string | undefined;
  'fspiop-source': string | undefined;
  'fspiop-destination': string | undefined;
  accept: string | undefined;
}

/** A registered callback URL, split once: its origin's pool and the path around `{{transferId}}`. */
interface Endpoint {
  /** As registered (listed back by GET .../endpoints). */
  value: string;
  origin: string;
  pool: Pool;
  /** The path before the transfer id (the whole path when the template has none). */
  prefix: string;
  /** The path after the transfer id; undefined when the template has none. */
  suffix: string | undefined;
}

const ID = '{{transferId}}';

/** Answers are not read; a failed callback is not retried (as the stub never did). */
const IGNORE: Dispatcher.DispatchHandlers = {
  onConnect() {},
  onHeaders: () => true,
  onData: () => true,
  onComplete() {},
  onError() {},
};

/** Tells `answered` the status of the callback's answer (not called when the request fails). */
class StatusHandler implements Dispatcher.DispatchHandlers {
  constructor(private readonly answered: (status: number) => void) {}
  onConnect(): void {}
  onHeaders(status: number): boolean {
    this.answered(status);
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {}
  onError(): void {}
}

/**
 * The DFSPs' callback endpoints as registered on the stub hub, and the keep-alive client that
 * calls them: one undici pool per origin, the URL template parsed once per DFSP and type.
 */
export class CallbackEndpoints {
  private readonly byDfsp = new Map<string, Map<string, Endpoint>>();
  private readonly pools = new Map<string, Pool>();

  /** Registers (or replaces) a DFSP's endpoint of one type. Throws on a URL that does not parse. */
  register(dfsp: string, type: string, value: string): void {
    const at = value.indexOf(ID);
    const url = new URL(at < 0 ? value : value.slice(0, at));
    let pool = this.pools.get(url.origin);
    if (!pool) {
      pool = new Pool(url.origin, {
        connections: 64,
        pipelining: 1,
        keepAliveTimeout: 60_000,
        // no per-request timers: a callback the engine never answers is the engine's business
        headersTimeout: 0,
        bodyTimeout: 0,
      });
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
    ep.pool.dispatch(
      { method, path, headers: headers as unknown as Record<string, string>, body },
      answered ? new StatusHandler(answered) : IGNORE,
    );
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    this.byDfsp.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }

  private closeIfUnused(origin: string): void {
    for (const types of this.byDfsp.values()) for (const e of types.values()) if (e.origin === origin) return;
    const pool = this.pools.get(origin);
    this.pools.delete(origin);
    void pool?.close().catch(() => {});
  }
}
