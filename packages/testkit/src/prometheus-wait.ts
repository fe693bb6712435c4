// Waiting for a real Prometheus to have scraped what a test is about to query (never a fixed sleep).
import type { PrometheusClient } from '@mlperf/core/promql';
import { vi } from 'vitest';

export interface ScrapeWait {
  /** Every series of `up{...}` has a sample later than this (unix seconds). */
  after?: number;
  /** Every series of `up{...}` has at least this many samples in the last `range`. */
  count?: number;
  /** Label matchers for `up`, e.g. `{job="hub"}`. Default: all targets. */
  matchers?: string;
  range?: string;
  timeoutMs?: number;
}

async function minOf(client: PrometheusClient, expr: string): Promise<number> {
  const { data } = await client.query(`min(${expr})`, { time: Date.now() / 1000 });
  const v = data.resultType === 'vector' ? data.result[0]?.value[1] : undefined;
  return v === undefined ? Number.NaN : Number(v);
}

/** Resolves once Prometheus has scraped every matching target after `after` and `count` times. */
export async function untilScraped(client: PrometheusClient, wait: ScrapeWait): Promise<void> {
  const up = `up${wait.matchers ?? ''}`;
  await vi.waitFor(
    async () => {
      if (wait.after !== undefined) {
        const last = await minOf(client, `timestamp(${up})`);
        if (!(last > wait.after)) throw new Error(`last scrape ${last}, waiting for one after ${wait.after}`);
      }
      if (wait.count !== undefined) {
        const n = await minOf(client, `count_over_time(${up}[${wait.range ?? '1m'}])`);
        if (!(n >= wait.count)) throw new Error(`${n} scrapes, waiting for ${wait.count}`);
      }
    },
    { timeout: wait.timeoutMs ?? 30_000, interval: 250 },
  );
}
