import type { Socket } from 'node:net';
import { bodyAnswer, CONTINUE, emptyAnswer, KEEP_ALIVE_S } from './http1-answers.js';
import { Http1Parser, type ParsedRequest, type ParseErrorStatus, type ParserLimits } from './http1-parser.js';

/** An answer given later than the request (a GET that waits, or that builds its body asynchronously). */
export interface Reply {
  /** Sends the answer; later calls do nothing. */
  send(status: number, body: string, contentType: string): void;
  /** True once answered or once the connection is gone. */
  readonly closed: boolean;
  /** Called if the connection goes before the answer was sent. */
  onAbort(fn: () => void): void;
  /**
   * Destroys the connection at once without answering (a peer that resets it, for fault
   * injection): answers not yet written out are lost, requests pipelined behind are not handled.
   */
  drop(): void;
}

/**
 * Answers a request: with a status (an empty answer, sent at once) or, after taking `defer()`,
 * with undefined (the answer goes through the Reply, in request order).
 */
export type Http1Handler = (req: ParsedRequest, defer: () => Reply) => number | undefined;

class Slot implements Reply {
  bytes: Buffer | undefined;
  close = false;
  gone = false;
  aborts: (() => void)[] | undefined;
  constructor(private readonly conn: Connection) {}

  get closed(): boolean {
    return this.gone || this.bytes !== undefined;
  }

  send(status: number, body: string, contentType: string): void {
    if (this.closed) return;
    this.bytes = bodyAnswer(status, body, contentType, this.close);
    this.conn.flush();
  }

  onAbort(fn: () => void): void {
    if (this.aborts) this.aborts.push(fn);
    else this.aborts = [fn];
  }

  drop(): void {
    this.gone = true;
    this.conn.destroy();
  }
}

/**
 * One client connection: bytes in through the parser, answers out in request order (an answer
 * given at once goes straight to the socket unless an earlier deferred one is still pending).
 */
export class Connection {
  private readonly parser: Http1Parser;
  private readonly queue: Slot[] = [];
  private continueWanted = false;
  private peerEnded = false;
  private closing = false;
  private deferred: Slot | undefined;
  private current: ParsedRequest | undefined;

  constructor(
    private readonly socket: Socket,
    private readonly handler: Http1Handler,
    limits: ParserLimits,
  ) {
    this.parser = new Http1Parser(limits, this);
    socket.setNoDelay(true);
    socket.setTimeout(KEEP_ALIVE_S * 1000, () => {
      if (this.queue.length === 0) socket.destroy();
    });
    socket.on('data', (b: Buffer) => this.onData(b));
    socket.on('end', () => {
      this.peerEnded = true;
      this.endIfIdle();
    });
    socket.on('error', () => {});
    socket.on('close', () => this.onClose());
  }

  /** Drops the connection (the server is closing, or a handler dropped it): nothing more is answered or handled. */
  destroy(): void {
    this.closing = true;
    this.socket.destroy();
  }

  private onData(b: Buffer): void {
    this.socket.cork();
    try {
      this.parser.push(b);
    } catch {
      // the parser reports bad input through error(); a throw is a defect: drop the connection
      this.socket.destroy();
    } finally {
      this.socket.uncork();
    }
    // a client that pipelines without reading its answers: stop reading until they drain
    if (this.socket.writableNeedDrain && !this.socket.isPaused()) {
      this.socket.pause();
      this.socket.once('drain', () => this.socket.resume());
    }
  }

  /** ParserSink */
  request(r: ParsedRequest): void {
    // a handler dropped the connection: what was pipelined behind that request is not handled
    if (this.closing) return;
    this.continueWanted = false;
    this.deferred = undefined;
    this.current = r;
    let status: number | undefined;
    try {
      status = this.handler(r, this.defer);
    } catch {
      status = 500;
    }
    const d = this.deferred as Slot | undefined;
    if (d) {
      // a handler that deferred and then threw (or returned a status) answers through its slot
      if (status !== undefined) d.send(status, '', 'text/plain');
      return;
    }
    this.answer(emptyAnswer(status ?? 500, !r.keepAlive), !r.keepAlive);
  }

  /** ParserSink */
  expectContinue(): void {
    if (this.queue.length === 0) this.socket.write(CONTINUE);
    else this.continueWanted = true;
  }

  /** ParserSink */
  error(status: ParseErrorStatus, reason: string): void {
    this.continueWanted = false;
    this.answer(bodyAnswer(status, `${reason}\n`, 'text/plain', true), true);
    // the peer may never close its side: do not wait for it long
    this.socket.setTimeout(5000, () => this.socket.destroy());
  }

  private readonly defer = (): Reply => {
    const s = new Slot(this);
    s.close = this.current?.keepAlive === false;
    this.deferred = s;
    this.queue.push(s);
    return s;
  };

  private answer(bytes: Buffer, close: boolean): void {
    if (this.closing) return;
    if (this.queue.length > 0) {
      const s = new Slot(this);
      s.bytes = bytes;
      s.close = close;
      this.queue.push(s);
      return;
    }
    this.write(bytes, close);
  }

  private write(bytes: Buffer, close: boolean): void {
    if (close) {
      this.closing = true;
      this.socket.end(bytes);
    } else this.socket.write(bytes);
  }

  /** Sends the answers that are ready, in order. */
  flush(): void {
    while (!this.closing && this.queue.length > 0) {
      const s = this.queue[0] as Slot;
      if (s.bytes === undefined) return;
      this.queue.shift();
      this.write(s.bytes, s.close);
    }
    if (this.continueWanted && this.queue.length === 0) {
      this.continueWanted = false;
      this.socket.write(CONTINUE);
    }
    this.endIfIdle();
  }

  private endIfIdle(): void {
    if (this.peerEnded && this.queue.length === 0 && !this.closing) {
      this.closing = true;
      this.socket.end();
    }
  }

  private onClose(): void {
    this.closing = true;
    for (const s of this.queue.splice(0)) {
      s.gone = true;
      for (const fn of s.aborts ?? []) fn();
    }
  }
}
