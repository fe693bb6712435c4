import { ExitCode, MlperfError } from '@mlperf/core';

/** What mlperf needs to be allowed to do in the namespace (a Role for the user or service account). */
export const RBAC_NEEDED =
  'create/get/list/delete testruns.k6.io; create/update/delete configmaps; get/list pods and pods/log' +
  '; create/delete deployments.apps and services, get services/proxy (for the DFSP simulator)';

const K6_OPERATOR_INSTALL =
  'install k6-operator (e.g. `kubectl apply --server-side -f` its bundle.yaml, or its Helm chart), then check `kubectl get crd testruns.k6.io`';

interface ApiErrorLike {
  code?: unknown;
  body?: unknown;
  message?: string;
}

/** The Kubernetes Status message of an API error, never its headers. */
function statusMessage(err: ApiErrorLike): string {
  if (typeof err.body === 'string') {
    try {
      const s = JSON.parse(err.body) as { message?: string };
      if (s.message) return s.message;
    } catch {
      // not a Status object
    }
  }
  if (err.body && typeof err.body === 'object' && 'message' in err.body) return String(err.body.message);
  return `HTTP ${String(err.code)}`;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
]);

/**
 * Turns a client-node failure into an MlperfError naming what was being done, what the cluster
 * said and how to fix it. Every one of these means the infrastructure is unavailable: exit 3.
 */
export function kubeError(err: unknown, action: string, server: string, namespace: string): MlperfError {
  if (err instanceof MlperfError) return err;
  const e = (err ?? {}) as ApiErrorLike;
  const unavailable = { exitCode: ExitCode.unavailable, cause: err };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
    return new MlperfError(
      'K8S_UNREACHABLE',
      `${action}: no Kubernetes API server answers at ${server} (${e.code})`,
      {
        ...unavailable,
        hint: 'check that the cluster is up and your kubeconfig context is right: `kubectl cluster-info`',
      },
    );
  }
  const code = typeof e.code === 'number' ? e.code : undefined;
  if (code === 401) {
    return new MlperfError(
      'K8S_UNAUTHORIZED',
      `${action}: the cluster at ${server} rejected the credentials`,
      {
        ...unavailable,
        hint: 'refresh your kubeconfig credentials (log in to the cluster again), then `kubectl auth whoami`',
      },
    );
  }
  if (code === 403) {
    return new MlperfError('K8S_FORBIDDEN', `${action}: ${statusMessage(e)}`, {
      ...unavailable,
      hint: `grant a Role in namespace ${namespace} allowing: ${RBAC_NEEDED}; check with \`kubectl auth can-i create testruns.k6.io -n ${namespace}\``,
    });
  }
  if (code === 404 && /namespaces? "[^"]*" not found/.test(statusMessage(e))) {
    return new MlperfError('K8S_NAMESPACE_MISSING', `${action}: ${statusMessage(e)}`, {
      ...unavailable,
      hint: `create it (\`kubectl create namespace ${namespace}\`) or pass another --namespace`,
    });
  }
  if (code === 404 && action.includes('testruns.k6.io')) {
    return new MlperfError(
      'K6_OPERATOR_MISSING',
      `${action}: the cluster has no testruns.k6.io resource (k6-operator CRD)`,
      {
        ...unavailable,
        hint: K6_OPERATOR_INSTALL,
      },
    );
  }
  const message = code === undefined ? (e.message ?? String(err)) : statusMessage(e);
  return new MlperfError('K8S_API_ERROR', `${action}: ${message}`, {
    ...unavailable,
    hint: 'see the cluster events: `kubectl get events -n ' + namespace + ' --sort-by=.lastTimestamp`',
  });
}
