import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsExport } from '@mlperf/core';
import {
  findPrometheusBinary,
  startPrivatePrometheus,
  validateQuery,
  type RunningPrometheus,
} from '@mlperf/core/promql';
import { k6RunQueries, prometheusExporter } from '@mlperf/scenarios';

const prometheus = findPrometheusBinary();

describe('Prometheus queries of a k6 run', () => {
  it('are valid PromQL selecting the run by its testid tag', () => {
    for (const q of k6RunQueries('target-1000tps-20261127T083512Z')) {
      expect(
        validateQuery(q.promql).filter((d) => d.severity === 'error'),
        q.name,
      ).toEqual([]);
      // k6's own series by the run's testid; the DFSP simulator's by the run window.
      if (q.name.startsWith('k6_')) expect(q.promql).toContain('{testid="target-1000tps-20261127T083512Z"}');
      else expect(q.promql).toContain('mlperf_dfsp_sim_');
    }
    expect(k6RunQueries('r').find((q) => q.name === 'k6_run_ack_p95')?.promql).toBe(
      'histogram_quantile(0.95, sum(rate(k6_transfer_prepare_ack_duration_seconds{testid="r"}[1m]))) * 1000',
    );
    expect(k6RunQueries('r').find((q) => q.name === 'dfsp_sim_e2e_p95')?.promql).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(mlperf_dfsp_sim_transfer_duration_seconds_bucket[1m]))) * 1000',
    );
  });

  describe.skipIf(!prometheus)(
    `against a real Prometheus${prometheus ? '' : ' (skipped: no prometheus binary)'}`,
    () => {
      let prom: RunningPrometheus;
      let dir: string;
      beforeAll(async () => {
        const started = await startPrivatePrometheus({
          scrapeTargets: [],
          waitForFirstScrape: false,
          remoteWriteReceiver: true,
          nativeHistograms: true,
        });
        if (!started.running) throw new Error(started.reason);
        prom = started;
        dir = mkdtempSync(join(tmpdir(), 'mlperf-k6-prom-'));
      });
      afterAll(async () => {
        await prom?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
      });

      it('exports every query over the run window into metrics/', async () => {
        const end = new Date();
        const start = new Date(end.getTime() - 30_000);
        const report = await prometheusExporter({
          url: prom.url,
          catalogue: false,
          queries: [{ name: 'up', promql: 'up' }],
        })({
          start,
          end,
          dir,
          runId: 'baseline-100tps-20261127T083512Z',
        });
        expect(report?.skipped).toEqual([]);
        expect(report?.exported.sort()).toEqual(['up', ...k6RunQueries('x').map((q) => q.name)].sort());
        expect(readdirSync(join(dir, 'metrics')).length).toBe(k6RunQueries('x').length + 1);
        const p95 = JSON.parse(
          readFileSync(join(dir, 'metrics', 'k6_run_ack_p95.json'), 'utf8'),
        ) as MetricsExport;
        expect(p95).toMatchObject({ source: 'k6', resultType: 'matrix', start: start.getTime() / 1000 });
        expect(p95.query).toContain('testid="baseline-100tps-20261127T083512Z"');
      });
    },
  );
});
