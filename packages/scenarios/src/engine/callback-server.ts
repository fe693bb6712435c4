import type { Http1Handler, Reply } from './http1-connection.js';
import type { ParsedRequest } from './http1-parser.js';
import { Http1Server } from './http1-server.js';

/** What the single callback server delivers to the DFSP roles. `dfsp` comes from the path prefix or FSPIOP-Destination. */
export interface CallbackHandler {
  /** A prepare forwarded to a payee DFSP (POST /transfers). */
  prepare(dfsp: string | undefined, body: string): number;
  /** PUT /transfers/{id}: a fulfil notification. Returns the HTTP status to answer. */
  transferPut(dfsp: string | undefined, id: string, body: string): number;
  /** PUT /transfers/{id}/error. */
  transferError(dfsp: string | undefined, id: string, body: string): number;
  /** Anything else under a DFSP (PATCH notifications, unknown resources). */
  other(method: string, path: string): number;
  metrics(): Promise<{ contentType: string; text: string }>;
}

export type { Reply };

/** An extra GET route: answers through `reply` and returns true, or returns false to fall through. */
export type ExtraGetRoute = (path: string, query: string, reply: Reply) => boolean;

const ROUTE = /^(?:\/([^/]+))?\/transfers(?:\/([^/]+)(\/error)?)?\/?$/;
const MAX_BODY = 64 * 1024;
const MAX_HEAD = 16 * 1024;

function dfspOf(prefix: string | undefined, req: ParsedRequest): string | undefined {
  if (prefix !== undefined) return decodeURIComponent(prefix);
  const d = req.headers['fspiop-destination'];
  return typeof d === 'string' ? d : undefined;
}

/**
 * One HTTP server for the callbacks of every DFSP: `/{dfsp}/transfers[/{id}[/error]]`
 * (the URLs registered as the DFSPs' FSPIOP_CALLBACK_URL_TRANSFER_*), plain `/transfers...`
 * routed by FSPIOP-Destination, `GET /metrics` and `GET /health`.
 * Answers at once (202 / 200) and hands the body over; it never throws on bad input.
 */
export class CallbackServer {
  private readonly server: Http1Server;

  /** `extraGet` may answer other GET requests (the DFSP simulator's outcome endpoint); true when it did. */
  constructor(
    private readonly handler: CallbackHandler,
    private readonly extraGet?: ExtraGetRoute,
  ) {
    this.server = new Http1Server(this.onRequest, { maxHeadBytes: MAX_HEAD, maxBodyBytes: MAX_BODY });
  }

  listen(port = 0, host = '127.0.0.1'): Promise<{ host: string; port: number }> {
    return this.server.listen(port, host);
  }

  /** Stops listening and drops every connection (the run is over; the hub's keep-alives too). */
  close(): Promise<void> {
    return this.server.close();
  }

  private readonly onRequest: Http1Handler = (req, defer) => {
    const url = req.target;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (req.method === 'GET') {
      this.get(path, q < 0 ? '' : url.slice(q + 1), defer());
      return undefined;
    }
    try {
      return this.route(req, path);
    } catch (err) {
      // a DFSP in the path that does not decode (bad %-escape)
      if (err instanceof URIError) return 400;
      throw err;
    }
  };

  private get(path: string, query: string, reply: Reply): void {
    if (this.extraGet?.(path, query, reply)) return;
    if (path === '/metrics') {
      this.handler.metrics().then(
        (m) => reply.send(200, m.text, m.contentType),
        (err: Error) => reply.send(500, err.message, 'text/plain'),
      );
      return;
    }
    if (path === '/health') reply.send(200, '{"status":"OK"}', 'application/json');
    else reply.send(404, '{}', 'application/json');
  }

  private route(req: ParsedRequest, path: string): number {
    const { method, body } = req;
    const m = ROUTE.exec(path);
    if (!m) return this.handler.other(method, path);
    const dfsp = dfspOf(m[1], req);
    const id = m[2];
    if (id === undefined)
      return method === 'POST' ? this.handler.prepare(dfsp, body) : this.handler.other(method, path);
    if (method !== 'PUT') return this.handler.other(method, path);
    return m[3] ? this.handler.transferError(dfsp, id, body) : this.handler.transferPut(dfsp, id, body);
  }
}
