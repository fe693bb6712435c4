import { readFileSync } from 'node:fs';
import { ExitCode, MlperfError } from '@mlperf/core';
import { parse } from 'yaml';
import type { KubeAccess } from './types.js';

interface KubeConfigFile {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  clusters?: {
    name: string;
    cluster: {
      server: string;
      'certificate-authority-data'?: string;
      'certificate-authority'?: string;
      'insecure-skip-tls-verify'?: boolean;
    };
  }[];
  users?: {
    name: string;
    user: {
      token?: string;
      tokenFile?: string;
      'client-certificate-data'?: string;
      'client-key-data'?: string;
      'client-certificate'?: string;
      'client-key'?: string;
      username?: string;
      password?: string;
      exec?: unknown;
      'auth-provider'?: unknown;
    };
  }[];
}

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/**
 * Reads a kubeconfig (token, client certificate or basic auth) into what the capacity check needs.
 * Credentials stay in memory; they are never written to results.
 */
export function loadKubeAccess(file: string, context?: string): KubeAccess {
  const bad = (what: string, hint: string) =>
    new MlperfError('KUBECONFIG_INVALID', `--kubeconfig ${file}: ${what}`, {
      hint,
      exitCode: ExitCode.badInput,
    });
  let cfg: KubeConfigFile;
  try {
    cfg = parse(readFileSync(file, 'utf8')) as KubeConfigFile;
  } catch (err) {
    throw bad(
      `cannot be read (${(err as Error).message})`,
      'pass the kubeconfig file kubectl uses (~/.kube/config)',
    );
  }
  const name = context ?? cfg['current-context'];
  const ctx = cfg.contexts?.find((c) => c.name === name);
  if (!ctx) {
    throw bad(
      `context "${name ?? ''}" not found`,
      `use --context with one of: ${(cfg.contexts ?? []).map((c) => c.name).join(', ') || '(none defined)'}`,
    );
  }
  const cluster = cfg.clusters?.find((c) => c.name === ctx.context.cluster)?.cluster;
  if (!cluster?.server)
    throw bad(`cluster "${ctx.context.cluster}" has no server`, 'fix the kubeconfig clusters entry');
  const user = cfg.users?.find((u) => u.name === ctx.context.user)?.user ?? {};
  if (user.exec || user['auth-provider']) {
    throw bad(
      `user "${ctx.context.user}" authenticates through an exec/auth-provider plugin, which mlperf does not run`,
      'create a service-account token kubeconfig (kubectl create token ...) for the check',
    );
  }
  const headers: Record<string, string> = {};
  const token = user.token ?? (user.tokenFile ? readFileSync(user.tokenFile, 'utf8').trim() : undefined);
  if (token) headers.authorization = `Bearer ${token}`;
  else if (user.username && user.password) {
    headers.authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  }
  const out: KubeAccess = { server: cluster.server, context: ctx.name, headers };
  const ca = cluster['certificate-authority-data']
    ? b64(cluster['certificate-authority-data'])
    : cluster['certificate-authority']
      ? readFileSync(cluster['certificate-authority'], 'utf8')
      : undefined;
  if (ca) out.ca = ca;
  const cert = user['client-certificate-data']
    ? b64(user['client-certificate-data'])
    : user['client-certificate']
      ? readFileSync(user['client-certificate'], 'utf8')
      : undefined;
  const key = user['client-key-data']
    ? b64(user['client-key-data'])
    : user['client-key']
      ? readFileSync(user['client-key'], 'utf8')
      : undefined;
  if (cert && key) {
    out.cert = cert;
    out.key = key;
  }
  if (cluster['insecure-skip-tls-verify']) out.insecureSkipTlsVerify = true;
  return out;
}
