import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CheckNumber, CheckResult, KubeAccess } from './types.js';

type Partial_ = Omit<CheckResult, 'durationMs'>;

/** Above this share of allocatable already requested, the cluster is judged nearly full. */
export const MAX_REQUESTED_SHARE = 0.8;

/** What the test itself will ask the cluster for (k6 runner pods), when known. */
export interface ClusterNeed {
  cpuCores: number;
  memoryBytes: number;
  /** Where the numbers come from, e.g. `8 k6 runners x 2 CPU / 2Gi`. */
  source: string;
}

interface KubeList<T> {
  items: T[];
}
interface KubeNode {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: { unschedulable?: boolean };
  status?: { allocatable?: Record<string, string>; conditions?: { type: string; status: string }[] };
}
interface KubePod {
  metadata: { namespace?: string };
  spec?: { nodeName?: string; containers?: { resources?: { requests?: Record<string, string> } }[] };
  status?: { phase?: string };
}

/** Kubernetes quantity (`500m`, `2`, `16Gi`, `1e9`, `512M`) as a number of base units. */
export function parseQuantity(q: string): number {
  const m = /^([0-9.]+(?:e[0-9]+)?)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const unit = m[2] ?? '';
  const bin: Record<string, number> = {
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
  };
  const dec: Record<string, number> = {
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    '': 1,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
  };
  const f = bin[unit] ?? dec[unit];
  return f === undefined ? Number.NaN : n * f;
}

/** Allocatable CPU/memory of Ready, schedulable nodes vs what running pods already request. */
export async function checkClusterCapacity(
  kube: KubeAccess | undefined,
  need?: ClusterNeed,
): Promise<Partial_> {
  const title = 'Sufficient cluster capacity';
  if (!kube) {
    return {
      id: 'cluster-capacity',
      title,
      status: 'skip',
      reason: 'no kubeconfig given (the load runs on this machine)',
      numbers: [],
      hint: 'give --kubeconfig <file> to check the cluster the hub runs on',
    };
  }
  let nodes: KubeList<KubeNode>;
  let pods: KubeList<KubePod>;
  try {
    nodes = await kubeGet<KubeList<KubeNode>>(kube, '/api/v1/nodes');
    const podPath = kube.namespace
      ? `/api/v1/namespaces/${encodeURIComponent(kube.namespace)}/pods`
      : '/api/v1/pods';
    pods = await kubeGet<KubeList<KubePod>>(
      kube,
      `${podPath}?fieldSelector=${encodeURIComponent('status.phase!=Succeeded,status.phase!=Failed')}`,
    );
  } catch (err) {
    return {
      id: 'cluster-capacity',
      title,
      status: 'fail',
      reason: `Kubernetes API ${kube.server}${kube.context ? ` (context ${kube.context})` : ''}: ${(err as Error).message}`,
      numbers: [],
      hint: 'check the kubeconfig (server, credentials) and that you may list nodes and pods',
      unavailable: true,
    };
  }
  const ready = nodes.items.filter(
    (n) =>
      !n.spec?.unschedulable && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  const readyNames = new Set(ready.map((n) => n.metadata.name));
  let cpuAlloc = 0;
  let memAlloc = 0;
  for (const n of ready) {
    cpuAlloc += parseQuantity(n.status?.allocatable?.cpu ?? '0') || 0;
    memAlloc += parseQuantity(n.status?.allocatable?.memory ?? '0') || 0;
  }
  let cpuReq = 0;
  let memReq = 0;
  for (const p of pods.items) {
    if (p.spec?.nodeName && !readyNames.has(p.spec.nodeName)) continue;
    for (const c of p.spec?.containers ?? []) {
      cpuReq += parseQuantity(c.resources?.requests?.cpu ?? '0') || 0;
      memReq += parseQuantity(c.resources?.requests?.memory ?? '0') || 0;
    }
  }
  const GiB = 2 ** 30;
  const numbers: CheckNumber[] = [
    { label: 'ready nodes', value: ready.length },
    { label: 'allocatable CPU', value: round(cpuAlloc), unit: 'cores' },
    { label: 'requested CPU', value: round(cpuReq), unit: 'cores' },
    { label: 'allocatable memory', value: round(memAlloc / GiB), unit: 'GiB' },
    { label: 'requested memory', value: round(memReq / GiB), unit: 'GiB' },
  ];
  if (need) {
    numbers.push(
      { label: 'needed CPU', value: round(need.cpuCores), unit: 'cores' },
      { label: 'needed memory', value: round(need.memoryBytes / GiB), unit: 'GiB' },
    );
  }
  const base = { id: 'cluster-capacity' as const, title, numbers };
  if (ready.length === 0) {
    return {
      ...base,
      status: 'fail',
      reason: `none of ${nodes.items.length} nodes is Ready and schedulable`,
      hint: 'kubectl get nodes; fix the nodes first',
    };
  }
  const freeCpu = cpuAlloc - cpuReq;
  const freeMem = memAlloc - memReq;
  if (need && (freeCpu < need.cpuCores || freeMem < need.memoryBytes)) {
    return {
      ...base,
      status: 'fail',
      reason: `free ${round(freeCpu)} cores / ${round(freeMem / GiB)} GiB < needed ${round(need.cpuCores)} cores / ${round(need.memoryBytes / GiB)} GiB (${need.source})`,
      hint: 'add nodes (back to Phase 02) or lower the k6 parallelism',
    };
  }
  const share = Math.max(cpuReq / cpuAlloc, memReq / memAlloc);
  if (share > MAX_REQUESTED_SHARE) {
    return {
      ...base,
      status: 'warn',
      reason: `${Math.round(share * 100)}% of allocatable already requested (> ${MAX_REQUESTED_SHARE * 100}%): little room to scale replicas`,
      hint: 'add nodes before tuning by scaling replicas',
    };
  }
  return {
    ...base,
    status: 'pass',
    reason: `${ready.length} nodes, ${round(freeCpu)} cores and ${round(freeMem / GiB)} GiB free${need ? ` (need ${round(need.cpuCores)} cores)` : ''}`,
  };
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

function kubeGet<T>(kube: KubeAccess, path: string): Promise<T> {
  const url = new URL(path, kube.server.endsWith('/') ? kube.server : `${kube.server}/`);
  const isHttps = url.protocol === 'https:';
  const options = {
    method: 'GET',
    headers: { accept: 'application/json', ...(kube.headers ?? {}) },
    timeout: 10_000,
    ...(isHttps
      ? { ca: kube.ca, cert: kube.cert, key: kube.key, rejectUnauthorized: !kube.insecureSkipTlsVerify }
      : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (isHttps ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 0) >= 300) {
          reject(new Error(`GET ${url.pathname}: HTTP ${res.statusCode}`));
          return;
        }
        try {
          resolve(JSON.parse(body) as T);
        } catch {
          reject(new Error(`GET ${url.pathname}: answer is not JSON`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e: Error & { code?: string }) => reject(new Error(e.code ?? e.message)));
    req.end();
  });
}
