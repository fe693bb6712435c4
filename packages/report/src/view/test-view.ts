import type { Band, CorridorStats, Finding } from '@mlperf/core';
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
import { bandOf, criterionRow, enduranceRows, findingView, metaRows, stressRows } from './test-rows.js';
import { isPrometheusGapLine, prometheusGap } from './evidence.js';
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

/** A PNG of dashboards/: embedded (src), its file (href) and, for a dashboard, its Grafana JSON. */
export interface DashboardImage {
  name: string;
  src: string;
  href: string;
  json?: string;
}

export interface TestView {
  title: string;
  testName: string;
  runId: string;
  runStatus: string;
  statusReason?: string | undefined;
  verdict: 'pass' | 'fail' | 'inconclusive';
  verdictLabel: string;
  headline: string;
  missing: string[];
  criteria: (Row & { id: string; status: string; detail: string; threshold: string })[];
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
  dashboards: DashboardImage[];
  generatedAt: string;
}

const VERDICT_LABEL = { pass: 'PASS', fail: 'FAIL', inconclusive: 'INCONCLUSIVE' } as const;

/** Everything the test template shows, computed from the results and analysis.json. */
export function buildTestView(
  input: TestReportInput,
  options: { dashboards?: DashboardImage[]; now?: Date } = {},
): TestView {
  const { results, analysis } = input;
  const m = results.manifest;
  const series = runSeries(results.timeseries);
  const ts = timeseriesTotals(results.timeseries);
  const gap = prometheusGap(results, analysis);
  const missing = unique([
    ...(input.analysisProblem ? [input.analysisProblem] : []),
    ...(gap ? [gap] : []),
    ...(analysis?.missing ?? []).filter((line) => !(gap && isPrometheusGapLine(line))),
    ...results.problems,
    ...Object.values(results.metrics).flatMap((e) =>
      (e.missing ?? []).map(
        (w) =>
          `metrics/${e.name}: no data ${fmtTime(w.start * 1000)} – ${fmtTime(w.end * 1000)} (${w.reason})`,
      ),
    ),
  ]);
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
    m.executor.kind === 'local'
      ? latencyChart(series, criteria)
      : latencyChart(
          series,
          criteria,
          'k6: from the start of each k6 iteration (on the arrival-rate schedule while VUs are free; not coordinated-omission corrected) to the outcome',
        ),
    ratesChart(series),
    errorsChart(errorsByType),
    corridorChart(corridors),
    ...resourceCharts(resourceLines(results.metrics, startMs)),
    engineChart(series),
  ];
  if (analysis?.endurance) charts.push(...enduranceCharts(analysis.endurance));
  if (analysis?.stress) charts.push(stressChart(analysis.stress));

  const totals = analysis?.totals ?? { ...ts, failed: ts.failed };
  const verdict = analysis?.verdict ?? 'inconclusive';
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

const unique = (list: string[]): string[] => [...new Set(list)];
