import { readFileSync } from 'node:fs';
import { ExitCode, MlperfError, type SuiteDefinition } from '@mlperf/core';
import {
  freePort,
  type PrivatePrometheus,
  PROMETHEUS_ENV,
  PrometheusClient,
  DEFAULT_METRIC_PREFIXES,
  parseMetricPrefix,
  safeUrl,
  validationRecordingRules,
  startPrivatePrometheus,
} from '@mlperf/core/promql';
import { HUB_PROFILE_NAMES, HUB_SERVICES, type HubHandle, type HubProfileName, startHub } from '@mlperf/hub';
import {
  type CheckTarget,
  DEFAULT_CALLBACK_PORT,
  type KubeAccess,
  loadKubeAccess,
  type ServiceEndpoint,
} from '@mlperf/scenarios';
import type { ArgsDef } from 'citty';
import { numberFlag } from '../commands/_suite-source.js';
import { parseServiceUrls } from '../commands/monitor.js';
import { type MetricsEndpoint, type ResolvedPrefixes, resolveMetricPrefixes } from './metric-names.js';

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
  'callback-port': {
    type: 'string',
    description: `Port of the DFSP callback server (default ${DEFAULT_CALLBACK_PORT} against a real hub, whose ml-api-adapter caches callback endpoints; a free one for the embedded hub; 0: a free one)`,
    valueHint: 'port',
  },
  'metric-prefix': {
    type: 'string',
    description:
      "Mojaloop metric prefix: one for both services (moja_) or central-ledger=moja_cl_,ml-api-adapter=moja_ml_ (default: discovered from the services' /metrics or Prometheus)",
    valueHint: 'prefix',
  },
  'callback-wait': {
    type: 'string',
    description:
      "Real hub: how long to wait (seconds, default 240) for the hub to call this run's callback address (its endpoint cache) before giving up with exit 3",
    valueHint: 's',
  },
  'lookup-wait': {
    type: 'string',
    description:
      'How long (seconds, default 5; 0: off) a transfer that reached its timeout without a callback is looked up (GET /transfers/{id}) before it counts as a timeout',
    valueHint: 's',
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
  'callback-port'?: string;
  'callback-wait'?: string;
  'lookup-wait'?: string;
  'metric-prefix'?: string;
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
  /** Real hub: bound on the wait for its endpoint cache before load (`--callback-wait`). */
  callbackWaitMs?: number;
  /** How long a timed-out transfer is looked up before it counts as a timeout (`--lookup-wait`). */
  lookupWaitMs?: number;
  /** The Mojaloop metric prefixes the catalogue queries use, and where they came from. */
  metricPrefixes: ResolvedPrefixes;
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
  opts: {
    prometheus?: boolean;
    /** Lines the embedded hub logs (failed callbacks, crashes). */
    hubLog?: (line: string) => void;
    /** Port for the engine's callback server (and its /metrics); default from `--callback-port`. */
    enginePort?: number;
  } = {},
): Promise<OpenTarget> {
  const flagPort = numberFlag('--callback-port', flags['callback-port'], { integer: true, min: 0 });
  if (flagPort !== undefined && flagPort > 65_535) {
    throw new MlperfError('USAGE', `--callback-port: ${flagPort} is not a port`, {
      hint: `use 1-65535, or 0 for a free one (default ${DEFAULT_CALLBACK_PORT} against a real hub)`,
      exitCode: ExitCode.badInput,
    });
  }
  const callbackPort = opts.enginePort ?? flagPort;
  const waitS = numberFlag('--callback-wait', flags['callback-wait'], { min: 0 });
  const lookupS = numberFlag('--lookup-wait', flags['lookup-wait'], { min: 0 });
  const lookup = lookupS !== undefined ? { lookupWaitMs: lookupS * 1000 } : {};
  const alertmanagerRaw = url(
    '--alertmanager',
    flags.alertmanager ?? process.env[PROMETHEUS_ENV.alertmanagerUrl],
  );
  const prometheusRaw = url('--prometheus', flags.prometheus ?? process.env[PROMETHEUS_ENV.url]);
  // credentials (in the URL or MLPERF_PROMETHEUS_*) go to headers; only credential-free URLs are kept
  const prometheusHeaders = authHeaders(prometheusRaw ?? alertmanagerRaw);
  const alertmanagerUrl = alertmanagerRaw ? safeUrl(alertmanagerRaw) : undefined;
  let prometheusUrl = prometheusRaw ? safeUrl(prometheusRaw) : undefined;
  const kube: KubeAccess | undefined = flags.kubeconfig
    ? loadKubeAccess(flags.kubeconfig, flags.context)
    : undefined;
  const extra = {
    ...(alertmanagerUrl ? { alertmanagerUrl } : {}),
    ...(kube ? { kube } : {}),
    ...(prometheusHeaders ? { prometheusHeaders } : {}),
  };
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
    const metricsEndpoints: MetricsEndpoint[] = flags.metrics
      ? parseServiceUrls('--metrics', flags.metrics)
      : [
          { service: 'ml-api-adapter', url: `${targetUrl}/metrics` },
          ...(adminUrl ? [{ service: 'central-ledger', url: `${adminUrl}/metrics` }] : []),
        ];
    const external = prometheusRaw ? PrometheusClient.fromEnv({ url: prometheusRaw }) : undefined;
    const metricPrefixes = await resolveMetricPrefixes({
      ...(flags['metric-prefix'] !== undefined ? { flag: flags['metric-prefix'] } : {}),
      endpoints: metricsEndpoints,
      ...(external ? { prometheus: external } : {}),
    });
    const enginePort = callbackPort ?? DEFAULT_CALLBACK_PORT;
    const prom =
      !external && opts.prometheus !== false && !flags['no-private-prometheus']
        ? await startPrivatePrometheus({
            scrapeTargets: [
              ...metricsEndpoints.map((e) => ({ job: e.service, url: e.url })),
              { job: 'mlperf-engine', url: `http://127.0.0.1:${enginePort || 1}/metrics` },
            ],
            recordingRules: validationRecordingRules({ prefixes: metricPrefixes.prefixes, interval: '1s' }),
            waitForFirstScrape: false,
          })
        : undefined;
    if (prom?.running) prometheusUrl = prom.url;
    const client = prom?.running ? prom.client : external;
    return {
      kind: 'url',
      metricPrefixes,
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
        : {
            prometheusNote: prom
              ? `no private Prometheus: ${prom.running ? '' : `${prom.reason} (${prom.install})`}`
              : 'no --prometheus given: CPU, memory and bottleneck causes cannot be judged',
          }),
      enginePort,
      ...(waitS !== undefined ? { callbackWaitMs: waitS * 1000 } : {}),
      ...lookup,
      close: async () => {
        await prom?.stop();
      },
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
    ...(opts.hubLog ? { log: opts.hubLog } : {}),
  });
  let prom: PrivatePrometheus | undefined;
  let enginePort: number | undefined;
  try {
    if (!prometheusUrl && opts.prometheus !== false && !flags['no-private-prometheus']) {
      enginePort = callbackPort || (await freePort());
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
    : prometheusRaw
      ? PrometheusClient.fromEnv({ url: prometheusRaw })
      : undefined;
  return {
    kind: 'embedded',
    metricPrefixes: flags['metric-prefix']
      ? { prefixes: parseMetricPrefix(flags['metric-prefix']), source: '--metric-prefix' }
      : { prefixes: { ...DEFAULT_METRIC_PREFIXES }, source: "the embedded hub (the services' defaults)" },
    url: hub.url,
    adminUrl: hub.adminUrl,
    hubProfile: profile,
    ...lookup,
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
    ...(client ? {} : { prometheusNote: embeddedNoPrometheus(prom) }),
    ...(enginePort !== undefined ? { enginePort } : callbackPort ? { enginePort: callbackPort } : {}),
    close: async () => {
      await prom?.stop();
      await hub.stop();
    },
  };
}

function embeddedNoPrometheus(prom: PrivatePrometheus | undefined): string {
  return prom && !prom.running
    ? `no private Prometheus: ${prom.reason} (install: ${prom.install})`
    : 'no Prometheus: no private Prometheus was started (--no-private-prometheus) and no --prometheus URL was given';
}

/** Authorization for Prometheus / Alertmanager: user:password in the URL, else MLPERF_PROMETHEUS_* variables. */
function authHeaders(
  raw: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> | undefined {
  const basic = (user: string, password: string) => ({
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  });
  if (raw) {
    const u = new URL(raw);
    if (u.username) return basic(decodeURIComponent(u.username), decodeURIComponent(u.password));
  }
  const tokenFile = env[PROMETHEUS_ENV.tokenFile];
  const token = env[PROMETHEUS_ENV.token] ?? (tokenFile ? readFileSync(tokenFile, 'utf8').trim() : undefined);
  if (token) return { authorization: `Bearer ${token}` };
  const user = env[PROMETHEUS_ENV.username];
  if (user) return basic(user, env[PROMETHEUS_ENV.password] ?? '');
  return undefined;
}
