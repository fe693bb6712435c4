import { closeSync, openSync, readSync } from 'node:fs';
import { createReadStream } from 'node:fs';
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

/**
 * Yields the file's text in chunks that hold whole lines only (plain or gzip, told by its magic
 * bytes). A damaged gzip ends the stream early: what was decoded up to the damage is yielded (its
 * last, incomplete line dropped) and `source.damage` says what happened. Memory: one chunk.
 */
export async function* lineChunks(source: ChunkSource): AsyncGenerator<Buffer> {
  source.gzip = isGzip(source.path);
  const input = createReadStream(source.path, { highWaterMark: 1 << 20 });
  const stream = source.gzip ? input.pipe(createGunzip({ chunkSize: 1 << 20 })) : input;
  if (source.gzip) input.on('error', (err) => stream.destroy(err));
  let carry: Buffer | undefined;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      carry = undefined;
      const last = buf.lastIndexOf(10);
      if (last < 0) {
        carry = buf;
        continue;
      }
      if (last + 1 < buf.length) carry = Buffer.from(buf.subarray(last + 1));
      yield buf.subarray(0, last + 1);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    source.damage =
      code === 'Z_BUF_ERROR'
        ? 'the gzip stream ends early (truncated file: the writer was killed?)'
        : `the gzip stream is corrupt (${(err as Error).message})`;
    if (carry?.length) source.damage += '; its last, incomplete line was dropped';
    return;
  } finally {
    input.destroy();
  }
  // k6 ends every line with a newline: text after the last one was cut off mid-write.
  if (carry?.length)
    source.damage = `the last line is incomplete (${carry.length} bytes dropped: the writer was killed?)`;
}
