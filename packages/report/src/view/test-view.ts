import type {
  AnalysisResult,
  Band,
  BandMetric,
  CorridorStats,
  CriterionResult,
  Finding,
  MetricBand,
} from '@mlperf/core';
import { classifyMetric } from '@mlperf/core';
import {
  corridorChart,
  engineChart,
  enduranceCharts,
  errorsChart,
  latencyChart,
  ratesChart,
  resourceCharts,
  stressChart,
  tpsChart,
} from '../charts/test-charts.js';
import type { Chart } from '../charts/render.js';
import type { TestReportInput } from '../load.js';
import { resourceLines, runSeries, timeseriesTotals } from '../series.js';
import { fmtDuration, fmtInt, fmtNumber, fmtPercent, fmtTime, fmtValue } from './format.js';

export interface Row {
  label: string;
  value: string;
  band?: Band | undefined;
  note?: string | undefined;
}

export interface FindingView {
  id: string;
  title: string;
  severity: string;
  subject?: string | undefined;
  summary: string;
  confidence: string;
  evidence: {
    metric: string;
    query?: string | undefined;
    window: string;
    values: string;
    labels?: string | undefined;
  }[];
  fix?: Finding['fix'];
}

export interface TestView {
  title: string;
  testName: string;
  runId: string;
  runStatus: string;
  statusReason?: string | undefined;
  verdict: 'pass' | 'fail' | 'unknown';
  verdictLabel: string;
  headline: string;
  missing: string[];
  criteria: (Row & { status: string; detail: string; threshold: string })[];
  keyMetrics: Row[];
  totals: Row[];
  charts: Chart[];
  findings: FindingView[];
  corridors: {
    name: string;
    transfers: string;
    share: string;
    planned: string;
    success: string;
    p95: string;
    p99: string;
  }[];
  endurance?: Row[] | undefined;
  stress?: Row[] | undefined;
  meta: Row[];
  stages: Row[];
  dashboards: { name: string; src: string }[];
  generatedAt: string;
}

const VERDICT_LABEL = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN' } as const;

/** Everything the test template shows, computed from the results and analysis.json. */
export function buildTestView(
  input: TestReportInput,
  options: { dashboards?: { name: string; src: string }[]; now?: Date } = {},
): TestView {
  const { results, analysis } = input;
  const m = results.manifest;
  const series = runSeries(results.timeseries);
  const ts = timeseriesTotals(results.timeseries);
  const missing = [
    ...(input.analysisProblem ? [input.analysisProblem] : []),
    ...(analysis?.missing ?? []),
    ...results.problems,
    ...Object.values(results.metrics).flatMap((e) =>
      (e.missing ?? []).map(
        (w) =>
          `metrics/${e.name}: no data ${fmtTime(w.start * 1000)} – ${fmtTime(w.end * 1000)} (${w.reason})`,
      ),
    ),
  ];
  const weights = new Map(m.definition.corridors.map((c) => [c.name ?? `${c.payer}->${c.payee}`, c.weight]));
  const criteria = analysis?.criteria ?? [];
  const errorsByType = analysis?.errorsByType ?? ts.errorsByType;
  const corridors: CorridorStats[] =
    analysis?.corridors ??
    Object.entries(ts.corridors).map(([corridor, c]) => ({
      corridor,
      transfers: c.transfers,
      succeeded: c.succeeded,
      share: ts.succeeded + ts.failed > 0 ? c.transfers / (ts.succeeded + ts.failed) : 0,
      ...(weights.has(corridor) ? { plannedShare: weights.get(corridor) } : {}),
    }));
  const startMs = results.timeseries[0]?.t ?? Date.parse(m.startedAt);
  const charts: Chart[] = [
    tpsChart(series, analysis?.plannedTps),
    latencyChart(series, criteria),
    ratesChart(series),
    errorsChart(errorsByType),
    corridorChart(corridors),
    ...resourceCharts(resourceLines(results.metrics, startMs)),
    engineChart(series),
  ];
  if (analysis?.endurance) charts.push(...enduranceCharts(analysis.endurance));
  if (analysis?.stress) charts.push(stressChart(analysis.stress));

  const totals = analysis?.totals ?? { ...ts, failed: ts.failed };
  const verdict = analysis?.verdict ?? 'unknown';
  return {
    title: `${m.testName}: ${VERDICT_LABEL[verdict]}`,
    testName: m.testName,
    runId: m.runId,
    runStatus: m.status,
    statusReason: m.statusReason,
    verdict,
    verdictLabel: VERDICT_LABEL[verdict],
    headline:
      analysis?.headline ??
      'Not analysed: analysis.json is missing, so no criterion was judged. The charts and totals below come from the raw results.',
    missing,
    criteria: criteria.map(criterionRow),
    keyMetrics: (analysis?.keyMetrics ?? []).map((k) => ({
      label: k.label,
      value: fmtValue(k.value, k.unit),
      band: k.band ?? bandOf(k.metric, k.value, analysis?.plannedTps, m.definition.bands),
      note: k.source,
    })),
    totals: [
      { label: 'Offered (planned arrivals)', value: fmtInt(totals.offered) },
      { label: 'Started', value: fmtInt(totals.started) },
      { label: 'Succeeded', value: fmtInt(totals.succeeded) },
      { label: 'Failed', value: fmtInt(totals.failed) },
      { label: 'Dropped (could not start)', value: fmtInt(totals.dropped) },
      {
        label: 'Success rate',
        value: fmtPercent(
          totals.succeeded + totals.failed > 0
            ? totals.succeeded / (totals.succeeded + totals.failed)
            : undefined,
        ),
      },
      {
        label: 'Achieved TPS',
        value: fmtNumber(
          analysis?.achievedTps ?? (ts.durationS > 0 ? ts.succeeded / ts.durationS : undefined),
        ),
      },
      { label: 'Planned TPS', value: fmtNumber(analysis?.plannedTps) },
      { label: 'Duration', value: fmtDuration(totals.durationS) },
    ],
    charts,
    findings: (analysis?.findings ?? [])
      .slice()
      .sort((a, b) => a.rank - b.rank)
      .map(findingView),
    corridors: corridors.map((c) => ({
      name: c.corridor,
      transfers: fmtInt(c.transfers),
      share: fmtPercent(c.share, 1),
      planned: fmtPercent(c.plannedShare, 1),
      success: fmtPercent(c.transfers > 0 ? c.succeeded / c.transfers : undefined),
      p95: fmtValue(c.p95Ms, 'ms'),
      p99: fmtValue(c.p99Ms, 'ms'),
    })),
    endurance: analysis?.endurance ? enduranceRows(analysis) : undefined,
    stress: analysis?.stress ? stressRows(analysis) : undefined,
    meta: metaRows(input, analysis),
    stages: m.stages.map((s) => ({
      label: `${s.index + 1}. ${s.name}`,
      value: `${s.kind} ${fmtNumber(s.fromRate)} → ${fmtNumber(s.toRate)} TPS`,
      note: `${fmtDuration(s.startS)} – ${s.endS === undefined ? 'not finished' : fmtDuration(s.endS)}`,
    })),
    dashboards: options.dashboards ?? [],
    generatedAt: fmtTime((options.now ?? new Date()).getTime()),
  };
}

/** Colours a key metric by the seed's Critical Metrics table when the analyzer gave no band. */
function bandOf(
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

function criterionRow(c: CriterionResult): Row & { status: string; detail: string; threshold: string } {
  return {
    label: c.label,
    status: c.status,
    value: fmtValue(c.value, c.unit),
    threshold:
      c.threshold === undefined ? '' : `${c.comparator ?? ''} ${fmtValue(c.threshold, c.unit)}`.trim(),
    band: c.band,
    detail: c.detail,
  };
}

function findingView(f: Finding): FindingView {
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

function enduranceRows(a: AnalysisResult): Row[] {
  const e = a.endurance;
  if (!e) return [];
  const rows: Row[] = e.memory.map((t) => ({
    label: `Memory trend: ${t.subject}`,
    value: `${fmtValue(t.slopePerHour, `${t.unit}/h`)}`,
    band: t.significant ? ('critical' as const) : ('target' as const),
    note: `p = ${t.pValue.toPrecision(2)} (${t.significant ? 'significant' : 'not significant'})`,
  }));
  if (e.latencyDrift) {
    const d = e.latencyDrift;
    rows.push({
      label: 'p95 latency drift',
      value: `${fmtNumber(d.firstP95Ms)} ms → ${fmtNumber(d.lastP95Ms)} ms (${fmtPercent(d.changeRatio - 1, 1)})`,
      band: d.significant ? 'warning' : 'target',
      note: `p = ${d.pValue.toPrecision(2)}`,
    });
  }
  if (e.errorRateTrend) {
    const t = e.errorRateTrend;
    rows.push({
      label: 'Error-rate trend',
      value: fmtValue(t.slopePerHour, `${t.unit}/h`),
      band: t.significant ? 'warning' : 'target',
      note: `p = ${t.pValue.toPrecision(2)}`,
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

function stressRows(a: AnalysisResult): Row[] {
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
      note: fmtTime(sig.at),
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

function metaRows(input: TestReportInput, a: AnalysisResult | undefined): Row[] {
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
