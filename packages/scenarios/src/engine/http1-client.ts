import {
  ClientConnection,
  ClientError,
  type ExchangeHandler,
  type Origin,
  type Outgoing,
} from './http1-client-connection.js';

export { ClientError, type ExchangeHandler };

/** Field values: visible ASCII, obs-text, SP and HTAB (no CR, LF or NUL: no header injection). */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** A request-target in origin-form: visible ASCII only. */
const BAD_PATH = /[^\x21-\x7e]/;

/**
 * A minimal HTTP/1.1 client for the engine's traffic to one origin: up to `max` keep-alive
 * connections on node:net, one request at a time on each, requests queued in order while all
 * are busy. A request is one buffer written once; the answer's body is passed through.
 * No redirects, no retries: a request whose connection fails gets `onError`.
 */
export class Http1Pool {
  private readonly idle: ClientConnection[] = [];
  private readonly all = new Set<ClientConnection>();
  private queue: Outgoing[] = [];
  private queueHead = 0;
  private closed = false;
  private readonly fixed: string;

  private readonly origin: Origin;

  /** `url`: http or https origin (a path in it is ignored); `max`: connections at most. */
  constructor(
    url: URL,
    private readonly max: number,
  ) {
    const tls = url.protocol === 'https:';
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.origin = { host, port: Number(url.port || (tls ? 443 : 80)), tls };
    this.fixed = `host: ${url.host}\r\nconnection: keep-alive\r\n`;
  }

  /** Sends `method path` with `headers` (lower-case names) and a body; the answer goes to `handler`. */
  dispatch(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string,
    handler: ExchangeHandler,
  ): void {
    const bytes = this.serialise(method, path, headers, body);
    if (bytes instanceof Error) handler.onError(bytes);
    else if (this.closed) handler.onError(new ClientError('ECLOSED', 'the client is closed'));
    else this.assign({ bytes, handler });
  }

  /** Opens up to `n` connections before the load starts; resolves when they are up, failed, or after 2 s. */
  async warm(n: number): Promise<void> {
    const deadline = performance.now() + 2000;
    while (this.all.size < Math.min(n, this.max))
      this.all.add(new ClientConnection(this.origin, this, undefined));
    while (performance.now() < deadline && this.idle.length < this.all.size && !this.closed)
      await new Promise((r) => setTimeout(r, 10));
  }

  /** Drops every connection; requests on them or queued get an error. */
  close(): void {
    this.closed = true;
    const err = new ClientError('ECLOSED', 'the client is closed');
    for (const c of [...this.all]) c.fail(err);
    for (const o of this.queue.slice(this.queueHead)) o.handler.onError(err);
    this.queue = [];
    this.queueHead = 0;
  }

  released(c: ClientConnection): void {
    const next = this.dequeue();
    if (next) c.send(next);
    else {
      c.idleSince = performance.now();
      this.idle.push(c);
    }
  }

  removed(c: ClientConnection): void {
    this.all.delete(c);
    const i = this.idle.lastIndexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
    if (this.closed) return;
    const next = this.dequeue();
    if (next) this.assign(next);
  }

  private assign(o: Outgoing): void {
    const now = performance.now();
    for (let c = this.idle.pop(); c; c = this.idle.pop()) {
      if (now - c.idleSince <= c.idleMs) {
        c.send(o);
        return;
      }
      c.fail(new ClientError('EIDLE', 'idle past the server keep-alive timeout'));
    }
    if (this.all.size < this.max) this.all.add(new ClientConnection(this.origin, this, o));
    else this.queue.push(o);
  }

  private dequeue(): Outgoing | undefined {
    if (this.queueHead >= this.queue.length) return undefined;
    const o = this.queue[this.queueHead++];
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    return o;
  }

  /** The request as bytes: head (latin1) and body (UTF-8) in one buffer, written with one call. */
  private serialise(
    method: string,
    path: string,
    headers: Record<string, string>,
    body: string,
  ): Buffer | Error {
    if (BAD_PATH.test(path)) return new ClientError('EINVAL', `invalid request path ${JSON.stringify(path)}`);
    let head = `${method} ${path} HTTP/1.1\r\n${this.fixed}`;
    for (const name in headers) {
      const value = headers[name] as string;
      if (BAD_VALUE.test(value)) return new ClientError('EINVAL', `invalid value of header ${name}`);
      head += `${name}: ${value}\r\n`;
    }
    const bodyBytes = Buffer.byteLength(body);
    head += `content-length: ${bodyBytes}\r\n\r\n`;
    const bytes = Buffer.allocUnsafe(head.length + bodyBytes);
    bytes.write(head, 0, 'latin1');
    if (bodyBytes > 0) bytes.write(body, head.length, 'utf8');
    return bytes;
  }
}
