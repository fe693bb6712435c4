import type { Writable } from 'node:stream';
import type {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  V1ConfigMap,
  V1Deployment,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import { ExitCode, MlperfError } from '@mlperf/core';
import { kubeError } from './errors.js';
import type { TestRunResource } from './manifests.js';

const K6 = { group: 'k6.io', version: 'v1alpha1', plural: 'testruns' } as const;

export interface ClusterOptions {
  /** A ready KubeConfig (tests, embedding); otherwise one is loaded. */
  kubeConfig?: KubeConfig;
  /** kubeconfig file; default: $KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  kubeconfigPath?: string;
  /** kubeconfig context; default: the current one. */
  context?: string;
  /** Default: the context's namespace, else `default`. */
  namespace?: string;
}

/** The few Kubernetes calls mlperf makes, with errors that say what to fix. */
export class Cluster {
  readonly namespace: string;
  readonly server: string;
  private constructor(
    private readonly kc: KubeConfig,
    private readonly k8s: typeof import('@kubernetes/client-node'),
    namespace: string,
    private readonly core: CoreV1Api,
    private readonly apps: AppsV1Api,
    private readonly custom: CustomObjectsApi,
  ) {
    this.namespace = namespace;
    this.server = kc.getCurrentCluster()?.server ?? '(none)';
  }

  /** Loads the kubeconfig (or in-cluster config) and makes the API clients; fails with exit 3 when there is no cluster. */
  static async connect(options: ClusterOptions = {}): Promise<Cluster> {
    const k8s = await import('@kubernetes/client-node');
    let kc = options.kubeConfig;
    if (!kc) {
      kc = new k8s.KubeConfig();
      try {
        if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
        else kc.loadFromDefault();
      } catch (err) {
        throw new MlperfError('K8S_NO_CONFIG', `cannot read kubeconfig: ${(err as Error).message}`, {
          hint: 'pass --kubeconfig <file> or set KUBECONFIG, or run inside the cluster',
          exitCode: ExitCode.unavailable,
          cause: err,
        });
      }
    }
    if (options.context) kc.setCurrentContext(options.context);
    if (!kc.getCurrentCluster()) {
      throw new MlperfError(
        'K8S_NO_CLUSTER',
        'no Kubernetes cluster is configured (no kubeconfig context, not in a pod)',
        {
          hint: 'point KUBECONFIG or --kubeconfig at your cluster config, or pick one with --context; `kubectl config get-contexts` lists them',
          exitCode: ExitCode.unavailable,
        },
      );
    }
    const ctx = kc.getContextObject(kc.getCurrentContext());
    const namespace = options.namespace ?? ctx?.namespace ?? 'default';
    return new Cluster(
      kc,
      k8s,
      namespace,
      kc.makeApiClient(k8s.CoreV1Api),
      kc.makeApiClient(k8s.AppsV1Api),
      kc.makeApiClient(k8s.CustomObjectsApi),
    );
  }

  private async call<T>(action: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (err) {
      throw kubeError(err, action, this.server, this.namespace);
    }
  }

  private isCode(err: unknown, code: number): boolean {
    return (err as { code?: unknown })?.code === code;
  }

  /** Checks, before anything is created, that the API answers, k6-operator is installed and TestRuns may be listed. */
  async preflight(): Promise<void> {
    await this.call(`list testruns.k6.io in namespace ${this.namespace}`, () =>
      this.custom.listNamespacedCustomObject({ ...K6, namespace: this.namespace, limit: 1 }),
    );
  }

  async applyConfigMap(cm: V1ConfigMap): Promise<void> {
    const name = cm.metadata?.name ?? '';
    await this.call(`create configmap ${name} in namespace ${this.namespace}`, async () => {
      try {
        await this.core.createNamespacedConfigMap({ namespace: this.namespace, body: cm });
      } catch (err) {
        if (!this.isCode(err, 409)) throw err;
        await this.core.replaceNamespacedConfigMap({ name, namespace: this.namespace, body: cm });
      }
    });
  }

  /** Creates the simulator's Deployment and Service unless they exist; returns whether they were created. */
  async ensureDfspSim(deployment: V1Deployment, service: V1Service): Promise<boolean> {
    const name = deployment.metadata?.name ?? '';
    return this.call(`create deployment ${name} in namespace ${this.namespace}`, async () => {
      try {
        await this.apps.createNamespacedDeployment({ namespace: this.namespace, body: deployment });
      } catch (err) {
        if (this.isCode(err, 409)) return false;
        throw err;
      }
      try {
        await this.core.createNamespacedService({ namespace: this.namespace, body: service });
      } catch (err) {
        if (!this.isCode(err, 409)) throw err;
      }
      return true;
    });
  }

  async createTestRun(tr: TestRunResource): Promise<void> {
    await this.call(`create testruns.k6.io ${tr.metadata.name} in namespace ${this.namespace}`, () =>
      this.custom.createNamespacedCustomObject({ ...K6, namespace: this.namespace, body: tr }),
    );
  }

  async getTestRun(name: string): Promise<TestRunResource | undefined> {
    return this.call(`get testruns.k6.io ${name}`, async () => {
      try {
        return (await this.custom.getNamespacedCustomObject({
          ...K6,
          namespace: this.namespace,
          name,
        })) as TestRunResource;
      } catch (err) {
        if (this.isCode(err, 404)) return undefined;
        throw err;
      }
    });
  }

  /** Pods matching a label selector (`app.kubernetes.io/name=mlperf-dfsp-sim`). */
  async listPods(labelSelector: string): Promise<V1Pod[]> {
    const list = await this.call(`list pods ${labelSelector}`, () =>
      this.core.listNamespacedPod({ namespace: this.namespace, labelSelector }),
    );
    return list.items;
  }

  /** The pods k6-operator made for a TestRun (initializer, starter, runners): label `k6_cr=<name>`. */
  async listTestRunPods(name: string): Promise<V1Pod[]> {
    const list = await this.call(`list pods of testrun ${name}`, () =>
      this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: `k6_cr=${name}` }),
    );
    return list.items;
  }

  /** Streams a container's log into `out` until the container ends; resolves once streaming has started. */
  async streamLog(pod: string, container: string, out: Writable): Promise<AbortController> {
    return this.call(`read log of pod ${pod}`, () =>
      new this.k8s.Log(this.kc).log(this.namespace, pod, container, out, { follow: true }),
    );
  }

  /** The whole log of a container, once (for pods whose stream was missed). */
  async readLog(pod: string, container: string): Promise<string> {
    return this.call(`read log of pod ${pod}`, () =>
      this.core.readNamespacedPodLog({ name: pod, namespace: this.namespace, container }),
    );
  }

  /** GET of JSON on a Service through the API server's proxy (`services/proxy`): one path segment. */
  async proxyGetJson(service: string, port: number, segment: string): Promise<unknown> {
    const body: unknown = await this.call(`get services/proxy ${service}:${port}/${segment}`, () =>
      this.core.connectGetNamespacedServiceProxyWithPath({
        name: `${service}:${port}`,
        namespace: this.namespace,
        path: segment,
      }),
    );
    // client-node already parses a JSON response, despite its `string` type.
    return typeof body === 'string' ? JSON.parse(body) : body;
  }

  /** Deletes what a run created; a resource already gone is fine. Returns the failures, never throws. */
  async deleteAll(
    items: { kind: 'TestRun' | 'ConfigMap' | 'Deployment' | 'Service'; name: string }[],
  ): Promise<string[]> {
    const failures: string[] = [];
    for (const { kind, name } of items) {
      const namespace = this.namespace;
      try {
        if (kind === 'TestRun')
          await this.custom.deleteNamespacedCustomObject({
            ...K6,
            namespace,
            name,
            propagationPolicy: 'Background',
          });
        else if (kind === 'ConfigMap') await this.core.deleteNamespacedConfigMap({ name, namespace });
        else if (kind === 'Deployment') await this.apps.deleteNamespacedDeployment({ name, namespace });
        else await this.core.deleteNamespacedService({ name, namespace });
      } catch (err) {
        if (!this.isCode(err, 404))
          failures.push(`${kind} ${name}: ${kubeError(err, 'delete', this.server, namespace).message}`);
      }
    }
    return failures;
  }
}
