/**
 * Decoder of a chunked request body (RFC 9112 section 7.1), fed byte ranges as they arrive:
 * `size[;ext] CRLF data CRLF ... 0 CRLF [trailer lines CRLF] CRLF`. Extensions and trailer
 * fields are read past and dropped. Sizes beyond `maxBody` stop it early.
 */
export type ChunkedStatus = 'more' | 'done' | 400 | 413 | 431;

enum S {
  Size,
  SizeWs,
  Ext,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  Trailer,
  TrailerLf,
}

const MAX_SIZE_LINE = 4096;

export class ChunkedDecoder {
  readonly parts: Buffer[] = [];
  length = 0;
  private s = S.Size;
  private size = 0;
  private digits = 0;
  private lineLen = 0;
  private trailerLen = 0;

  constructor(
    private readonly maxBody: number,
    private readonly maxTrailer: number,
  ) {}

  /** Consumes from `buf[pos]`; returns the new position and where the body stands. */
  feed(buf: Buffer, pos: number): { pos: number; status: ChunkedStatus } {
    const end = buf.length;
    while (pos < end) {
      if (this.s === S.Data) {
        const n = Math.min(this.size, end - pos);
        this.parts.push(buf.subarray(pos, pos + n));
        this.size -= n;
        pos += n;
        if (this.size === 0) this.s = S.DataCr;
        continue;
      }
      const status = this.byte(buf[pos] as number);
      pos++;
      if (status !== 'more') return { pos, status };
    }
    return { pos, status: 'more' };
  }

  private byte(c: number): ChunkedStatus {
    switch (this.s) {
      case S.Size: {
        const d = hex(c);
        if (d >= 0) {
          this.size = this.size * 16 + d;
          this.digits++;
          if (this.length + this.size > this.maxBody) return 413;
          return 'more';
        }
        if (this.digits === 0) return 400;
        return this.afterSize(c);
      }
      case S.SizeWs:
        return this.afterSize(c);
      case S.Ext:
        if (++this.lineLen > MAX_SIZE_LINE) return 400;
        if (c === 0x0d) this.s = S.SizeLf;
        else if (c === 0x0a || c === 0x00) return 400;
        return 'more';
      case S.SizeLf:
        if (c !== 0x0a) return 400;
        return this.startData();
      case S.DataCr:
        if (c !== 0x0d) return 400;
        this.s = S.DataLf;
        return 'more';
      case S.DataLf:
        if (c !== 0x0a) return 400;
        this.s = S.Size;
        this.size = 0;
        this.digits = 0;
        this.lineLen = 0;
        return 'more';
      case S.Trailer:
        return this.trailerByte(c);
      case S.TrailerLf:
        if (c !== 0x0a) return 400;
        if (this.lineLen === 0) return 'done';
        this.lineLen = 0;
        this.s = S.Trailer;
        return 'more';
      default:
        return 400;
    }
  }

  /** After the size digits: optional whitespace, `;extension`, then CRLF. */
  private afterSize(c: number): ChunkedStatus {
    if (c === 0x20 || c === 0x09) {
      this.s = S.SizeWs;
      return 'more';
    }
    if (c === 0x3b) {
      this.s = S.Ext;
      return 'more';
    }
    if (c === 0x0d) {
      this.s = S.SizeLf;
      return 'more';
    }
    return 400;
  }

  private startData(): ChunkedStatus {
    if (this.size === 0) {
      this.s = S.Trailer;
      this.lineLen = 0;
      return 'more';
    }
    this.length += this.size;
    this.s = S.Data;
    return 'more';
  }

  private trailerByte(c: number): ChunkedStatus {
    if (++this.trailerLen > this.maxTrailer) return 431;
    if (c === 0x0d) {
      this.s = S.TrailerLf;
      return 'more';
    }
    if (c === 0x0a || c === 0x00) return 400;
    this.lineLen++;
    return 'more';
  }
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}
