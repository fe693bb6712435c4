// Which Prometheus version validation answers for: the one named, the one connected, or the one
// the private Prometheus runs (the installed binary), else DEFAULT_PROMETHEUS_VERSION.
import { spawnSync } from 'node:child_process';
import type { PrometheusClient } from './client.js';
import { DEFAULT_PROMETHEUS_VERSION, parseVersion } from './grammar.js';
import { findPrometheusBinary } from './private-prometheus.js';

/** `prometheus --version` of the installed binary (PATH or MLPERF_PROMETHEUS_BIN), if any. */
export function installedPrometheusVersion(binary = findPrometheusBinary()): string | undefined {
  if (!binary) return undefined;
  const r = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return /version (\S+)/.exec(`${r.stdout ?? ''}${r.stderr ?? ''}`)?.[1];
}

export interface TargetVersion {
  version: string;
  /** Where it came from: `option`, `build info of <url>`, `installed prometheus`, `default`. */
  source: string;
}

/** The version to validate for: `explicit`, else the connected server's build info, else installed, else the default. */
export async function resolvePrometheusVersion(
  opts: { explicit?: string; client?: PrometheusClient } = {},
): Promise<TargetVersion> {
  if (opts.explicit) return { version: opts.explicit, source: 'option' };
  if (opts.client) {
    const info = await opts.client.buildInfo().catch(() => undefined);
    if (info && parseVersion(info.data.version))
      return { version: info.data.version, source: `build info of ${opts.client.url}` };
  }
  const installed = installedPrometheusVersion();
  if (installed && parseVersion(installed)) return { version: installed, source: 'installed prometheus' };
  return { version: DEFAULT_PROMETHEUS_VERSION, source: 'default' };
}
