import { httpGet } from './http.js';
import { parsePromText } from './prom-text.js';
import { promInstant } from './prom-api.js';
import type { CheckNumber, CheckResult, CheckTarget } from './types.js';

type Partial_ = Omit<CheckResult, 'durationMs'>;

/** Uptime a real hub should have before a test (the Phase-07 plan's "30 min uptime"). */
export const MIN_UPTIME_S = 30 * 60;

interface HealthBody {
  status?: string;
  uptime?: number;
  services?: { name?: string; status?: string }[];
}

/** Every service's `/health` answers 2xx and, when it says so, `status: OK` (Mojaloop's health format). */
export async function checkServicesHealthy(target: CheckTarget): Promise<Partial_> {
  const title = 'All services healthy';
  if (target.health.length === 0) {
    return {
      id: 'services-healthy',
      title,
      status: 'fail',
      reason: 'no health endpoint is known for the target',
      numbers: [],
      hint: 'give the services with --health <service>=<url> (ml-api-adapter, central-ledger, account-lookup, quoting)',
    };
  }
  const answers = await Promise.all(target.health.map(async (h) => ({ h, a: await httpGet(h.url) })));
  const numbers: CheckNumber[] = [];
  const bad: string[] = [];
  let unreachable = false;
  for (const { h, a } of answers) {
    numbers.push({ label: `${h.service} /health`, value: Math.round(a.ms), unit: 'ms' });
    if (a.error) {
      unreachable = true;
      bad.push(`${h.service} unreachable at ${h.url} (${a.error})`);
      continue;
    }
    if (!a.ok) {
      bad.push(`${h.service} answered HTTP ${a.status}`);
      continue;
    }
    const body = tryJson<HealthBody>(a.body);
    const down = [
      ...(body?.status && !/^(ok|up|healthy)$/i.test(body.status) ? [`status ${body.status}`] : []),
      ...(body?.services ?? [])
        .filter((s) => s.status && !/^(ok|up|healthy)$/i.test(s.status))
        .map((s) => `${s.name ?? '?'} ${s.status}`),
    ];
    if (down.length > 0) bad.push(`${h.service}: ${down.join(', ')}`);
  }
  const healthy = target.health.length - bad.length;
  numbers.unshift(
    { label: 'healthy services', value: healthy },
    { label: 'services', value: target.health.length },
  );
  if (bad.length === 0) {
    return {
      id: 'services-healthy',
      title,
      status: 'pass',
      reason: `${healthy} of ${healthy} healthy`,
      numbers,
    };
  }
  return {
    id: 'services-healthy',
    title,
    status: 'fail',
    reason: bad.join('; '),
    numbers,
    hint: unreachable
      ? 'start the hub or fix the URL; for the embedded hub omit --target'
      : 'look at the failing service (kubectl logs / describe) and restart it before testing',
    unavailable: unreachable,
  };
}

/**
 * Uptime from `process_start_time_seconds` (Prometheus, else each `/metrics`, else the `uptime` of
 * Mojaloop's `/health` answers). A real hub warns below 30 minutes: a service that restarted
 * recently may still be warming up (JIT, pools, caches), or may be crash-looping. The embedded hub is started by mlperf itself seconds before the check,
 * so its uptime says nothing about readiness: it passes when it reports a start time at all.
 */
export async function checkUptime(target: CheckTarget, nowMs: number): Promise<Partial_> {
  const title = 'Services up long enough (30 min uptime)';
  const starts: { service: string; start: number }[] = [];
  const problems: string[] = [];
  if (target.prometheusUrl) {
    const r = await promInstant(target.prometheusUrl, 'process_start_time_seconds', target.prometheusHeaders);
    if (r.problem) problems.push(r.problem);
    for (const s of r.samples) {
      starts.push({
        service: s.labels.job ?? s.labels.service ?? s.labels.instance ?? 'process',
        start: s.value,
      });
    }
  }
  if (starts.length === 0) {
    for (const m of target.metrics) {
      const a = await httpGet(m.url);
      if (a.error || !a.ok) {
        problems.push(`${m.service} /metrics: ${a.error ?? `HTTP ${a.status}`}`);
        continue;
      }
      const s = parsePromText(a.body).find((x) => x.name === 'process_start_time_seconds');
      if (s) starts.push({ service: m.service, start: s.value });
      else problems.push(`${m.service} /metrics has no process_start_time_seconds`);
    }
  }
  if (starts.length === 0) {
    // Mojaloop's /health answers carry `uptime` (seconds) too
    for (const h of target.health) {
      const a = await httpGet(h.url);
      const up = tryJson<HealthBody>(a.body)?.uptime;
      if (typeof up === 'number' && Number.isFinite(up))
        starts.push({ service: h.service, start: nowMs / 1000 - up });
    }
  }
  if (starts.length === 0) {
    return {
      id: 'uptime',
      title,
      status: 'warn',
      reason: `uptime unknown: ${problems.join('; ') || 'no metrics endpoint or Prometheus given'}`,
      numbers: [],
      hint: 'give --prometheus <url> or --metrics <service>=<url> so uptime can be read',
    };
  }
  const numbers = starts.map((s) => ({
    label: `${s.service} uptime`,
    value: Math.max(0, Math.round(nowMs / 1000 - s.start)),
    unit: 's',
  }));
  const youngest = numbers.reduce((a, b) => (b.value < a.value ? b : a));
  if (target.kind === 'embedded') {
    return {
      id: 'uptime',
      title,
      status: 'pass',
      reason: `embedded hub started ${youngest.value}s ago by mlperf; a fresh simulator needs no warm-up, so uptime is not judged`,
      numbers,
    };
  }
  if (youngest.value < MIN_UPTIME_S) {
    return {
      id: 'uptime',
      title,
      status: 'warn',
      reason: `${youngest.label.replace(/ uptime$/, '')} has been up only ${Math.round(youngest.value / 60)} min (< 30 min)`,
      numbers,
      hint: 'a recent restart may mean a crash loop or a cold service; check its restarts, or wait',
    };
  }
  return {
    id: 'uptime',
    title,
    status: 'pass',
    reason: `every service up at least ${Math.floor(youngest.value / 60)} min`,
    numbers,
  };
}

function tryJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
