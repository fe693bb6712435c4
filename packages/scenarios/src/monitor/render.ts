import { formatLiveIssue } from '../suite-run/format.js';
import type { KeyMetricValue, MonitorSnapshot } from './snapshot.js';

const TEST_ICON: Record<string, string> = {
  pending: '\u00b7',
  running: '\u25b6',
  completed: '\u2713',
  aborted: '\u2717',
  error: '\u2717',
  skipped: '-',
};

/** The full frame a terminal shows (redrawn in place). */
export function renderMonitorFrame(s: MonitorSnapshot, options: { dir?: string } = {}): string[] {
  const lines = [`mlperf monitor  ${options.dir ?? ''}  ${clock(s.at)}`.trimEnd(), ''];
  if (s.suite) {
    const u = s.suite;
    const left = u.status === 'running' ? `, about ${duration(u.remainingMs)} left` : '';
    lines.push(
      `Suite ${u.name}: ${u.status}, ${u.done}/${u.total} tests done, elapsed ${duration(u.elapsedMs)}${left}`,
    );
    if (u.phase)
      lines.push(`  now: ${u.phase}${u.phaseUntil ? ` (until ${clock(Date.parse(u.phaseUntil))})` : ''}`);
    for (const t of u.tests) {
      const verdict = t.verdict ? `  ${t.verdict}` : '';
      lines.push(`  ${TEST_ICON[t.status] ?? '?'} ${t.testId.padEnd(20)} ${t.status}${verdict}`);
    }
    if (u.statusReason) lines.push(`  ${u.statusReason}`);
    lines.push('');
  }
  if (s.run) {
    const r = s.run;
    const pct = r.plannedS > 0 ? ` (${Math.min(100, Math.round((r.elapsedS / r.plannedS) * 100))}%)` : '';
    lines.push(`Test ${r.name}: ${r.status}, ${r.elapsedS} s of ${r.plannedS} s${pct}`);
    if (r.verdict) lines.push(`  verdict: ${r.verdict.toUpperCase()}${r.headline ? ` - ${r.headline}` : ''}`);
    if (r.stage || r.offeredRate !== undefined) {
      lines.push(
        `  stage: ${r.stage ?? '?'}${r.offeredRate !== undefined ? `, offered ${Math.round(r.offeredRate)} TPS` : ''}`,
      );
    }
    lines.push('');
    lines.push(`  ${'Metric'.padEnd(14)} ${'Value'.padEnd(11)} ${'Band'.padEnd(9)} Source`);
    for (const m of s.metrics)
      lines.push(`  ${m.label.padEnd(14)} ${value(m).padEnd(11)} ${(m.band ?? '').padEnd(9)} ${m.source}`);
    lines.push('');
    lines.push(`Errors (last 5 min): ${errors(s.errors)}`);
  } else {
    lines.push('No test running yet.');
  }
  if (s.services.length > 0) {
    lines.push(
      `Services: ${s.services.map((x) => `${x.service} ${x.healthy ? 'OK' : 'DOWN'} (${x.detail})`).join('; ')}`,
    );
  }
  for (const n of s.notes) lines.push(`  ${n}`);
  if (s.issues.length > 0) {
    lines.push('', 'Common issues seen live:');
    for (const i of s.issues.slice(-3)) lines.push(...formatLiveIssue(i));
  }
  return lines;
}

/** One line per refresh, for logs and pipes. */
export function renderMonitorLine(s: MonitorSnapshot): string {
  const parts = [clock(s.at)];
  if (s.suite)
    parts.push(
      `suite ${s.suite.done}/${s.suite.total} ${s.suite.status}${s.suite.status === 'running' ? ` ~${duration(s.suite.remainingMs)} left` : ''}`,
    );
  if (s.run) {
    parts.push(
      `${s.run.testId} ${s.run.status} ${s.run.elapsedS}/${s.run.plannedS}s${s.run.verdict ? ` ${s.run.verdict.toUpperCase()}` : ''}`,
    );
    for (const m of s.metrics)
      if (m.value !== undefined) parts.push(`${short(m)}=${value(m)}${m.band ? `(${m.band})` : ''}`);
    const e = errors(s.errors);
    if (e !== 'none') parts.push(`errors[5m] ${e}`);
  }
  const down = s.services.filter((x) => !x.healthy);
  if (down.length > 0) parts.push(`DOWN: ${down.map((x) => x.service).join(',')}`);
  return parts.join(' | ');
}

function short(m: KeyMetricValue): string {
  return {
    tps: 'tps',
    'success-rate': 'success',
    'p95-latency': 'p95',
    'error-rate': 'errors',
    cpu: 'cpu',
    memory: 'mem',
  }[m.metric];
}

function value(m: KeyMetricValue): string {
  if (m.value === undefined) return 'n/a';
  if (m.unit === 'ratio')
    return `${(m.value * 100).toFixed(m.metric === 'success-rate' || m.metric === 'error-rate' ? 2 : 1)}%`;
  if (m.unit === 'ms') return `~${Math.round(m.value)} ms`;
  return `${Math.round(m.value)}`;
}

function errors(e: Record<string, number>): string {
  const list = Object.entries(e).sort((a, b) => b[1] - a[1]);
  return list.length === 0 ? 'none' : list.map(([k, v]) => `${k} x${v}`).join(', ');
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
