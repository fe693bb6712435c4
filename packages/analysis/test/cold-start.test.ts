import { analyzeRun } from '@mlperf/analysis';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanTemp, constantTest, T0, tempDir, writeRun } from '@mlperf/testkit/synth';

afterAll(cleanTemp);

/** A switch started 40 s before the run: the first 12 s finish few transfers, slowly, then it settles. */
function coldRun(base: string, opts: { startedBeforeS?: number; warm?: boolean } = {}) {
  return writeRun(base, {
    test: constantTest('cold', 20, '60s'),
    seconds: 60,
    second: (s) =>
      opts.warm || s >= 12
        ? { offeredRate: 20, succeeded: 20, p50Ms: 400 }
        : { offeredRate: 20, succeeded: 2 + s, p50Ms: 8000 - s * 600, inFlight: 100 },
    ...(opts.startedBeforeS !== undefined
      ? {
          exports: [
            {
              name: 'process_start_time',
              query: 'max by (job, instance) ({__name__=~"(moja_cl_|moja_ml_)?process_start_time_seconds"})',
              series: [
                {
                  labels: { job: 'central-ledger', instance: '127.0.0.1:3001' },
                  value: () => (T0 - (opts.startedBeforeS ?? 0) * 1000) / 1000,
                },
              ],
            },
          ],
        }
      : {}),
  });
}

describe('cold start', () => {
  it('names a cold start, not a plateau, when latency falls and the rate climbs after a fresh start', () => {
    const a = analyzeRun(coldRun(tempDir(), { startedBeforeS: 40 }));
    const kinds = a.findings.map((f) => f.kind);
    expect(kinds).toContain('cold-start');
    expect(kinds).not.toContain('tps-plateau');
    const cold = a.findings.find((f) => f.kind === 'cold-start');
    expect(cold?.summary).toMatch(/warming up/);
    expect(cold?.summary).toMatch(/up 40 s when the run started/);
    expect(cold?.confidence).toBeGreaterThan(0.8);
  });

  it("is less sure without the services' start times, and silent on a warm run", () => {
    const unsure = analyzeRun(coldRun(tempDir())).findings.find((f) => f.kind === 'cold-start');
    expect(unsure?.confidence).toBeLessThan(0.7);
    const warm = analyzeRun(coldRun(tempDir(), { warm: true }));
    expect(warm.findings.map((f) => f.kind)).not.toContain('cold-start');
  });
});
