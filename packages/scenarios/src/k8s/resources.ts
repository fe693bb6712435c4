import { renderDfspSimManifests } from './dfsp-sim-manifests.js';
import type { K8sRun } from './run-state.js';

const DELETE_ORDER = ['TestRun', 'ConfigMap', 'Service', 'Deployment'] as const;

/** Applies the DFSP simulator (unless present or not wanted), the script ConfigMap and the TestRun. */
export async function applyResources(run: K8sRun): Promise<void> {
  const { cluster, options, rendered, created, note, name } = run;
  if (options.deployDfspSim !== false) {
    const [dep, svc] = renderDfspSimManifests(options.suite.dfsps, run.manifestOptions);
    if (await cluster.ensureDfspSim(dep, svc)) {
      created.push(
        { kind: 'Service', name: svc.metadata?.name ?? '' },
        { kind: 'Deployment', name: dep.metadata?.name ?? '' },
      );
      note(`created DFSP simulator ${dep.metadata?.name}`);
    } else note(`DFSP simulator ${dep.metadata?.name} already deployed: using it`);
  }
  await cluster.applyConfigMap(rendered.configMap);
  created.push({ kind: 'ConfigMap', name: rendered.configMap.metadata?.name ?? '' });
  await cluster.createTestRun(rendered.testRun);
  created.push({ kind: 'TestRun', name });
  note(
    `created TestRun ${name} (parallelism ${rendered.testRun.spec.parallelism}) in namespace ${cluster.namespace}`,
  );
}

/** Stops the log streams and deletes what the run created (TestRun first), unless kept. */
export async function cleanUp(run: K8sRun): Promise<void> {
  for (const s of run.streams.values()) s.controller?.abort();
  if (!run.options.keepResources) {
    const created = [...run.created].sort(
      (a, b) => DELETE_ORDER.indexOf(a.kind) - DELETE_ORDER.indexOf(b.kind),
    );
    const failures = await run.cluster.deleteAll(created);
    for (const f of failures) run.note(`cleanup failed: ${f}`);
    if (created.length) run.note(`deleted ${created.map((c) => `${c.kind} ${c.name}`).join(', ')}`);
  }
  await new Promise<void>((r) => run.events.end(r));
}

/** An abort signal for the run: the caller's, and SIGINT/SIGTERM when asked; `release` unhooks them. */
export function abortHandling(options: { signal?: AbortSignal; handleSignals?: boolean }): {
  signal: AbortSignal;
  release: () => void;
} {
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  options.signal?.addEventListener('abort', onSignal, { once: true });
  if (options.signal?.aborted) abort.abort();
  if (options.handleSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return {
    signal: abort.signal,
    release() {
      options.signal?.removeEventListener('abort', onSignal);
      if (options.handleSignals) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    },
  };
}
