import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunManifest, readResults, resolveProfile } from '@mlperf/core';
import {
  deriveFulfilment,
  runTestOnKubernetes,
  standardSuite,
  startDfspSim,
  type K8sRunOptions,
} from '@mlperf/scenarios';
import { handleSummaryFixture } from '../k6/fixtures.js';
import { FakeKube, type FakeKubeOptions } from './fake-kube.js';
import { DEFAULT_FULFILMENT_SECRET } from '../../src/k6/script.js';

const suite = resolveProfile(standardSuite(), { profile: 'quick' });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(fake: FakeKubeOptions = {}) {
  const kube = await new FakeKube({ summary: () => handleSummaryFixture(), ...fake }).start();
  const dir = mkdtempSync(join(tmpdir(), 'mlperf-k8s-'));
  cleanups.push(
    () => kube.close(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kube.kubeconfig());
  const events: string[] = [];
  const options: K8sRunOptions = {
    suite,
    testId: 'baseline-100tps',
    outDir: join(dir, 'results'),
    kubeconfigPath,
    manifests: { hubUrl: 'http://ml-api-adapter.mojaloop', parallelism: 2 },
    pollIntervalMs: 15,
    startTimeoutMs: 5_000,
    onEvent: (m) => events.push(m),
  };
  const runDirs = () => (existsSync(options.outDir) ? readdirSync(options.outDir) : []);
  const manifestOf = () =>
    JSON.parse(readFileSync(join(options.outDir, runDirs()[0] ?? '', 'run.json'), 'utf8')) as RunManifest;
  return { kube, dir, options, events, runDirs, manifestOf };
}

const fails = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string; hint: string; exitCode: number };
  }
  throw new Error('expected the run to fail');
};

describe('Kubernetes executor against a fake Kubernetes API server', () => {
  it('fake API: applies, follows the stages, streams runner logs, merges summaries, cleans up', async () => {
    const { kube, options, events } = await setup();
    const result = await runTestOnKubernetes(options);
    expect(result).toMatchObject({ status: 'completed', runners: 2, thresholdsPassed: false });
    const r = readResults(result.dir);
    expect(r.manifest).toMatchObject({
      status: 'completed',
      testId: 'baseline-100tps',
      executor: {
        kind: 'k8s',
        settings: { namespace: 'perf', parallelism: 2, runnerImage: 'grafana/k6:0.45.0' },
      },
      totals: { started: 2 * 4999, succeeded: 2 * 4948, failed: { other: 2 * 51 }, dropped: 0 },
    });
    expect(r.manifest.stages.map((s) => [s.name, s.startS, s.endS])).toEqual([['constant 100 TPS', 0, 5]]);
    expect(r.manifest.executor.settings?.timeseries).toContain(
      'unavailable: get services/proxy mlperf-dfsp-sim:8080/seconds-',
    );
    const summary = r.k6Summary as { metrics: Record<string, Record<string, unknown>> };
    expect(summary.metrics.iterations?.count).toBe(2 * 4999);
    expect(summary.metrics.transfer_success?.thresholds).toEqual({ 'rate>0.995': true });
    const runners = r.logs.filter((l) => /^k6-baseline-100tps-[0-9a-f]{6}-\d-x\dyz\.log$/.test(l));
    expect(runners).toHaveLength(2);
    expect(r.logs).toEqual(
      expect.arrayContaining([
        'k8s-events.log',
        'testrun.yaml.json',
        `k6-summary-${runners[0]?.replace('.log', '')}.json`,
      ]),
    );
    expect(readFileSync(join(result.dir, 'logs', runners[0] ?? ''), 'utf8')).toContain(
      'level=info msg="test started"',
    );
    // Polling sees the stages in k6-operator's order (a short one may be skipped on a busy machine).
    const order = ['initialization', 'initialized', 'created', 'started', 'finished'];
    const seen = events.flatMap((e) => /stage (\w+)$/.exec(e)?.[1] ?? []);
    expect(seen).toEqual([...seen].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
    expect(seen).toEqual(expect.arrayContaining(['started', 'finished']));
    expect(kube.requests.filter((q) => q.startsWith('DELETE')).map((q) => q.split('/').slice(-2)[0])).toEqual(
      ['testruns', 'configmaps', 'services', 'deployments'],
    );
    expect(kube.store.testruns.size + kube.store.configmaps.size + kube.store.deployments.size).toBe(0);
    expect(kube.authorizations).toEqual(new Set(['Bearer fake-secret-token']));
    for (const f of ['run.json', 'k6-summary.json', ...r.logs.map((l) => `logs/${l}`)]) {
      expect(readFileSync(join(result.dir, f), 'utf8')).not.toContain('fake-secret-token');
    }
  });

  it('fake API: per-second outcomes and latency come from the DFSP simulator through the service proxy', async () => {
    const sim = await startDfspSim({ hubUrl: 'http://127.0.0.1:9' });
    cleanups.push(() => sim.close());
    // The fake runners finish only after the transfers below, which start once the run is seen started.
    let release: () => void = () => undefined;
    const sent = new Promise<void>((r) => {
      release = r;
    });
    const { options } = await setup({
      runMs: 100,
      serviceProxy: { 'mlperf-dfsp-sim:8080': sim.url },
      holdFinish: () => sent,
    });
    // While the fake runners "run", transfers end at the simulator as the hub would make them end.
    const transfers = async () => {
      for (let i = 0; i < 20; i++) {
        const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        const json = { 'content-type': 'application/vnd.interoperability.transfers+json;version=1.1' };
        await fetch(`${sim.url}/perffsp-5/transfers`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ transferId: id, payerFsp: 'perffsp-1', payeeFsp: 'perffsp-5' }),
        });
        const outcome = fetch(`${sim.url}/outcomes/${id}?waitMs=2000&sentAt=${Date.now() - 40}`);
        const fulfilment = deriveFulfilment(DEFAULT_FULFILMENT_SECRET, id).toString('base64url');
        await fetch(`${sim.url}/perffsp-1/transfers/${id}`, {
          method: 'PUT',
          headers: json,
          body: JSON.stringify({
            fulfilment,
            transferState: 'COMMITTED',
            completedTimestamp: new Date().toISOString(),
          }),
        });
        await outcome;
      }
    };
    const result = await runTestOnKubernetes({
      ...options,
      onEvent: (m) => {
        if (m.endsWith('stage started')) void transfers().then(release);
      },
    });
    const r = readResults(result.dir);
    expect(r.manifest.executor.settings?.timeseries).toMatch(/^dfsp-sim \(\d+ s\)$/);
    expect(r.timeseries.map((x) => x.s)).toEqual(r.timeseries.map((_, i) => i));
    expect(r.timeseries.reduce((n, x) => n + x.succeeded, 0)).toBe(20);
    expect(r.timeseries.reduce((n, x) => n + (x.latency.e2e?.count ?? 0), 0)).toBe(20);
    const corridor = r.timeseries.find((x) => x.succeeded > 0)?.corridors['perffsp-1->perffsp-5'];
    expect(corridor?.e2e?.min).toBeGreaterThanOrEqual(40);
    expect(r.timeseries[0]?.offeredRate).toBe(100);
  });

  it('fake API: the TestRun it creates is the rendered one (script ConfigMap, tag, image, DFSP simulator env)', async () => {
    const { kube, options } = await setup();
    options.keepResources = true;
    options.manifests = {
      ...options.manifests,
      runnerImage: 'registry.local/k6:1',
      prometheusRemoteWriteUrl: 'http://prom:9090/api/v1/write',
    };
    await runTestOnKubernetes(options);
    const [tr] = [...kube.store.testruns.values()] as unknown as {
      metadata: { name: string; namespace: string };
      spec: { arguments: string; script: { configMap: { name: string } }; runner: { image: string } };
    }[];
    expect(tr?.metadata.namespace).toBe('perf');
    expect(tr?.spec.arguments).toMatch(
      /^--tag testid=baseline-100tps-\d{8}T\d{6}Z -o experimental-prometheus-rw$/,
    );
    expect(tr?.spec.runner.image).toBe('registry.local/k6:1');
    expect(kube.store.configmaps.has(tr?.spec.script.configMap.name ?? '')).toBe(true);
    expect(kube.store.deployments.has('mlperf-dfsp-sim')).toBe(true);
    expect(kube.requests.some((q) => q.startsWith('DELETE'))).toBe(false);
  });

  it('fake API: no API server answering is exit 3 before anything is written', async () => {
    const { kube, options, runDirs } = await setup();
    await kube.close();
    const err = await fails(runTestOnKubernetes(options));
    expect(err).toMatchObject({ code: 'K8S_UNREACHABLE', exitCode: 3 });
    expect(err.hint).toContain('kubectl cluster-info');
    expect(runDirs()).toEqual([]);
  });

  it('fake API: a kubeconfig without any context is "no cluster", exit 3', async () => {
    const { options, dir } = await setup();
    writeFileSync(
      join(dir, 'empty'),
      'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n',
    );
    const err = await fails(runTestOnKubernetes({ ...options, kubeconfigPath: join(dir, 'empty') }));
    expect(err).toMatchObject({ code: 'K8S_NO_CLUSTER', exitCode: 3 });
  });

  it('fake API: k6-operator not installed (no testruns.k6.io) is exit 3 naming the fix', async () => {
    const { options, runDirs } = await setup({ crdInstalled: false });
    const err = await fails(runTestOnKubernetes(options));
    expect(err).toMatchObject({ code: 'K6_OPERATOR_MISSING', exitCode: 3 });
    expect(err.hint).toContain('kubectl get crd testruns.k6.io');
    expect(runDirs()).toEqual([]);
  });

  it('fake API: a missing namespace is exit 3', async () => {
    const { options } = await setup({ namespaces: ['default'] });
    const err = await fails(runTestOnKubernetes(options));
    expect(err).toMatchObject({ code: 'K8S_NAMESPACE_MISSING', exitCode: 3 });
    expect(err.hint).toContain('kubectl create namespace perf');
  });

  it('fake API: RBAC denying TestRun creation is exit 3, the run is marked failed and the ConfigMap removed', async () => {
    const { kube, options, manifestOf } = await setup({ forbid: /^POST .*\/testruns$/ });
    const err = await fails(runTestOnKubernetes(options));
    expect(err).toMatchObject({ code: 'K8S_FORBIDDEN', exitCode: 3 });
    expect(err.message).toContain('cannot post this resource');
    expect(err.hint).toContain('kubectl auth can-i create testruns.k6.io -n perf');
    expect(manifestOf()).toMatchObject({
      status: 'failed',
      statusReason: expect.stringContaining('K8S_FORBIDDEN'),
    });
    expect(kube.store.configmaps.size).toBe(0);
  });

  it('fake API: a runner image that cannot be pulled is exit 3 and the TestRun is deleted', async () => {
    const { kube, options, manifestOf } = await setup({ imagePullFails: true });
    const err = await fails(runTestOnKubernetes(options));
    expect(err).toMatchObject({ code: 'K8S_IMAGE_PULL', exitCode: 3 });
    expect(err.message).toMatch(
      /runner pod .* cannot pull image grafana\/k6:0.45.0: ErrImagePull \(pull access denied/,
    );
    expect(manifestOf().status).toBe('failed');
    expect(kube.store.testruns.size).toBe(0);
  });

  it("fake API: the DFSP simulator's image that cannot be pulled is exit 3 naming --dfsp-sim-image", async () => {
    const { options } = await setup({ simImagePullFails: true, runMs: 3_000 });
    const err = await fails(runTestOnKubernetes(options));
    expect(err).toMatchObject({ code: 'K8S_IMAGE_PULL', exitCode: 3 });
    expect(err.message).toMatch(
      /^DFSP simulator pod mlperf-dfsp-sim-7d9f-abcde cannot pull image mlperf\/mlperf:0.1.0: ImagePullBackOff/,
    );
    expect(err.hint).toContain('--dfsp-sim-image');
  });

  it('fake API: a runner pod killed mid-test (OOM) is exit 3, its log is kept', async () => {
    const { options, manifestOf, runDirs } = await setup({
      runnerCrash: { exitCode: 137, reason: 'OOMKilled' },
    });
    const err = await fails(runTestOnKubernetes(options));
    expect(err).toMatchObject({ code: 'K6_RUNNER_FAILED', exitCode: 3 });
    expect(err.message).toMatch(/runner pod .*-1-x1yz stopped mid-test: exit code 137 \(OOMKilled\)/);
    expect(err.hint).toContain('memory');
    expect(manifestOf().status).toBe('failed');
    const logs = readdirSync(join(options.outDir, runDirs()[0] ?? '', 'logs'));
    expect(logs.some((l) => l.endsWith('-1-x1yz.log'))).toBe(true);
  });

  it('fake API: a runner pod that disappears mid-test is exit 3', async () => {
    const { options } = await setup({ runnerVanishes: true });
    const err = await fails(runTestOnKubernetes(options));
    expect(err).toMatchObject({ code: 'K6_RUNNER_FAILED', exitCode: 3 });
    expect(err.message).toContain('disappeared mid-test');
  });

  it('fake API: stage error reports what the initializer said', async () => {
    const { options } = await setup({
      initializerFails: 'ERRO[0000] SyntaxError: test.js: Unexpected token (12:4)',
    });
    const err = await fails(runTestOnKubernetes(options));
    expect(err).toMatchObject({ code: 'K6_TESTRUN_ERROR', exitCode: 3 });
    expect(err.message).toContain('SyntaxError: test.js: Unexpected token');
  });

  it('fake API: runner pods that cannot be scheduled time out with the scheduler reason', async () => {
    const { options } = await setup({ unschedulable: true });
    const err = await fails(runTestOnKubernetes({ ...options, startTimeoutMs: 300 }));
    expect(err).toMatchObject({ code: 'K6_START_TIMEOUT', exitCode: 3 });
    expect(err.message).toContain('0/3 nodes are available: 3 Insufficient cpu.');
  });

  it('fake API: Ctrl-C mid-test deletes what was created and ends the run "aborted"', async () => {
    const { kube, options, events } = await setup({ runMs: 5_000 });
    const ctrlC = new AbortController();
    const run = runTestOnKubernetes({
      ...options,
      signal: ctrlC.signal,
      onEvent: (m) => {
        events.push(m);
        if (m.endsWith('stage started')) ctrlC.abort();
      },
    });
    const result = await run;
    expect(result.status).toBe('aborted');
    expect(readResults(result.dir).manifest).toMatchObject({
      status: 'aborted',
      statusReason: 'aborted by the user (Ctrl-C)',
    });
    expect(kube.store.testruns.size).toBe(0);
    expect(kube.pods.size).toBe(0);
  });

  it('fake API: runners that print no summary fail the run with exit 3', async () => {
    const { options } = await setup({ summary: () => undefined });
    const err = await fails(runTestOnKubernetes(options));
    expect(err).toMatchObject({ code: 'K6_NO_SUMMARY', exitCode: 3 });
  });
});
