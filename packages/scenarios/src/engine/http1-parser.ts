import { ChunkedDecoder } from './http1-chunked.js';
import { decimal, hasToken, parseHead, type RequestHead } from './http1-head.js';

/** One complete request. */
export type ParsedRequest = RequestHead;

/** The statuses a request is refused with; the connection closes after the answer. */
export type ParseErrorStatus = 400 | 413 | 417 | 431 | 501 | 505;

/** Where the parser delivers what it found, synchronously, in order. */
export interface ParserSink {
  request(r: ParsedRequest): void;
  /** `Expect: 100-continue` with a body not yet received: the client may be waiting for `100 Continue`. */
  expectContinue(): void;
  /** The input is refused: nothing more is parsed on this connection. */
  error(status: ParseErrorStatus, reason: string): void;
}

export interface ParserLimits {
  /** Request line + header fields (and a chunked body's trailer), bytes. */
  maxHeadBytes: number;
  maxBodyBytes: number;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');

/**
 * Incremental HTTP/1.1 request parser over raw socket bytes: heads up to CRLFCRLF, bodies by
 * Content-Length or chunked transfer coding, any number of pipelined requests per chunk, input
 * split at any byte. Bytes are copied only when a head or body spans chunks.
 */
export class Http1Parser {
  private rest: Buffer | undefined;
  /** Bytes of `rest` already searched for CRLFCRLF. */
  private scanned = 0;
  private head: ParsedRequest | undefined;
  private remaining = 0;
  private parts: Buffer[] = [];
  private chunked: ChunkedDecoder | undefined;
  private dead = false;

  constructor(
    private readonly limits: ParserLimits,
    private readonly sink: ParserSink,
  ) {}

  push(chunk: Buffer): void {
    if (this.dead) return;
    let buf = chunk;
    if (this.rest) {
      buf = Buffer.concat([this.rest, chunk]);
      this.rest = undefined;
    }
    let pos = 0;
    while (!this.dead && pos < buf.length) {
      const next = this.head ? this.body(buf, pos) : this.startRequest(buf, pos);
      if (next < 0) return;
      pos = next;
    }
  }

  /** Parses a head at `pos`; returns the position after it, or -1 when more bytes are needed. */
  private startRequest(buf: Buffer, from: number): number {
    let pos = from;
    // RFC 9112 section 2.2: empty lines before a request line are ignored
    while (buf[pos] === 0x0d && buf[pos + 1] === 0x0a) pos += 2;
    if (pos >= buf.length || (buf[pos] === 0x0d && pos + 1 === buf.length)) {
      this.keep(buf, pos, 0);
      return -1;
    }
    const end = buf.indexOf(CRLFCRLF, pos + Math.max(0, this.scanned - 3));
    if (end < 0 || end - pos > this.limits.maxHeadBytes) {
      if (end >= 0 || buf.length - pos > this.limits.maxHeadBytes)
        return this.fail(431, 'request head too large');
      this.keep(buf, pos, buf.length - pos);
      return -1;
    }
    this.scanned = 0;
    const head = parseHead(buf.toString('latin1', pos, end));
    if ('status' in head) return this.fail(head.status, head.reason);
    return this.frame(head, buf, end + 4);
  }

  /** Decides how the body is delimited (RFC 9112 section 6.3). */
  private frame(r: ParsedRequest, buf: Buffer, pos: number): number {
    const [host, expect, conn, cl, te] = r.framing;
    r.keepAlive = r.http11
      ? conn === undefined || !hasToken(conn, 'close')
      : conn !== undefined && hasToken(conn, 'keep-alive');
    if (r.http11 && host === undefined) return this.fail(400, 'HTTP/1.1 request without Host');
    if (expect !== undefined && expect.toLowerCase() !== '100-continue')
      return this.fail(417, `Expect: ${expect} is not supported`);
    if (te !== undefined) {
      if (cl !== undefined) return this.fail(400, 'both Transfer-Encoding and Content-Length');
      if (!r.http11) return this.fail(400, 'Transfer-Encoding in an HTTP/1.0 request');
      if (te.toLowerCase() !== 'chunked') return this.fail(501, `Transfer-Encoding ${te} is not supported`);
      this.chunked = new ChunkedDecoder(this.limits.maxBodyBytes, this.limits.maxHeadBytes);
    } else if (cl !== undefined) {
      this.remaining = decimal(cl);
      if (this.remaining < 0) return this.fail(400, `invalid Content-Length ${cl}`);
      if (this.remaining > this.limits.maxBodyBytes) return this.fail(413, 'request body too large');
      if (this.remaining === 0) return this.emit(r, pos);
      if (buf.length - pos >= this.remaining) {
        r.body = buf.toString('utf8', pos, pos + this.remaining);
        return this.emit(r, pos + this.remaining);
      }
    } else {
      // no framing: a request without a body
      return this.emit(r, pos);
    }
    this.head = r;
    if (expect !== undefined) this.sink.expectContinue();
    return pos;
  }

  /** Body bytes of the pending request from `pos`; returns the position after what it used. */
  private body(buf: Buffer, pos: number): number {
    const r = this.head as ParsedRequest;
    const ch = this.chunked;
    if (ch) {
      const res = ch.feed(buf, pos);
      if (res.status === 'more') return res.pos;
      if (res.status !== 'done')
        return this.fail(
          res.status,
          res.status === 413 ? 'request body too large' : 'malformed chunked body',
        );
      r.body =
        ch.parts.length === 1
          ? (ch.parts[0] as Buffer).toString('utf8')
          : Buffer.concat(ch.parts).toString('utf8');
      this.chunked = undefined;
      return this.emit(r, res.pos);
    }
    const n = Math.min(this.remaining, buf.length - pos);
    this.parts.push(buf.subarray(pos, pos + n));
    this.remaining -= n;
    if (this.remaining > 0) return pos + n;
    r.body = Buffer.concat(this.parts).toString('utf8');
    this.parts = [];
    return this.emit(r, pos + n);
  }

  private emit(r: ParsedRequest, pos: number): number {
    this.head = undefined;
    this.sink.request(r);
    if (!r.keepAlive) this.dead = true;
    return pos;
  }

  private keep(buf: Buffer, pos: number, scanned: number): void {
    this.rest = pos === 0 ? buf : buf.subarray(pos);
    this.scanned = scanned;
  }

  private fail(status: ParseErrorStatus, reason: string): number {
    this.dead = true;
    this.head = undefined;
    this.chunked = undefined;
    this.parts = [];
    this.rest = undefined;
    this.sink.error(status, reason);
    return -1;
  }
}
