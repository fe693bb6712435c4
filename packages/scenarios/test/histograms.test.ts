import { describe, expect, it } from 'vitest';

import { newHistogram, recordMs, snapshot } from '../src/engine/histograms.js';
import { decodeSnapshot } from '../src/engine/histograms.js';

describe('latency snapshots', () => {
  it("match the library's own percentiles and mean, and carry the mergeable histogram", () => {
    const h = newHistogram();
    let x = 7;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 48271) % 2147483647;
      recordMs(h, (x % 100_000) / 100 + (i % 97 === 0 ? 2500 : 0));
    }
    const s = snapshot(h, true);
    expect(s).toBeDefined();
    if (!s) return;
    expect(s.count).toBe(20_000);
    for (const [p, v] of [
      [50, s.p50],
      [90, s.p90],
      [95, s.p95],
      [99, s.p99],
    ] as const)
      expect(v).toBeCloseTo(h.getValueAtPercentile(p) / 1000, 3);
    expect(s.mean).toBeCloseTo(h.mean / 1000, 2);
    expect(s.max).toBeCloseTo(h.maxValue / 1000, 3);
    const back = decodeSnapshot(s.hdr as string);
    expect(back.totalCount).toBe(20_000);
    expect(back.getValueAtPercentile(99)).toBe(h.getValueAtPercentile(99));
    expect(snapshot(newHistogram(), true)).toBeUndefined();
  });
});
