/** A real Prometheus (Debian's binary) with alert rules, for the alerts check. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@mlperf/core/promql';
import { vi } from 'vitest';

export const PROMETHEUS_BIN = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((p) => existsSync(p));

export async function startPrometheusWithRules(
  rules: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  if (!PROMETHEUS_BIN) throw new Error('no prometheus binary');
  const dir = mkdtempSync(join(tmpdir(), 'mlperf-check-prom-'));
  writeFileSync(join(dir, 'rules.yml'), rules);
  writeFileSync(
    join(dir, 'prometheus.yml'),
    'global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - rules.yml\nscrape_configs: []\n',
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await vi.waitFor(
      async () => {
        if (!(await fetch(`${url}/-/ready`)).ok) throw new Error('prometheus did not become ready');
      },
      { timeout: 15_000, interval: 100 },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, stop };
}

/** Waits until Prometheus reports at least `n` alerts (rules evaluate every second). */
export async function waitForAlerts(url: string, n: number): Promise<void> {
  await vi.waitFor(
    async () => {
      const r = (await (await fetch(`${url}/api/v1/alerts`)).json()) as { data: { alerts: unknown[] } };
      if (r.data.alerts.length < n) throw new Error(`${r.data.alerts.length} of ${n} alerts so far`);
    },
    { timeout: 10_000, interval: 200 },
  );
}
