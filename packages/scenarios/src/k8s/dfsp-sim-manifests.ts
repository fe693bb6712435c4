import type { V1Deployment, V1EnvVar, V1Service } from '@kubernetes/client-node';
import type { DfspDefinition } from '@mlperf/core';

export interface DfspSimManifestOptions {
  /** Deployment and Service name. Default `mlperf-dfsp-sim`. */
  name?: string;
  /** An image whose entrypoint is the `mlperf` CLI (see K8S.md). */
  image?: string;
  port?: number;
  /** Optional Secret with `fulfilment-secret` and `hub-authorization` keys. Default `mlperf-dfsp-sim`. */
  secretName?: string;
  cpu?: string;
  memory?: string;
  /** central-ledger admin URL: the simulator registers every DFSP's callbacks to its Service on start. */
  adminUrl?: string;
}

export const DFSP_SIM_DEFAULTS = {
  name: 'mlperf-dfsp-sim',
  image: 'mlperf/mlperf:0.1.0',
  port: 8080,
  secretName: 'mlperf-dfsp-sim',
  cpu: '2',
  memory: '1Gi',
} as const;

/** How runner pods reach the simulator: its Service, namespace-qualified when one is given. */
export function dfspSimServiceUrl(o: DfspSimManifestOptions = {}, namespace?: string): string {
  const name = o.name ?? DFSP_SIM_DEFAULTS.name;
  const host = namespace ? `${name}.${namespace}.svc` : name;
  return `http://${host}:${o.port ?? DFSP_SIM_DEFAULTS.port}`;
}

/**
 * The DFSP simulator as a Deployment and a Service. One replica: a transfer's outcome is awaited
 * on the pod that receives its callback, so the state must not be split across pods.
 */
export function renderDfspSimManifests(
  dfsps: DfspDefinition[],
  options: { hubUrl: string; namespace?: string; dfspSim?: DfspSimManifestOptions },
): [V1Deployment, V1Service] {
  const o = { ...DFSP_SIM_DEFAULTS, ...options.dfspSim };
  const labels = {
    'app.kubernetes.io/name': o.name,
    'app.kubernetes.io/component': 'dfsp-simulator',
    'app.kubernetes.io/managed-by': 'mlperf',
    'app.kubernetes.io/part-of': 'mlperf',
  };
  const selector = { 'app.kubernetes.io/name': o.name };
  const ns = options.namespace === undefined ? {} : { namespace: options.namespace };
  const secretEnv = (name: string, key: string): V1EnvVar => ({
    name,
    valueFrom: { secretKeyRef: { name: o.secretName, key, optional: true } },
  });
  const deployment: V1Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: o.name, ...ns, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: {
          labels,
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(o.port),
            'prometheus.io/path': '/metrics',
          },
        },
        spec: {
          containers: [
            {
              name: 'dfsp-sim',
              image: o.image,
              args: [
                'dfsp-sim',
                '--host',
                '0.0.0.0',
                '--port',
                String(o.port),
                '--hub-url',
                options.hubUrl,
                '--dfsps',
                dfsps.map((d) => d.id).join(','),
                ...(o.adminUrl
                  ? [
                      '--admin-url',
                      o.adminUrl,
                      '--public-url',
                      dfspSimServiceUrl(options.dfspSim, options.namespace),
                    ]
                  : []),
              ],
              ports: [{ name: 'http', containerPort: o.port }],
              env: [
                secretEnv('MLPERF_FULFILMENT_SECRET', 'fulfilment-secret'),
                secretEnv('MLPERF_HUB_AUTHORIZATION', 'hub-authorization'),
              ],
              readinessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 2 },
              livenessProbe: {
                httpGet: { path: '/health', port: 'http' },
                periodSeconds: 10,
                failureThreshold: 6,
              },
              resources: { requests: { cpu: o.cpu, memory: o.memory }, limits: { memory: o.memory } },
            },
          ],
        },
      },
    },
  };
  const service: V1Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: o.name, ...ns, labels },
    spec: { selector, ports: [{ name: 'http', port: o.port, targetPort: 'http' }] },
  };
  return [deployment, service];
}
