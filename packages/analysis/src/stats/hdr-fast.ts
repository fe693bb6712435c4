import { inflateSync } from 'node:zlib';

/**
 * A fast reader of hdr-histogram-js `encodeIntoCompressedBase64` strings (HdrHistogram V2
 * compressed encoding: cookie, length, zlib of a 40-byte header and ZigZag-LEB128 counts with
 * negative runs of zeros). Reads only the non-zero counts, so merging thousands of per-second
 * histograms costs tens of microseconds each instead of building a full histogram per second.
 */
export interface SparseHistogram {
  /** Identifies the bucket layout; histograms with equal keys merge index by index. */
  key: string;
  digits: number;
  unitMagnitude: number;
  subBucketHalfCountMagnitude: number;
  indexes: Int32Array;
  counts: Float64Array;
  total: number;
}

const V2_COMPRESSED = 0x1c849304;
const V2 = 0x1c849303;

export function decodeSparse(b64: string): SparseHistogram | undefined {
  const raw = Buffer.from(b64, 'base64');
  if (raw.length < 8 || (raw.readInt32BE(0) & ~0xf0) !== V2_COMPRESSED) return undefined;
  const len = raw.readInt32BE(4);
  const data = inflateSync(raw.subarray(8, 8 + len));
  if (data.length < 40 || (data.readInt32BE(0) & ~0xf0) !== V2) return undefined;
  const payload = data.readInt32BE(4);
  const digits = data.readInt32BE(12);
  const lowest = Number(data.readBigInt64BE(16));
  const subBucketCountMagnitude = Math.ceil(Math.log2(2 * 10 ** digits));
  const h: SparseHistogram = {
    key: `${digits}/${lowest}`,
    digits,
    unitMagnitude: Math.floor(Math.log2(Math.max(1, lowest))),
    subBucketHalfCountMagnitude: Math.max(0, subBucketCountMagnitude - 1),
    indexes: new Int32Array(0),
    counts: new Float64Array(0),
    total: 0,
  };
  const idx: number[] = [];
  const cnt: number[] = [];
  let pos = 40;
  const end = Math.min(data.length, 40 + payload);
  let index = 0;
  while (pos < end) {
    // LEB128, up to 9 bytes (the 9th carries 8 bits); numbers stay below 2^53 in practice.
    let value = 0;
    let mul = 1;
    let i = 0;
    for (;;) {
      const byte = data[pos++] as number;
      if (i === 8) {
        value += byte * mul;
        break;
      }
      value += (byte & 0x7f) * mul;
      mul *= 128;
      i++;
      if ((byte & 0x80) === 0) break;
    }
    const n = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (n < 0) index += -n;
    else {
      if (n > 0) {
        idx.push(index);
        cnt.push(n);
        h.total += n;
      }
      index++;
    }
  }
  h.indexes = Int32Array.from(idx);
  h.counts = Float64Array.from(cnt);
  return h;
}

/** Lowest and highest value (microseconds) of the equivalence range at counts index `i`. */
export function rangeAt(
  h: Pick<SparseHistogram, 'unitMagnitude' | 'subBucketHalfCountMagnitude'>,
  i: number,
): [number, number] {
  const half = 2 ** h.subBucketHalfCountMagnitude;
  let bucket = Math.floor(i / half) - 1;
  let sub = (i % half) + half;
  if (bucket < 0) {
    sub -= half;
    bucket = 0;
  }
  const lo = sub * 2 ** (bucket + h.unitMagnitude);
  return [lo, lo + 2 ** (bucket + h.unitMagnitude) - 1];
}

/** Accumulates sparse histograms of one layout and answers percentiles as hdr-histogram-js does. */
export class SparseMerger {
  private counts = new Float64Array(4096);
  private maxIndex = -1;
  total = 0;
  constructor(
    readonly layout: Pick<SparseHistogram, 'key' | 'unitMagnitude' | 'subBucketHalfCountMagnitude'>,
  ) {}

  add(h: SparseHistogram): void {
    const n = h.indexes.length;
    const top = n ? (h.indexes[n - 1] as number) : -1;
    if (top >= this.counts.length) {
      const grown = new Float64Array(Math.max(top + 1, this.counts.length * 2));
      grown.set(this.counts);
      this.counts = grown;
    }
    for (let k = 0; k < n; k++) {
      const i = h.indexes[k] as number;
      this.counts[i] = (this.counts[i] as number) + (h.counts[k] as number);
    }
    if (top > this.maxIndex) this.maxIndex = top;
    this.total += h.total;
  }

  /** Values at percentiles ps (0..100, ascending), in the histogram's unit (microseconds). */
  percentiles(ps: readonly number[]): number[] {
    const out: number[] = [];
    let acc = 0;
    let j = 0;
    for (let i = 0; i <= this.maxIndex && j < ps.length; i++) {
      acc += this.counts[i] as number;
      while (
        j < ps.length &&
        acc >= Math.max(1, Math.ceil((Math.min(ps[j] as number, 100) / 100) * this.total))
      ) {
        out.push(rangeAt(this.layout, i)[1]);
        j++;
      }
    }
    const last = this.maxIndex < 0 ? 0 : rangeAt(this.layout, this.maxIndex)[1];
    while (out.length < ps.length) out.push(last);
    return out;
  }

  percentile(p: number): number {
    return this.percentiles([p])[0] as number;
  }

  maxValue(): number {
    return this.maxIndex < 0 ? 0 : rangeAt(this.layout, this.maxIndex)[1];
  }
}
