import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/**
 * Streams a file line by line as Buffers (plain or gzip, by magic bytes or `.gz`), without decoding
 * lines the caller does not need. Memory stays bounded by the stream's chunk size.
 */
export async function forEachLine(
  path: string,
  onLine: (buf: Buffer, start: number, end: number) => void,
): Promise<number> {
  const gz = path.endsWith('.gz');
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = gz ? input.pipe(createGunzip({ chunkSize: 1 << 20 })) : input;
  let carry: Buffer | undefined;
  let lines = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let buf = chunk;
      if (carry) {
        buf = Buffer.concat([carry, chunk]);
        carry = undefined;
      }
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0) break;
        if (nl > start) {
          onLine(buf, start, nl);
          lines++;
        }
        start = nl + 1;
      }
      if (start < buf.length) carry = Buffer.from(buf.subarray(start));
    }
  } finally {
    input.destroy();
  }
  if (carry && carry.length > 0) {
    onLine(carry, 0, carry.length);
    lines++;
  }
  return lines;
}
