import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the single callback server delivers to the DFSP roles. `dfsp` comes from the path prefix or FSPIOP-Destination. */
export interface CallbackHandler {
  /** A prepare forwarded to a payee DFSP (POST /transfers). */
  prepare(dfsp: string | undefined, headers: IncomingHttpHeaders, body: string): number;
  /** PUT /transfers/{id}: a fulfil notification. Returns the HTTP status to answer. */
  transferPut(dfsp: string | undefined, id: string, headers: IncomingHttpHeaders, body: string): number;
  /** PUT /transfers/{id}/error. */
  transferError(dfsp: string | undefined, id: string, headers: IncomingHttpHeaders, body: string): number;
  /** Anything else under a DFSP (PATCH notifications, unknown resources). */
  other(method: string, path: string): number;
  metrics(): Promise<{ contentType: string; text: string }>;
}

/** An extra GET route: answers on `res` and returns true, or returns false to fall through. */
export type ExtraGetRoute = (path: string, query: string, res: ServerResponse) => boolean;

const ROUTE = /^(?:\/([^/]+))?\/transfers(?:\/([^/]+)(\/error)?)?\/?$/;
const MAX_BODY = 64 * 1024;

function dfspOf(prefix: string | undefined, headers: IncomingHttpHeaders): string | undefined {
  if (prefix !== undefined) return decodeURIComponent(prefix);
  const d = headers['fspiop-destination'];
  return typeof d === 'string' ? d : undefined;
}

/**
 * One HTTP server for the callbacks of every DFSP: `/{dfsp}/transfers[/{id}[/error]]`
 * (the URLs registered as the DFSPs' FSPIOP_CALLBACK_URL_TRANSFER_*), plain `/transfers...`
 * routed by FSPIOP-Destination, `GET /metrics` and `GET /health`.
 * Answers at once (202 / 200) and hands the body over; it never throws on bad input.
 */
export class CallbackServer {
  private readonly server: http.Server;
  private readonly handler: CallbackHandler;
  private readonly extraGet: ExtraGetRoute | undefined;

  /** `extraGet` may answer other GET requests (the DFSP simulator's outcome endpoint); true when it did. */
  constructor(handler: CallbackHandler, extraGet?: ExtraGetRoute) {
    this.handler = handler;
    this.extraGet = extraGet;
    this.server = http.createServer({ keepAlive: true, keepAliveTimeout: 65_000 }, (req, res) =>
      this.onRequest(req, res),
    );
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    this.server.maxRequestsPerSocket = 0;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const a = this.server.address() as AddressInfo;
    return { host: a.address, port: a.port };
  }

  /** Stops listening and drops every connection (the run is over; the hub's keep-alives too). */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (req.method === 'GET') {
      req.resume();
      if (this.extraGet?.(path, q < 0 ? '' : url.slice(q + 1), res)) return;
      if (path === '/metrics') {
        this.handler.metrics().then(
          (m) => {
            res.writeHead(200, { 'content-type': m.contentType });
            res.end(m.text);
          },
          (err: Error) => {
            res.writeHead(500);
            res.end(err.message);
          },
        );
        return;
      }
      res.writeHead(path === '/health' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(path === '/health' ? '{"status":"OK"}' : '{}');
      return;
    }
    let body = '';
    let tooBig = false;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (body.length + chunk.length > MAX_BODY) tooBig = true;
      else body += chunk;
    });
    req.on('end', () => {
      const status = tooBig ? 413 : this.route(req.method ?? '', path, req.headers, body);
      res.writeHead(status, { 'content-length': '0' });
      res.end();
    });
    req.on('error', () => res.destroy());
  }

  private route(method: string, path: string, headers: IncomingHttpHeaders, body: string): number {
    const m = ROUTE.exec(path);
    if (!m) return this.handler.other(method, path);
    const dfsp = dfspOf(m[1], headers);
    const id = m[2];
    if (id === undefined)
      return method === 'POST' ? this.handler.prepare(dfsp, headers, body) : this.handler.other(method, path);
    if (method !== 'PUT') return this.handler.other(method, path);
    return m[3]
      ? this.handler.transferError(dfsp, id, headers, body)
      : this.handler.transferPut(dfsp, id, headers, body);
  }
}
