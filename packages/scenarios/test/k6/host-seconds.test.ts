import { spawn } from 'node:child_process';
import type { TimeseriesRecord } from '@mlperf/core';
import { describe, expect, it, vi } from 'vitest';
import { K6HostWatch, processCpuSeconds } from '../../src/k6/host-seconds.js';

describe('host and generator CPU beside a local k6', () => {
  it('reads utime + stime from /proc/<pid>/stat, with spaces and parentheses in the command name', () => {
    const stat = '4242 (k6 (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 130 0 0 20 0 9 0 500 0 0';
    expect(processCpuSeconds(stat)).toBe(3.8);
    expect(processCpuSeconds('garbage')).toBeUndefined();
  });

  it.skipIf(process.platform !== 'linux')(
    'sees a busy child process and the host, second by second',
    async () => {
      const hog = spawn(
        process.execPath,
        ['-e', 'const end = Date.now() + 20000; while (Date.now() < end) {}'],
        {
          stdio: 'ignore',
        },
      );
      const watch = new K6HostWatch(() => hog.pid);
      try {
        watch.start();
        const t0 = Math.floor(Date.now() / 1000) * 1000;
        const records = () =>
          watch.attach(
            [1, 2, 3, 4, 5].map(
              (i) =>
                ({ t: t0 + i * 1000, k6: { droppedIterations: 0, vus: 1, vusMax: 1 } }) as TimeseriesRecord,
            ),
          );
        await vi.waitFor(
          () => {
            const seen = records().filter((r) => r.host && r.k6?.cpu !== undefined);
            expect(seen.length).toBeGreaterThanOrEqual(2);
          },
          { timeout: 15_000, interval: 200 },
        );
        const seen = records().filter((r) => r.k6?.cpu !== undefined);
        // the hog spins one core: at least a good part of one, whatever else runs beside it
        expect(Math.max(...seen.map((r) => r.k6?.cpu ?? 0))).toBeGreaterThan(0.2);
        expect(seen.every((r) => (r.host?.busy ?? 0) > 0 && (r.host?.cores ?? 0) >= 1)).toBe(true);
      } finally {
        watch.stop();
        hog.kill();
      }
    },
  );
});
