import type { RunManifest } from '@mlperf/core';
import { fmtBytes } from './format.js';

/** What a suite measured and on what: said plainly on the suite and success reports. */
export interface MeasuredView {
  /** The embedded simulator: the run demonstrates the toolchain, not a Mojaloop deployment. */
  embedded: boolean;
  target: string;
  versions: string;
  machine: string;
  generator: string;
  prometheus: string;
}

const HUB_VERSION_PREFIX = 'hub:';

/** From the run manifests of the suite's tests (the first one names target, machine and generator). */
export function measuredView(manifests: RunManifest[]): MeasuredView | undefined {
  const m = manifests[0];
  if (!m) return undefined;
  const embedded = m.target.kind === 'embedded';
  // the simulator's entry holds its name and version; a real hub's are per service
  const hubVersions = Object.entries(m.versions)
    .filter(([k]) => k.startsWith(HUB_VERSION_PREFIX))
    .map(([k, v]) => (embedded ? v : `${k.slice(HUB_VERSION_PREFIX.length)} ${v}`));
  const generator =
    m.executor.kind === 'local'
      ? `mlperf's open-model load engine ${m.executor.version ?? m.versions.mlperf ?? ''} (Node ${m.versions.node ?? '?'}) on the same machine`
      : `k6 ${m.executor.version ?? ''} (${m.executor.kind === 'k8s' ? 'k6-operator on Kubernetes' : 'local binary'})`;
  const prometheusUrls = [...new Set(manifests.map((x) => x.target.prometheusUrl).filter(Boolean))];
  const withMetrics = manifests.filter((x) => (x.metrics?.exported.length ?? 0) > 0).length;
  return {
    embedded,
    target: embedded
      ? `the embedded Mojaloop hub simulator (profile ${m.target.hubProfile ?? 'healthy'}) at ${m.target.url}, started by mlperf on this machine`
      : `the Mojaloop hub at ${m.target.url}${m.target.adminUrl ? ` (central-ledger admin ${m.target.adminUrl})` : ''}`,
    versions: hubVersions.length
      ? `as reported on /health: ${hubVersions.join(', ')}`
      : embedded
        ? 'the simulator reported no version on /health'
        : 'the services reported no version on /health',
    machine: `${m.host.hostname} (${m.host.platform}, ${m.host.cpus} cores, ${fmtBytes(m.host.memoryBytes)} memory)`,
    generator: generator.replace(/\s+/g, ' ').trim(),
    prometheus: prometheusUrls.length
      ? `${prometheusUrls.join(', ')}: ${withMetrics} of ${manifests.length} tests have Prometheus exports`
      : 'none: CPU, memory and service-health criteria could not be judged',
  };
}
