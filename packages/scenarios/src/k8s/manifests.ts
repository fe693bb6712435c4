import type { V1ConfigMap, V1EnvVar } from '@kubernetes/client-node';
import type { TestContext } from '../k6/context.js';
import { type K6ScaleAdvice, k6ScaleAdvice } from '../k6/scale.js';
import { renderK6Script } from '../k6/script.js';
import { DFSP_SIM_DEFAULTS, type DfspSimManifestOptions, dfspSimServiceUrl } from './dfsp-sim-manifests.js';

/** Default k6 runner image: the k6 version whose real output the project's fixtures are. */
export const DEFAULT_K6_IMAGE = 'grafana/k6:0.45.0';
export const SCRIPT_FILE = 'test.js';

/** The k6-operator TestRun resource (k6.io/v1alpha1), as far as mlperf fills it. */
export interface TestRunResource {
  apiVersion: 'k6.io/v1alpha1';
  kind: 'TestRun';
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec: {
    parallelism: number;
    script: { configMap: { name: string; file: string } };
    arguments?: string;
    separate?: boolean;
    runner: {
      image: string;
      imagePullPolicy?: string;
      metadata?: { labels?: Record<string, string> };
      env: V1EnvVar[];
      resources: K6ScaleAdvice['resources'];
    };
  };
  status?: { stage?: string };
}

export interface K8sManifestOptions {
  /** ml-api-adapter as the runners reach it, e.g. `http://moja-ml-api-adapter-service.mojaloop`. */
  hubUrl: string;
  namespace?: string;
  runnerImage?: string;
  /** Runner pods; default: the scale advice. */
  parallelism?: number;
  /** TestRun name; default `k6-<test id>` (the Phase-07 plan's `kubectl logs k6-<test-name>`). */
  name?: string;
  /** Prometheus remote-write endpoint (`http://prometheus:9090/api/v1/write`): k6 metrics as native histograms. */
  prometheusRemoteWriteUrl?: string;
  /** Adds `--tag testid=<runId>` so one run's series can be selected in Prometheus. */
  runId?: string;
  /** Put each runner pod on its own node (TestRun `separate`). */
  separate?: boolean;
  expectedLatencyMs?: number;
  dfspSim?: DfspSimManifestOptions;
  generator?: string;
}

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'mlperf', 'app.kubernetes.io/part-of': 'mlperf' };

/** Kubernetes object names: lowercase RFC 1123, at most 63 characters. */
export function k8sName(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63)
      .replace(/-+$/, '') || 'mlperf'
  );
}

function runnerEnv(options: K8sManifestOptions, simUrl: string): V1EnvVar[] {
  const secret = options.dfspSim?.secretName ?? DFSP_SIM_DEFAULTS.secretName;
  const env: V1EnvVar[] = [
    { name: 'MLPERF_HUB_URL', value: options.hubUrl },
    { name: 'MLPERF_DFSP_SIM_URL', value: simUrl },
    {
      name: 'MLPERF_FULFILMENT_SECRET',
      valueFrom: { secretKeyRef: { name: secret, key: 'fulfilment-secret', optional: true } },
    },
    {
      name: 'MLPERF_HUB_AUTHORIZATION',
      valueFrom: { secretKeyRef: { name: secret, key: 'hub-authorization', optional: true } },
    },
  ];
  if (options.prometheusRemoteWriteUrl) {
    env.push(
      { name: 'K6_PROMETHEUS_RW_SERVER_URL', value: options.prometheusRemoteWriteUrl },
      { name: 'K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM', value: 'true' },
      { name: 'K6_PROMETHEUS_RW_PUSH_INTERVAL', value: '5s' },
    );
  }
  return env;
}

export interface RenderedTestRun {
  configMap: V1ConfigMap;
  testRun: TestRunResource;
  advice: K6ScaleAdvice;
  script: string;
}

/** The ConfigMap holding the rendered script and the TestRun that runs it with k6-operator. */
export function renderTestRun(ctx: TestContext, options: K8sManifestOptions): RenderedTestRun {
  const advice = k6ScaleAdvice(ctx.test, options);
  const parallelism = options.parallelism ?? advice.parallelism;
  const name = k8sName(options.name ?? `k6-${ctx.test.id}`);
  const simUrl = dfspSimServiceUrl(options.dfspSim, options.namespace);
  const script = renderK6Script(ctx, {
    hubUrl: options.hubUrl,
    dfspSimUrl: simUrl,
    parallelism,
    ...(options.expectedLatencyMs === undefined ? {} : { expectedLatencyMs: options.expectedLatencyMs }),
    ...(options.generator === undefined ? {} : { generator: options.generator }),
    notes: advice.notes,
  });
  const labels = { ...MANAGED_BY, 'mlperf.io/test': k8sName(ctx.test.id) };
  const ns = options.namespace === undefined ? {} : { namespace: options.namespace };
  const args = [
    ...(options.runId ? [`--tag testid=${options.runId}`] : []),
    ...(options.prometheusRemoteWriteUrl ? ['-o experimental-prometheus-rw'] : []),
  ];
  const testRun: TestRunResource = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name, ...ns, labels },
    spec: {
      parallelism,
      script: { configMap: { name: `${name}-script`, file: SCRIPT_FILE } },
      ...(args.length ? { arguments: args.join(' ') } : {}),
      ...(options.separate ? { separate: true } : {}),
      runner: {
        image: options.runnerImage ?? DEFAULT_K6_IMAGE,
        metadata: { labels },
        env: runnerEnv(options, simUrl),
        resources: advice.resources,
      },
    },
  };
  const configMap: V1ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${name}-script`, ...ns, labels },
    data: { [SCRIPT_FILE]: script },
  };
  return { configMap, testRun, advice, script };
}
