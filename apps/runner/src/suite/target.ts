import { ExitCode, MlperfError, type SuiteDefinition } from '@mlperf/core';
import {
  freePort,
  type PrivatePrometheus,
  PrometheusClient,
  startPrivatePrometheus,
} from '@mlperf/core/promql';
import { HUB_PROFILE_NAMES, HUB_SERVICES, type HubHandle, type HubProfileName, startHub } from '@mlperf/hub';
import { type CheckTarget, type KubeAccess, loadKubeAccess, type ServiceEndpoint } from '@mlperf/scenarios';
import type { ArgsDef } from 'citty';
import { parseServiceUrls } from '../commands/monitor.js';

/** The flags of every command that talks to a hub (`check`, `suite run`). */
export const targetArgs = {
  target: {
    type: 'string',
    description:
      '`embedded` (default: the built-in hub in its own process) or the ml-api-adapter URL of a real hub',
    valueHint: 'embedded|url',
  },
  'admin-url': { type: 'string', description: 'central-ledger admin API URL (real hub)', valueHint: 'url' },
  health: {
    type: 'string',
    description:
      'Health endpoints: <service>=<url>, comma-separated (ml-api-adapter, central-ledger, account-lookup, quoting)',
    valueHint: 'list',
  },
  metrics: {
    type: 'string',
    description: 'Service /metrics endpoints: <service>=<url>, comma-separated',
    valueHint: 'list',
  },
  'hub-profile': {
    type: 'string',
    description: `Embedded hub profile: ${HUB_PROFILE_NAMES.join(', ')} (default healthy)`,
    valueHint: 'name',
  },
  prometheus: {
    type: 'string',
    description:
      'Prometheus URL; with the embedded hub a private Prometheus is started when omitted (if installed)',
    valueHint: 'url',
  },
  'no-private-prometheus': {
    type: 'boolean',
    description: 'Do not start a private Prometheus for the embedded hub',
  },
  alertmanager: { type: 'string', description: 'Alertmanager URL (alerts check)', valueHint: 'url' },
  kubeconfig: {
    type: 'string',
    description: 'kubeconfig of the cluster the hub runs on (capacity check)',
    valueHint: 'file',
  },
  context: {
    type: 'string',
    description: 'kubeconfig context (default: the current one)',
    valueHint: 'name',
  },
} satisfies ArgsDef;

export interface TargetFlags {
  target?: string;
  'admin-url'?: string;
  health?: string;
  metrics?: string;
  'hub-profile'?: string;
  prometheus?: string;
  'no-private-prometheus'?: boolean;
  alertmanager?: string;
  kubeconfig?: string;
  context?: string;
}

/** A hub to test (embedded or real) and the Prometheus watching it; `close()` stops what was started. */
export interface OpenTarget {
  kind: 'embedded' | 'url';
  url: string;
  adminUrl?: string;
  hubProfile?: string;
  hub?: HubHandle;
  check: CheckTarget;
  prometheus?: PrometheusClient;
  /** Why no Prometheus watches the run, when none does. */
  prometheusNote?: string;
  /** Port the engine's callback server (and its /metrics) uses, so Prometheus can scrape it. */
  enginePort?: number;
  close(): Promise<void>;
}

function url(flag: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (!/^https?:\/\/[^/\s]+/.test(v)) {
    throw new MlperfError('USAGE', `${flag}: "${v}" is not an http(s) URL`, {
      hint: `e.g. ${flag} http://127.0.0.1:3000`,
      exitCode: ExitCode.badInput,
    });
  }
  return v.replace(/\/+$/, '');
}

/** Starts the embedded hub (or describes the real one) and the Prometheus for it. */
export async function openTarget(
  suite: SuiteDefinition,
  flags: TargetFlags,
  opts: { prometheus?: boolean } = {},
): Promise<OpenTarget> {
  const alertmanagerUrl = url('--alertmanager', flags.alertmanager);
  let prometheusUrl = url('--prometheus', flags.prometheus);
  const kube: KubeAccess | undefined = flags.kubeconfig
    ? loadKubeAccess(flags.kubeconfig, flags.context)
    : undefined;
  const extra = { ...(alertmanagerUrl ? { alertmanagerUrl } : {}), ...(kube ? { kube } : {}) };
  const targetUrl =
    flags.target === undefined || flags.target === 'embedded' ? undefined : url('--target', flags.target);
  if (targetUrl) {
    if (flags['hub-profile']) {
      throw new MlperfError('USAGE', '--hub-profile only applies to the embedded hub', {
        hint: 'drop --target to test the embedded hub with a profile, or drop --hub-profile',
      });
    }
    const adminUrl = url('--admin-url', flags['admin-url']);
    const health: ServiceEndpoint[] = flags.health
      ? parseServiceUrls('--health', flags.health)
      : [
          { service: 'ml-api-adapter', url: `${targetUrl}/health` },
          ...(adminUrl ? [{ service: 'central-ledger', url: `${adminUrl}/health` }] : []),
        ];
    const client = prometheusUrl ? new PrometheusClient({ url: prometheusUrl }) : undefined;
    return {
      kind: 'url',
      url: targetUrl,
      ...(adminUrl ? { adminUrl } : {}),
      check: {
        kind: 'url',
        health,
        metrics: parseServiceUrls('--metrics', flags.metrics),
        ...(adminUrl ? { adminUrl } : {}),
        ...(prometheusUrl ? { prometheusUrl } : {}),
        ...extra,
      },
      ...(client
        ? { prometheus: client }
        : { prometheusNote: 'no --prometheus given: CPU, memory and bottleneck causes cannot be judged' }),
      close: async () => {},
    };
  }
  const profile = flags['hub-profile'] ?? 'healthy';
  if (!(HUB_PROFILE_NAMES as readonly string[]).includes(profile)) {
    throw new MlperfError('USAGE', `--hub-profile: "${profile}" is not a hub profile`, {
      hint: `use one of: ${HUB_PROFILE_NAMES.join(', ')}`,
    });
  }
  const hub = await startHub({
    isolation: 'process',
    profile: profile as HubProfileName,
    dfsps: suite.dfsps,
  });
  let prom: PrivatePrometheus | undefined;
  let enginePort: number | undefined;
  try {
    if (!prometheusUrl && opts.prometheus !== false && !flags['no-private-prometheus']) {
      enginePort = await freePort();
      prom = await startPrivatePrometheus({
        scrapeTargets: [
          { job: 'hub', url: hub.metricsUrl },
          { job: 'mlperf-engine', url: `http://127.0.0.1:${enginePort}/metrics` },
        ],
        waitForFirstScrape: false,
      });
      if (prom.running) prometheusUrl = prom.url;
    }
  } catch (err) {
    await hub.stop();
    throw err;
  }
  const client = prom?.running
    ? prom.client
    : prometheusUrl
      ? new PrometheusClient({ url: prometheusUrl })
      : undefined;
  return {
    kind: 'embedded',
    url: hub.url,
    adminUrl: hub.adminUrl,
    hubProfile: profile,
    hub,
    check: {
      kind: 'embedded',
      health: HUB_SERVICES.map((s) => ({ service: s, url: `${hub.url}/health/${s}` })),
      metrics: [{ service: 'hub', url: hub.metricsUrl }],
      adminUrl: hub.adminUrl,
      ...(prometheusUrl ? { prometheusUrl } : {}),
      ...extra,
    },
    ...(client ? { prometheus: client } : {}),
    ...(prom && !prom.running
      ? { prometheusNote: `no private Prometheus: ${prom.reason} (${prom.install})` }
      : {}),
    ...(enginePort !== undefined ? { enginePort } : {}),
    close: async () => {
      await prom?.stop();
      await hub.stop();
    },
  };
}
