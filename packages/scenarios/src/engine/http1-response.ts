import { ChunkedDecoder } from './http1-chunked.js';
import { decimal, hasToken, scanFields } from './http1-head.js';

/** Where the response parser delivers one response, synchronously, in order. */
export interface ResponseSink {
  /** The status line and fields of the final (non-1xx) response are in. */
  head(status: number): void;
  /** A piece of the body (already de-chunked); valid during the call only. */
  data(chunk: Buffer): void;
  /**
   * The response is complete. `reusable`: the connection may carry another request;
   * `keepAliveMs`: how long the server said it keeps an idle connection (Keep-Alive: timeout=N).
   */
  complete(reusable: boolean, keepAliveMs: number | undefined): void;
  /** The bytes are not an HTTP/1.x response, or the connection ended inside one: close it. */
  error(reason: string): void;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const MAX_HEAD = 16 * 1024;
const MAX_CHUNKED_BODY = 1024 * 1024;
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-5]\d\d)(?: [^\r\n]*)?$/;
const KEEP_ALIVE_TIMEOUT = /(?:^|[,;\s])timeout=(\d+)/i;
/** The fields a response is framed by, in the order scanFields fills them. */
const FRAMING = ['connection', 'keep-alive', 'transfer-encoding', 'content-length'] as const;

type Framing = 'none' | 'length' | 'chunked' | 'close';

interface Head {
  status: number;
  framing: Framing;
  length: number;
  reusable: boolean;
  keepAliveMs: number | undefined;
}

/**
 * An HTTP/1.x response parser for a client that sends one request at a time on a connection:
 * skips 1xx interim answers, frames the body by Content-Length, chunked coding or the end of the
 * connection (RFC 9112 section 6.3). Anything after a complete response makes it not reusable.
 * The bytes pushed may be overwritten after `push` returns: what is kept across reads is copied.
 */
export class ResponseParser {
  private rest: Buffer | undefined;
  private scanned = 0;
  private current: Head | undefined;
  private remaining = 0;
  private chunked: ChunkedDecoder | undefined;
  private dead = false;

  constructor(private readonly sink: ResponseSink) {}

  push(chunk: Buffer): void {
    if (this.dead) return;
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = undefined;
    for (let pos = 0; pos >= 0 && pos < buf.length && !this.dead; )
      pos = this.current ? this.body(buf, pos, this.current) : this.head(buf, pos);
  }

  /** The peer ended the connection: completes a body that runs to the close, else an error. */
  end(): void {
    if (this.dead) return;
    if (this.current?.framing === 'close') this.finish(this.current, false);
    else if (this.current || this.rest) this.fail('the connection closed inside a response');
    this.dead = true;
  }

  /** Parses a head from `pos`; returns the position after it, or -1 to wait for more bytes. */
  private head(buf: Buffer, pos: number): number {
    const at = buf.indexOf(CRLFCRLF, Math.max(pos, this.scanned - 3));
    if (at < 0) {
      if (buf.length - pos > MAX_HEAD) this.fail('response head over 16 KiB');
      else {
        this.rest = Buffer.from(buf.subarray(pos));
        this.scanned = this.rest.length;
      }
      return -1;
    }
    this.scanned = 0;
    if (at - pos > MAX_HEAD) {
      this.fail('response head over 16 KiB');
      return -1;
    }
    const h = parseResponseHead(buf.toString('latin1', pos, at));
    if (typeof h === 'string') {
      this.fail(h);
      return -1;
    }
    if (h.status < 200) return at + 4; // interim (100 Continue, 103 Early Hints): the final one follows
    this.current = h;
    this.sink.head(h.status);
    if (h.framing === 'none' || (h.framing === 'length' && h.length === 0)) {
      this.finish(h, at + 4 === buf.length && h.reusable);
      return at + 4;
    }
    this.remaining = h.length;
    if (h.framing === 'chunked') this.chunked = new ChunkedDecoder(MAX_CHUNKED_BODY, MAX_HEAD);
    return at + 4;
  }

  private body(buf: Buffer, pos: number, h: Head): number {
    if (h.framing === 'close') {
      this.sink.data(buf.subarray(pos));
      return buf.length;
    }
    if (h.framing === 'length') {
      const n = Math.min(this.remaining, buf.length - pos);
      this.sink.data(buf.subarray(pos, pos + n));
      this.remaining -= n;
      if (this.remaining === 0) this.finish(h, pos + n === buf.length && h.reusable);
      return pos + n;
    }
    const dec = this.chunked as ChunkedDecoder;
    // the decoder keeps pieces of what it is fed: feed it a copy
    const r = dec.feed(Buffer.from(buf.subarray(pos)), 0);
    r.pos += pos;
    if (r.status === 'more') return r.pos;
    if (r.status !== 'done') {
      this.fail(`malformed chunked response body (${r.status})`);
      return -1;
    }
    if (dec.length > 0) this.sink.data(Buffer.concat(dec.parts, dec.length));
    this.finish(h, r.pos === buf.length && h.reusable);
    return r.pos;
  }

  /** One response is over; bytes after it in the same read mean the server is out of step. */
  private finish(h: Head, reusable: boolean): void {
    this.current = undefined;
    this.chunked = undefined;
    if (!reusable) this.dead = true;
    this.sink.complete(reusable, h.keepAliveMs);
  }

  private fail(reason: string): void {
    this.dead = true;
    this.current = undefined;
    this.rest = undefined;
    this.sink.error(reason);
  }
}

/** Status line and the fields that frame the body; a string says what is wrong. */
function parseResponseHead(text: string): Head | string {
  let eol = text.indexOf('\r\n');
  if (eol < 0) eol = text.length;
  const m = STATUS_LINE.exec(text.slice(0, eol));
  if (!m) return 'malformed status line';
  const status = Number(m[2]);
  if (status === 101) return 'unexpected 101 Switching Protocols';
  const values: (string | undefined)[] = [undefined, undefined, undefined, undefined];
  const err = scanFields(text, eol + 2, FRAMING, values);
  if (err) return `malformed response header (${err.reason})`;
  const [connection, keepAlive, te, cl] = values;
  const reusable =
    m[1] === '1'
      ? connection === undefined || !hasToken(connection, 'close')
      : connection !== undefined && hasToken(connection, 'keep-alive');
  const ka = keepAlive === undefined ? undefined : KEEP_ALIVE_TIMEOUT.exec(keepAlive);
  const keepAliveMs = ka ? Number(ka[1]) * 1000 : undefined;
  const h: Head = { status, framing: 'none', length: 0, reusable, keepAliveMs };
  if (status < 200 || status === 204 || status === 304) return h;
  if (te !== undefined) {
    if (/(?:^|,)\s*chunked\s*$/i.test(te)) h.framing = 'chunked';
    else closeDelimited(h);
    return h;
  }
  if (cl === undefined) return closeDelimited(h);
  const length = contentLength(cl);
  if (length < 0) return 'malformed Content-Length';
  h.framing = 'length';
  h.length = length;
  return h;
}

function closeDelimited(h: Head): Head {
  h.framing = 'close';
  h.reusable = false;
  return h;
}

/** Content-Length digits (a list of equal values is one value); -1 when malformed. */
function contentLength(value: string): number {
  const n = decimal(value);
  if (n >= 0 || !value.includes(',')) return n;
  const values = value.split(',').map((v) => v.trim());
  return values.every((v) => v === values[0]) ? decimal(values[0] as string) : -1;
}
