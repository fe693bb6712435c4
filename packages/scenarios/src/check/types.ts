/**
 * `mlperf check` (the Phase-07 plan's pre-test-check.sh): each check passes, warns or fails with its reason
 * and the numbers behind it. A check that cannot run for lack of input (no kubeconfig, no
 * Prometheus) is `skip`, with the reason.
 */

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export type CheckId =
  | 'services-healthy'
  | 'uptime'
  | 'resource-utilisation'
  | 'no-firing-alerts'
  | 'cluster-capacity'
  | 'test-data'
  | 'first-transfer'
  | 'generator-capacity'
  | 'estimate';

export interface CheckNumber {
  label: string;
  value: number;
  unit?: string;
}

export interface CheckResult {
  id: CheckId;
  /** As the Phase-07 plan words it: "All services healthy". */
  title: string;
  status: CheckStatus;
  /** One sentence: why this status. */
  reason: string;
  numbers: CheckNumber[];
  /** What to do about a warning or failure. */
  hint?: string;
  /** True when the failure is the target or infrastructure being unreachable (exit code 3). */
  unavailable?: boolean;
  durationMs: number;
}

/** Named health endpoint of one service of the target. */
export interface ServiceEndpoint {
  service: string;
  url: string;
}

/** How to reach a Kubernetes API server (from a kubeconfig). Never written to disk. */
export interface KubeAccess {
  server: string;
  /** Context name, for messages. */
  context?: string;
  headers?: Record<string, string>;
  /** PEM CA bundle for https servers. */
  ca?: string;
  insecureSkipTlsVerify?: boolean;
  /** PEM client certificate and key (kubeconfig client-certificate auth). */
  cert?: string;
  key?: string;
  /** Restrict pod requests to this namespace; all namespaces when omitted. */
  namespace?: string;
}

export interface CheckTarget {
  kind: 'embedded' | 'url';
  /** `/health` endpoints, one per service (the embedded hub has one). */
  health: ServiceEndpoint[];
  /** `/metrics` endpoints (prom-client text), one per service. */
  metrics: ServiceEndpoint[];
  /** central-ledger admin API base URL. */
  adminUrl?: string;
  prometheusUrl?: string;
  alertmanagerUrl?: string;
  /** Authorization for Prometheus and Alertmanager (bearer or basic). Never written to disk. */
  prometheusHeaders?: Record<string, string>;
  kube?: KubeAccess;
}

/** Overall outcome: the worst status; exit 0 (pass/warn), 1 (a check failed), 3 (target unreachable). */
export interface CheckReport {
  schemaVersion: 1;
  kind: 'mlperf-check';
  at: string;
  suiteName: string;
  profile?: string;
  target: { kind: CheckTarget['kind']; url?: string };
  status: 'pass' | 'warn' | 'fail';
  exitCode: 0 | 1 | 3;
  checks: CheckResult[];
  /** The Phase-07 plan's "Estimated test duration" and "Estimated cost". */
  estimate: { durationMs: number; upperBound: boolean; cost?: { total: number; currency: string } };
}
