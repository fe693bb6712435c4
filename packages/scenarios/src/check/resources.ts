import { httpGet, httpJson, joinUrl } from './http.js';
import { promInstant } from './prom-api.js';
import { parsePromText, type Sample } from './prom-text.js';
import type { CheckNumber, CheckResult, CheckTarget } from './types.js';

type Partial_ = Omit<CheckResult, 'durationMs'>;

/**
 * The Phase-07 plan's "Resource utilization < 20%" before a test, applied to CPU (of the CFS quota): at or
 * above `FAIL_UTILISATION` something else is loading the hub. Memory at rest is a base working set
 * (JVMs, caches), not load: it is judged against the Critical Metrics bands instead (warn above the
 * 70% target, fail above the 80% warning level), since a test starting there has no room to run.
 */
export const MAX_IDLE_UTILISATION = 0.2;
export const FAIL_UTILISATION = 0.5;
export const MEMORY_WARN = 0.7;
export const MEMORY_FAIL = 0.8;

const CPU_QUERY =
  'sum by (container) (rate(container_cpu_usage_seconds_total{container!=""}[1m])) / on (container) ' +
  'sum by (container) (container_spec_cpu_quota{container!=""} / container_spec_cpu_period{container!=""})';
const MEMORY_QUERY =
  'sum by (container) (container_memory_working_set_bytes{container!=""}) / on (container) ' +
  'sum by (container) (container_spec_memory_limit_bytes{container!=""} > 0)';

interface Usage {
  container: string;
  cpu?: number;
  memory?: number;
}

/** CPU (of the CFS quota) and memory (of the limit) per container, from Prometheus or two `/metrics` scrapes. */
export async function checkResourceUtilisation(
  target: CheckTarget,
  options: { sampleMs?: number } = {},
): Promise<Partial_> {
  const title = 'Resource utilization < 20%';
  let usage: Usage[] = [];
  const problems: string[] = [];
  let source = '';
  if (target.prometheusUrl) {
    const [cpu, mem] = await Promise.all([
      promInstant(target.prometheusUrl, CPU_QUERY, target.prometheusHeaders),
      promInstant(target.prometheusUrl, MEMORY_QUERY, target.prometheusHeaders),
    ]);
    for (const p of [cpu.problem, mem.problem]) if (p) problems.push(p);
    usage = merge(cpu.samples, mem.samples);
    source = 'Prometheus (cAdvisor)';
  }
  if (usage.length === 0 && target.metrics.length > 0) {
    usage = await scrapeUsage(target, options.sampleMs ?? 1000, problems);
    source = 'the services\u2019 /metrics (cAdvisor names)';
  }
  if (usage.length === 0) {
    return {
      id: 'resource-utilisation',
      title,
      status: 'warn',
      reason: `utilisation unknown: ${problems.join('; ') || 'no cAdvisor metrics found'}`,
      numbers: [],
      hint: 'give --prometheus <url> with cAdvisor (kubelet) metrics scraped',
    };
  }
  const numbers: CheckNumber[] = [];
  let cpu = { label: '', value: -1 };
  let mem = { label: '', value: -1 };
  for (const u of usage) {
    if (u.cpu !== undefined) {
      const label = `${u.container} CPU`;
      numbers.push({ label, value: round(u.cpu), unit: 'ratio' });
      if (u.cpu > cpu.value) cpu = { label, value: u.cpu };
    }
    if (u.memory !== undefined) {
      const label = `${u.container} memory`;
      numbers.push({ label, value: round(u.memory), unit: 'ratio' });
      if (u.memory > mem.value) mem = { label, value: u.memory };
    }
  }
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const base = { id: 'resource-utilisation' as const, title, numbers };
  const fails: string[] = [];
  const warns: string[] = [];
  if (cpu.value >= FAIL_UTILISATION) fails.push(`${cpu.label} at ${pct(cpu.value)} before any load`);
  else if (cpu.value >= MAX_IDLE_UTILISATION)
    warns.push(`${cpu.label} at ${pct(cpu.value)} (>= 20%) before any load`);
  if (mem.value >= MEMORY_FAIL) fails.push(`${mem.label} at ${pct(mem.value)} of its limit (>= 80%)`);
  else if (mem.value >= MEMORY_WARN) warns.push(`${mem.label} at ${pct(mem.value)} of its limit (>= 70%)`);
  if (fails.length > 0) {
    return {
      ...base,
      status: 'fail',
      reason: `${[...fails, ...warns].join('; ')} (from ${source})`,
      hint: 'something is already loading the hub (another test? a leak?): find it before testing',
    };
  }
  if (warns.length > 0) {
    return {
      ...base,
      status: 'warn',
      reason: `${warns.join('; ')} (from ${source})`,
      hint: 'results will carry this background load; wait for it to settle or find its source',
    };
  }
  const parts = [
    ...(cpu.value >= 0 ? [`${cpu.label} at ${pct(cpu.value)}`] : []),
    ...(mem.value >= 0 ? [`${mem.label} at ${pct(mem.value)}`] : []),
  ];
  return { ...base, status: 'pass', reason: `${parts.join(', ')} (from ${source})` };
}

async function scrapeUsage(target: CheckTarget, sampleMs: number, problems: string[]): Promise<Usage[]> {
  const scrape = async () => {
    const all: Sample[] = [];
    for (const m of target.metrics) {
      const a = await httpGet(m.url);
      if (a.error || !a.ok) problems.push(`${m.service} /metrics: ${a.error ?? `HTTP ${a.status}`}`);
      else all.push(...parsePromText(a.body));
    }
    return { t: performance.now(), samples: all };
  };
  const first = await scrape();
  await new Promise((r) => setTimeout(r, sampleMs));
  const second = await scrape();
  const dt = (second.t - first.t) / 1000;
  const byContainer = (samples: Sample[], name: string) => {
    const out = new Map<string, number>();
    for (const s of samples) {
      if (s.name !== name || !s.labels.container) continue;
      out.set(s.labels.container, (out.get(s.labels.container) ?? 0) + s.value);
    }
    return out;
  };
  const cpu0 = byContainer(first.samples, 'container_cpu_usage_seconds_total');
  const cpu1 = byContainer(second.samples, 'container_cpu_usage_seconds_total');
  const quota = byContainer(second.samples, 'container_spec_cpu_quota');
  const period = byContainer(second.samples, 'container_spec_cpu_period');
  const ws = byContainer(second.samples, 'container_memory_working_set_bytes');
  const limit = byContainer(second.samples, 'container_spec_memory_limit_bytes');
  const containers = new Set([...cpu1.keys(), ...ws.keys()]);
  const out: Usage[] = [];
  for (const c of containers) {
    const u: Usage = { container: c };
    const cores = (quota.get(c) ?? 0) / (period.get(c) || Number.NaN);
    const used = (cpu1.get(c) ?? Number.NaN) - (cpu0.get(c) ?? Number.NaN);
    if (cores > 0 && Number.isFinite(used) && dt > 0) u.cpu = Math.max(0, used / dt / cores);
    const lim = limit.get(c) ?? 0;
    if (lim > 0 && ws.has(c)) u.memory = (ws.get(c) ?? 0) / lim;
    if (u.cpu !== undefined || u.memory !== undefined) out.push(u);
  }
  return out.sort((a, b) => a.container.localeCompare(b.container));
}

function merge(cpu: Sample[], mem: Sample[]): Usage[] {
  const out = new Map<string, Usage>();
  const get = (c: string) => out.get(c) ?? out.set(c, { container: c }).get(c)!;
  for (const s of cpu) get(s.labels.container ?? '?').cpu = s.value;
  for (const s of mem) get(s.labels.container ?? '?').memory = s.value;
  return [...out.values()].sort((a, b) => a.container.localeCompare(b.container));
}

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}

interface PromAlert {
  labels: Record<string, string>;
  state?: string;
  status?: { state?: string };
}

/** Alerts that always fire by design (kube-prometheus' dead man's switch) and say nothing about health. */
const ALWAYS_FIRING = new Set(['Watchdog', 'InfoInhibitor', 'DeadMansSwitch']);

/** No firing (fail) or pending (warn) alerts, from Prometheus' rules and/or Alertmanager. */
export async function checkAlerts(target: CheckTarget): Promise<Partial_> {
  const title = 'No pending alerts';
  if (!target.prometheusUrl && !target.alertmanagerUrl) {
    return {
      id: 'no-firing-alerts',
      title,
      status: 'skip',
      reason: 'no Prometheus or Alertmanager given',
      numbers: [],
      hint: 'give --prometheus <url> and/or --alertmanager <url> to check alerts',
    };
  }
  const firing = new Set<string>();
  const pending = new Set<string>();
  const problems: string[] = [];
  if (target.prometheusUrl) {
    const r = await httpJson<{ data?: { alerts?: PromAlert[] } }>(
      joinUrl(target.prometheusUrl, '/api/v1/alerts'),
      { headers: target.prometheusHeaders ?? {} },
    );
    if (!r.value) problems.push(`Prometheus ${r.problem}`);
    for (const a of r.value?.data?.alerts ?? []) {
      const name = a.labels.alertname ?? '?';
      if (ALWAYS_FIRING.has(name)) continue;
      (a.state === 'firing' ? firing : pending).add(describe(a));
    }
  }
  if (target.alertmanagerUrl) {
    const r = await httpJson<PromAlert[]>(
      joinUrl(target.alertmanagerUrl, '/api/v2/alerts?active=true&silenced=false&inhibited=false'),
      { headers: target.prometheusHeaders ?? {} },
    );
    if (!r.value) problems.push(`Alertmanager ${r.problem}`);
    for (const a of r.value ?? []) {
      if (ALWAYS_FIRING.has(a.labels.alertname ?? '')) continue;
      if (a.status?.state === undefined || a.status.state === 'active') firing.add(describe(a));
    }
  }
  const numbers = [
    { label: 'firing', value: firing.size },
    { label: 'pending', value: pending.size },
  ];
  if (problems.length > 0 && firing.size === 0 && pending.size === 0) {
    return {
      id: 'no-firing-alerts',
      title,
      status: 'fail',
      reason: `alerts could not be read: ${problems.join('; ')}`,
      numbers,
      hint: 'check the --prometheus / --alertmanager URLs',
      unavailable: true,
    };
  }
  if (firing.size > 0) {
    return {
      id: 'no-firing-alerts',
      title,
      status: 'fail',
      reason: `firing: ${[...firing].join(', ')}`,
      numbers,
      hint: 'resolve (or silence, if known and harmless) the firing alerts before testing',
    };
  }
  if (pending.size > 0) {
    return {
      id: 'no-firing-alerts',
      title,
      status: 'warn',
      reason: `pending: ${[...pending].join(', ')}`,
      numbers,
      hint: 'an alert about to fire: look at it before starting load',
    };
  }
  return { id: 'no-firing-alerts', title, status: 'pass', reason: 'no firing or pending alerts', numbers };
}

function describe(a: PromAlert): string {
  const sev = a.labels.severity ? ` (${a.labels.severity})` : '';
  const where = a.labels.container ?? a.labels.service ?? a.labels.pod;
  return `${a.labels.alertname ?? '?'}${where ? `{${where}}` : ''}${sev}`;
}
