import { closeSync, openSync, readSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/** What reading one file found: bytes of text read and, when the file was damaged, what was lost. */
export interface ChunkSource {
  path: string;
  gzip: boolean;
  /** Set when the file could not be read to its end (truncated or corrupt gzip). */
  damage?: string;
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

const SIZE = 4 << 20;

/** One reused buffer: bytes are appended behind what is left of the last line; whole lines are taken. */
class LineBuffer {
  buf = Buffer.allocUnsafe(SIZE);
  filled = 0;

  /** Room for `n` more bytes (grows only for a line longer than the buffer). */
  room(n: number): void {
    if (this.filled + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.filled + n));
    this.buf.copy(next, 0, 0, this.filled);
    this.buf = next;
  }

  /** The whole lines held, valid until the next call (then what follows the last newline moves to the front). */
  take(): Buffer | undefined {
    const last = this.buf.lastIndexOf(10, this.filled - 1);
    return last < 0 ? undefined : this.buf.subarray(0, last + 1);
  }

  /** Drops the lines `take` returned. */
  drop(taken: Buffer): void {
    this.buf.copyWithin(0, taken.length, this.filled);
    this.filled -= taken.length;
  }
}

async function* plain(path: string, lb: LineBuffer): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  try {
    for (;;) {
      lb.room(SIZE >> 1);
      const { bytesRead } = await fh.read(lb.buf, lb.filled, lb.buf.length - lb.filled, null);
      if (bytesRead === 0) return;
      lb.filled += bytesRead;
      const lines = lb.take();
      if (!lines) continue;
      yield lines;
      lb.drop(lines);
    }
  } finally {
    await fh.close();
  }
}

async function* gunzip(source: ChunkSource, lb: LineBuffer): AsyncGenerator<Buffer> {
  const input = createReadStream(source.path, { highWaterMark: 1 << 20 });
  const stream = input.pipe(createGunzip({ chunkSize: 1 << 20 }));
  input.on('error', (err) => stream.destroy(err));
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      lb.room(chunk.length);
      chunk.copy(lb.buf, lb.filled);
      lb.filled += chunk.length;
      const lines = lb.take();
      if (!lines) continue;
      yield lines;
      lb.drop(lines);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    source.damage =
      code === 'Z_BUF_ERROR'
        ? 'the gzip stream ends early (truncated file: the writer was killed?)'
        : `the gzip stream is corrupt (${(err as Error).message})`;
    if (lb.filled) source.damage += '; its last, incomplete line was dropped';
    lb.filled = 0;
  } finally {
    input.destroy();
  }
}

/**
 * Yields the file's text in chunks that hold whole lines only (plain or gzip, told by its magic
 * bytes), each valid until the next is asked for: one 4 MB buffer is reused. A damaged gzip ends
 * the stream early: what was decoded up to the damage is yielded (its last, incomplete line
 * dropped) and `source.damage` says what happened.
 */
export async function* lineChunks(source: ChunkSource): AsyncGenerator<Buffer> {
  source.gzip = isGzip(source.path);
  const lb = new LineBuffer();
  yield* source.gzip ? gunzip(source, lb) : plain(source.path, lb);
  // k6 ends every line with a newline: text after the last one was cut off mid-write.
  if (lb.filled)
    source.damage = `the last line is incomplete (${lb.filled} bytes dropped: the writer was killed?)`;
}
