import net from 'node:net';
import tls from 'node:tls';
import { ResponseParser, type ResponseSink } from './http1-response.js';

/** What a request learns of its exchange; the engine's exchanges implement it. */
export interface ExchangeHandler {
  /** The request is on a connection and being written; `abort` ends it (and its connection). */
  onConnect(abort: (err?: Error) => void): void;
  onHeaders(status: number): void;
  /** A piece of the body; the buffer is reused after the call (copy what you keep). */
  onData(chunk: Buffer): void;
  onComplete(): void;
  /** No complete answer: connection refused or lost, malformed answer, aborted. Called once. */
  onError(err: Error): void;
}

/** One request, serialised once: head and body in one buffer. */
export interface Outgoing {
  bytes: Buffer;
  handler: ExchangeHandler;
}

/** An error of the lean client, with a code as node's socket errors have. */
export class ClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Where connections go: `tls` for an https origin (certificates checked as node does by default). */
export interface Origin {
  host: string;
  port: number;
  tls: boolean;
}

/** What a connection tells its pool. */
export interface ConnectionOwner {
  /** Free for the next request. */
  released(c: ClientConnection): void;
  /** Gone: never use it again. */
  removed(c: ClientConnection): void;
}

/**
 * Where plain connections read into (node's `onread`: no stream objects per read). One buffer
 * serves every connection: a read is parsed before the next one, and the parser copies what it keeps.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** How long an idle connection is reused when the server does not say (Keep-Alive: timeout=N). */
const DEFAULT_IDLE_MS = 3000;
/** Margin before the server's idle timeout, so a request does not race the server's close. */
const IDLE_MARGIN_MS = 1000;

/** One keep-alive connection carrying one request at a time. */
export class ClientConnection implements ResponseSink {
  private readonly socket: net.Socket;
  private readonly parser = new ResponseParser(this);
  private current: Outgoing | undefined;
  private connected = false;
  private gone = false;
  idleSince = 0;
  idleMs = DEFAULT_IDLE_MS;

  constructor(
    origin: Origin,
    private readonly owner: ConnectionOwner,
    first: Outgoing | undefined,
  ) {
    this.current = first;
    const { host, port } = origin;
    if (origin.tls) {
      this.socket = tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }) });
      this.socket.on('data', (b: Buffer) => this.onData(b));
    } else {
      const callback = (n: number): boolean => {
        this.onData(READ_BUFFER.subarray(0, n));
        return true;
      };
      this.socket = net.connect({ host, port, onread: { buffer: READ_BUFFER, callback } });
    }
    this.socket.setNoDelay(true);
    this.socket.on(origin.tls ? 'secureConnect' : 'connect', () => this.onConnected());
    this.socket.on('end', () => this.onEnd());
    this.socket.on('error', (err: Error) => this.fail(err));
    this.socket.on('close', () => this.fail(new ClientError('ECONNRESET', 'connection closed')));
  }

  /** Sends a request on this (connected, idle) connection. */
  send(o: Outgoing): void {
    this.current = o;
    o.handler.onConnect((err) => {
      if (this.current === o) this.fail(err ?? new ClientError('ABORTED', 'request aborted'));
    });
    this.socket.write(o.bytes);
  }

  /** Closes the connection; a request on it gets `err`. */
  fail(err: Error): void {
    if (this.gone) return;
    this.gone = true;
    this.socket.destroy();
    const o = this.current;
    this.current = undefined;
    this.owner.removed(this);
    o?.handler.onError(err);
  }

  head(status: number): void {
    this.current?.handler.onHeaders(status);
  }

  data(chunk: Buffer): void {
    if (chunk.length > 0) this.current?.handler.onData(chunk);
  }

  complete(reusable: boolean, keepAliveMs: number | undefined): void {
    const o = this.current;
    this.current = undefined;
    if (keepAliveMs !== undefined) this.idleMs = Math.max(0, keepAliveMs - IDLE_MARGIN_MS);
    o?.handler.onComplete();
    if (!reusable) this.fail(new ClientError('ECONNRESET', 'connection closed'));
    else if (!this.gone) this.owner.released(this);
  }

  error(reason: string): void {
    this.fail(new ClientError('EPROTO', `bad answer from the server: ${reason}`));
  }

  private onConnected(): void {
    this.connected = true;
    const o = this.current;
    if (o) this.send(o);
    else this.owner.released(this);
  }

  private onData(b: Buffer): void {
    if (this.current) this.parser.push(b);
    else this.fail(new ClientError('EPROTO', 'bytes from the server with no request outstanding'));
  }

  private onEnd(): void {
    this.parser.end();
    const reason = this.connected ? 'the server closed the connection' : 'connection refused';
    this.fail(new ClientError('ECONNRESET', reason));
  }
}
