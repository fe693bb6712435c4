import { MlperfError } from '@mlperf/core';
import type { HubKnobs, HubKnobsPatch, HubProfile, HubProfileName } from './types.js';

const MiB = 1024 * 1024;

/** Capacity well above 1000 TPS: the limit is the Node.js process, not the emulated pipeline. */
const HEALTHY: HubKnobs = {
  ingressServiceTimeMs: 0.05,
  maxBacklog: 100_000,
  stages: {
    prepare: { partitions: 12, consumers: 12, inFlightPerConsumer: 16, serviceTimeMs: 0.2, queries: 1 },
    position: { partitions: 8, consumers: 8, inFlightPerConsumer: 1, serviceTimeMs: 0.1, queries: 1 },
    fulfil: { partitions: 12, consumers: 12, inFlightPerConsumer: 16, serviceTimeMs: 0.2, queries: 1 },
    notification: { partitions: 12, consumers: 12, inFlightPerConsumer: 64, serviceTimeMs: 0.05, queries: 0 },
  },
  dbPool: { size: 40, queryTimeMs: 0.3, acquireTimeoutMs: 5000 },
  cpuCores: { 'ml-api-adapter': 4, 'central-ledger': 4, mysql: 4, kafka: 2 },
  memoryLimitBytes: {
    'ml-api-adapter': 1024 * MiB,
    'central-ledger': 2048 * MiB,
    mysql: 4096 * MiB,
    kafka: 4096 * MiB,
  },
  memoryBaseBytes: {
    'ml-api-adapter': 180 * MiB,
    'central-ledger': 320 * MiB,
    mysql: 900 * MiB,
    kafka: 1200 * MiB,
  },
  restartMs: 2000,
  faults: {
    errorRate: 0,
    errorCode: '2001',
    latencyMs: 0,
    latencyJitterMs: 0,
    latencyRatio: 1,
    latencyStage: 'position',
    leakBytesPerTransfer: 0,
    leakService: 'central-ledger',
    stall: null,
    crash: null,
    lostCallbackRatio: 0,
  },
  callbacks: { retries: 2, retryDelayMs: 50, timeoutMs: 5000, maxSockets: 128 },
  duplicateTtlMs: 60_000,
  duplicateMaxEntries: 200_000,
};

interface ProfileSpec {
  description: string;
  evidence: string;
  patch: HubKnobsPatch;
}

const SPECS: Record<HubProfileName, ProfileSpec> = {
  healthy: {
    description: 'Every stage has headroom; the hub clears well above 1000 transfers/s.',
    evidence: 'sum(rate(moja_cl_transfers_total{outcome="committed"}[1m])) tracks the offered rate',
    patch: {},
  },
  'db-pool-exhausted': {
    description:
      'A 5-connection pool with 5 ms queries (4 queries per transfer): about 250 transfers/s, then queries queue for a connection.',
    evidence:
      'mysql_global_status_threads_connected / mysql_global_variables_max_connections = 1 and histogram_quantile(0.95, rate(moja_cl_db_pool_wait_seconds_bucket[1m])) rising',
    patch: { dbPool: { size: 5, queryTimeMs: 5 } },
  },
  'kafka-lag': {
    description:
      'The position topic has one partition and one consumer at 2 ms per message: about 250 transfers/s, then the position lag grows.',
    evidence: 'sum by (topic) (kafka_consumergroup_lag{topic="topic-transfer-position"}) growing',
    patch: { stages: { position: { partitions: 1, consumers: 1, serviceTimeMs: 2 } } },
  },
  'cpu-throttled': {
    description:
      'central-ledger gets a 0.25-core CFS quota for about 1.3 ms of handler CPU per transfer: about 190 transfers/s, throttled.',
    evidence:
      'rate(container_cpu_cfs_throttled_periods_total{container="central-ledger"}[1m]) / rate(container_cpu_cfs_periods_total{container="central-ledger"}[1m]) near 1',
    patch: {
      cpuCores: { 'central-ledger': 0.25 },
      stages: {
        prepare: { serviceTimeMs: 0.5 },
        position: { serviceTimeMs: 0.3 },
        fulfil: { serviceTimeMs: 0.2 },
      },
    },
  },
  'memory-leak': {
    description:
      'central-ledger keeps 64 KiB per committed transfer; its working set climbs until it is OOM-killed and restarts.',
    evidence:
      'deriv(container_memory_working_set_bytes{container="central-ledger"}[5m]) > 0 (and kube_pod_container_status_restarts_total at the limit)',
    patch: { faults: { leakBytesPerTransfer: 64 * 1024, leakService: 'central-ledger' } },
  },
  flaky: {
    description:
      '2% of prepares fail with 2001, 10% of position messages take up to 40 ms longer, and central-ledger stalls 300 ms every 10 s.',
    evidence: 'sum by (error_code) (rate(moja_cl_transfers_total{outcome="aborted"}[1m])) shows 2001',
    patch: {
      faults: {
        errorRate: 0.02,
        errorCode: '2001',
        latencyJitterMs: 40,
        latencyRatio: 0.1,
        latencyStage: 'position',
        stall: { service: 'central-ledger', everyMs: 10_000, forMs: 300 },
      },
    },
  },
};

export const HUB_PROFILE_NAMES = Object.keys(SPECS) as HubProfileName[];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Applies `patch` over `base`, checking every key and value type against the base; `path` names the input. */
export function mergeKnobs(base: HubKnobs, patch: HubKnobsPatch, path = 'knobs'): HubKnobs {
  return mergeValue(base, patch, path) as HubKnobs;
}

function mergeValue(base: unknown, patch: unknown, path: string): unknown {
  if (patch === undefined) return base;
  const nullable = path.endsWith('.stall') || path.endsWith('.crash');
  if (patch === null && nullable) return null;
  if (isPlainObject(base)) {
    if (!isPlainObject(patch)) throw badKnob(path, 'an object', patch);
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      if (!(k in base))
        throw new MlperfError(
          'HUB_KNOB_INVALID',
          `${path}.${k}: unknown knob; ${path} has ${Object.keys(base).join(', ')}`,
          { hint: 'see the knobs table in the @mlperf/hub README' },
        );
      out[k] = mergeValue(base[k], v, `${path}.${k}`);
    }
    return out;
  }
  if (base === null) {
    if (nullable) {
      const full = { service: 'central-ledger', everyMs: 10_000, forMs: 1000 };
      return mergeValue(full, patch, path);
    }
    throw badKnob(path, 'null', patch);
  }
  if (typeof base === 'number') {
    if (typeof patch !== 'number' || !Number.isFinite(patch) || patch < 0)
      throw badKnob(path, 'a number >= 0', patch);
    return patch;
  }
  if (typeof patch !== typeof base) throw badKnob(path, `a ${typeof base}`, patch);
  return patch;
}

function badKnob(path: string, expected: string, got: unknown): MlperfError {
  return new MlperfError(
    'HUB_KNOB_INVALID',
    `${path}: invalid value ${JSON.stringify(got)}; expected ${expected}`,
    {
      hint: 'see the knobs table in the @mlperf/hub README',
    },
  );
}

function checkKnobs(k: HubKnobs): HubKnobs {
  for (const [name, s] of Object.entries(k.stages)) {
    for (const f of ['partitions', 'consumers', 'inFlightPerConsumer'] as const) {
      if (!Number.isInteger(s[f]) || s[f] < 1)
        throw badKnob(`knobs.stages.${name}.${f}`, 'an integer >= 1', s[f]);
    }
  }
  if (!Number.isInteger(k.dbPool.size) || k.dbPool.size < 1)
    throw badKnob('knobs.dbPool.size', 'an integer >= 1', k.dbPool.size);
  for (const [svc, cores] of Object.entries(k.cpuCores)) {
    if (cores <= 0) throw badKnob(`knobs.cpuCores.${svc}`, 'a number > 0', cores);
  }
  if (k.faults.errorRate > 1) throw badKnob('knobs.faults.errorRate', 'a fraction 0..1', k.faults.errorRate);
  if (!(k.faults.lostCallbackRatio >= 0 && k.faults.lostCallbackRatio <= 1))
    throw badKnob('knobs.faults.lostCallbackRatio', 'a fraction 0..1', k.faults.lostCallbackRatio);
  if (k.faults.latencyRatio > 1)
    throw badKnob('knobs.faults.latencyRatio', 'a fraction 0..1', k.faults.latencyRatio);
  for (const o of [k.faults.stall, k.faults.crash]) {
    if (o && o.everyMs <= o.forMs) throw badKnob('knobs.faults outage', 'everyMs > forMs', o);
  }
  return k;
}

function build(name: HubProfileName): HubProfile {
  const spec = SPECS[name];
  return {
    name,
    description: spec.description,
    evidence: spec.evidence,
    knobs: mergeKnobs(HEALTHY, spec.patch),
  };
}

/** The named profiles, each documenting the metric where its cause shows. */
export const HUB_PROFILES: Readonly<Record<HubProfileName, HubProfile>> = Object.freeze(
  Object.fromEntries(HUB_PROFILE_NAMES.map((n) => [n, build(n)])) as Record<HubProfileName, HubProfile>,
);

/** A named profile (or a full profile object) with `patch` applied; throws MlperfError on unknown names or bad knobs. */
export function resolveHubProfile(
  profile: HubProfileName | HubProfile | undefined,
  patch?: HubKnobsPatch,
): HubProfile {
  let base: HubProfile;
  if (profile === undefined) base = HUB_PROFILES.healthy;
  else if (typeof profile === 'string') {
    const found = HUB_PROFILES[profile as HubProfileName];
    if (!found)
      throw new MlperfError('HUB_PROFILE_UNKNOWN', `unknown hub profile "${profile}"`, {
        hint: `use one of: ${HUB_PROFILE_NAMES.join(', ')}`,
      });
    base = found;
  } else {
    base = { ...profile, knobs: mergeKnobs(HEALTHY, profile.knobs as HubKnobsPatch) };
  }
  const knobs = checkKnobs(patch ? mergeKnobs(base.knobs, patch) : structuredClone(base.knobs));
  return { ...base, knobs };
}

/**
 * Parses `path=value` assignments separated by commas (`dbPool.size=5,faults.errorRate=0.01`) into a
 * knobs patch; values are numbers, true/false, null, JSON objects or strings. Keys are checked when applied.
 */
export function parseKnobAssignments(text: string): HubKnobsPatch {
  const patch: Record<string, unknown> = {};
  for (const part of text.split(/,(?![^{]*})/)) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq <= 0)
      throw new MlperfError('HUB_KNOB_INVALID', `"${item}" is not a knob assignment`, {
        hint: 'write path=value, e.g. dbPool.size=5 or faults.errorRate=0.01',
      });
    const path = item.slice(0, eq).trim().split('.');
    const raw = item.slice(eq + 1).trim();
    let value: unknown = raw;
    if (raw === 'null') value = null;
    else if (raw === 'true' || raw === 'false') value = raw === 'true';
    else if (raw !== '' && Number.isFinite(Number(raw))) value = Number(raw);
    else if (raw.startsWith('{')) {
      try {
        value = JSON.parse(raw);
      } catch {
        throw new MlperfError('HUB_KNOB_INVALID', `${path.join('.')}: ${raw} is not valid JSON`, {
          hint: 'quote keys: {"service":"central-ledger","everyMs":10000,"forMs":500}',
        });
      }
    }
    let node = patch;
    for (const k of path.slice(0, -1)) {
      const next = node[k];
      if (typeof next !== 'object' || next === null) node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    node[path.at(-1) ?? ''] = value;
  }
  return patch as HubKnobsPatch;
}
