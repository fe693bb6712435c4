import type { AnalysisResult, Band, BandMetric, CriterionResult, Finding, MetricBand } from '@mlperf/core';
import { classifyMetric } from '@mlperf/core';
import type { TestReportInput } from '../load.js';
import { fmtDuration, fmtInt, fmtNumber, fmtP, fmtPercent, fmtTime, fmtValue } from './format.js';
import type { FindingView, Row } from './test-view.js';

/** Colours a key metric by the Phase-07 plan's Critical Metrics table when the analyzer gave no band. */
export function bandOf(
  metric: BandMetric,
  value: number | undefined,
  plannedTps: number | undefined,
  bands?: MetricBand[],
): Band | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  try {
    return classifyMetric(metric, value, {
      ...(plannedTps ? { plannedTps } : {}),
      ...(bands ? { bands } : {}),
    });
  } catch {
    return undefined;
  }
}

export function criterionRow(
  c: CriterionResult,
): Row & { id: string; status: string; detail: string; threshold: string } {
  return {
    id: c.id,
    label: c.label,
    status: c.status,
    value: fmtValue(c.value, c.unit),
    threshold:
      c.threshold === undefined ? '' : `${c.comparator ?? ''} ${fmtValue(c.threshold, c.unit)}`.trim(),
    band: c.band,
    detail: c.detail,
  };
}

export function findingView(f: Finding): FindingView {
  return {
    id: f.id,
    title: f.title,
    severity: f.severity,
    subject: f.subject,
    summary: f.summary,
    confidence: fmtPercent(f.confidence, 0),
    evidence: f.evidence.map((e) => ({
      metric: e.metric,
      query: e.query,
      window: `${fmtTime(e.window.start)} – ${fmtTime(e.window.end)}`,
      values: e.values.map((v) => `${v.label}: ${fmtValue(v.value, v.unit)}`).join('; '),
      labels: e.labels
        ? Object.entries(e.labels)
            .map(([k, v]) => `${k}="${v}"`)
            .join(', ')
        : undefined,
    })),
    fix: f.fix,
  };
}

export function enduranceRows(a: AnalysisResult): Row[] {
  const e = a.endurance;
  if (!e) return [];
  const rows: Row[] = e.memory.map((t) => ({
    label: `Memory trend: ${t.subject}`,
    value: `${fmtValue(t.slopePerHour, `${t.unit}/h`)}`,
    band: t.significant ? ('critical' as const) : ('target' as const),
    note: `${fmtP(t.pValue)} (${t.significant ? 'significant' : 'not significant'})`,
  }));
  if (e.latencyDrift) {
    const d = e.latencyDrift;
    rows.push({
      label: 'p95 latency drift',
      value: `${fmtNumber(d.firstP95Ms)} ms → ${fmtNumber(d.lastP95Ms)} ms (${fmtPercent(d.changeRatio - 1, 1)})`,
      band: d.significant ? 'warning' : 'target',
      note: fmtP(d.pValue),
    });
  }
  if (e.errorRateTrend) {
    const t = e.errorRateTrend;
    rows.push({
      label: 'Error-rate trend',
      value: fmtValue(t.slopePerHour, `${t.unit}/h`),
      band: t.significant ? 'warning' : 'target',
      note: fmtP(t.pValue),
    });
  }
  for (const x of e.exhaustion) {
    rows.push({
      label: `Exhaustion: ${x.subject} ${x.resource}`,
      value: x.hoursRemaining === null ? 'not projected' : `${fmtNumber(x.hoursRemaining)} h`,
      note: x.detail,
    });
  }
  return rows;
}

export function stressRows(a: AnalysisResult): Row[] {
  const s = a.stress;
  if (!s) return [];
  const rows: Row[] = [
    {
      label: 'Breaking point',
      value: s.breakingPointTps === undefined ? 'not reached' : `${fmtNumber(s.breakingPointTps, 0)} TPS`,
    },
    { label: 'First signal', value: s.firstSignal ?? '—' },
  ];
  for (const sig of s.signals) {
    rows.push({
      label: `Signal: ${sig.kind}`,
      value: `at ${fmtNumber(sig.offeredTps, 0)} TPS offered${sig.achievedTps === undefined ? '' : `, ${fmtNumber(sig.achievedTps, 0)} achieved`}`,
      note: sig.detail ? `${fmtTime(sig.at)}: ${sig.detail}` : fmtTime(sig.at),
    });
  }
  if (s.firstComponentToFail) {
    const f = s.firstComponentToFail;
    rows.push({ label: 'First component to fail', value: `${f.subject} (${f.metric})`, note: f.detail });
  }
  const types = Object.entries(s.errorTypes);
  if (types.length > 0)
    rows.push({
      label: 'Error types observed',
      value: types.map(([k, n]) => `${k}: ${fmtInt(n)}`).join(', '),
    });
  if (s.recovery) {
    rows.push({
      label: 'Recovery',
      value: s.recovery.recovered
        ? `recovered${s.recovery.seconds === undefined ? '' : ` in ${fmtDuration(s.recovery.seconds)}`}`
        : 'did not recover',
      band: s.recovery.recovered ? 'target' : 'critical',
      note: s.recovery.detail,
    });
  }
  return rows;
}

export function metaRows(input: TestReportInput, a: AnalysisResult | undefined): Row[] {
  const m = input.results.manifest;
  const t = m.target;
  const rows: Row[] = [
    { label: 'Test', value: `${m.testName} (${m.testId}, ${m.definition.test.kind})` },
    { label: 'Description', value: m.definition.test.description ?? '—' },
    { label: 'Run', value: m.runId },
    { label: 'Suite', value: m.suiteName ?? '—' },
    { label: 'Profile', value: m.profile ?? '—' },
    { label: 'Status', value: m.status + (m.statusReason ? `: ${m.statusReason}` : '') },
    { label: 'Started', value: fmtTime(m.startedAt) },
    { label: 'Ended', value: fmtTime(m.endedAt) },
    { label: 'Target', value: `${t.kind} ${t.url}${t.hubProfile ? ` (profile ${t.hubProfile})` : ''}` },
    { label: 'Prometheus', value: t.prometheusUrl ?? 'none' },
    { label: 'Executor', value: `${m.executor.kind}${m.executor.version ? ` ${m.executor.version}` : ''}` },
    { label: 'DFSPs', value: m.definition.dfsps.map((d) => d.id).join(', ') || '—' },
    {
      label: 'Corridors',
      value:
        m.definition.corridors
          .map((c) => `${c.name ?? `${c.payer}->${c.payee}`} ${fmtPercent(c.weight, 1)}`)
          .join(', ') || '—',
    },
    {
      label: 'Transfer',
      value: `${m.definition.transfer.amount} ${m.definition.transfer.currency ?? ''}, expires ${m.definition.transfer.expiration}`,
    },
    {
      label: 'Versions',
      value:
        Object.entries(m.versions)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '—',
    },
    { label: 'Host', value: `${m.host.hostname} (${m.host.platform}, ${m.host.cpus} CPUs)` },
  ];
  if (a?.steadyState) {
    rows.push({
      label: 'Steady state',
      value: `${fmtTime(a.steadyState.start)} – ${fmtTime(a.steadyState.end)}`,
      note: a.steadyState.rule,
    });
  }
  if (a) rows.push({ label: 'Analysed', value: fmtTime(a.generatedAt) });
  return rows;
}
