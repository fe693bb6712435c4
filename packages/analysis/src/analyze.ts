import type {
  AnalysisResult,
  CorridorStats,
  Finding,
  KeyMetric,
  TimeWindow,
  TrendResult,
} from '@mlperf/core';
import { ANALYSIS_SCHEMA_VERSION } from '@mlperf/core';
import { classify } from './bands.js';
import { coldStartRule } from './bottlenecks/cold-start.js';
import { findBottlenecks } from './bottlenecks/index.js';
import type { Draft } from './bottlenecks/fixes.js';
import { evaluateCriterion, TARGET_TEST_CRITERIA, stressCriteria } from './criteria.js';
import { analyzeEndurance, memoryTrends } from './endurance.js';
import type { RunData } from './model.js';
import { aggregate, inWindow, offeredOf, type WindowAggregate, windowOf } from './series.js';
import { extractSignals } from './signals.js';
import { mergeLatency } from './stats/latency.js';
import { steadyState } from './steady-state.js';
import { analyzeStress } from './stress.js';
import { k6Criteria } from './k6/criteria.js';
import { k6Saturation } from './k6/saturation.js';
import { judge, LIMIT_KINDS, missingSignals } from './verdict.js';

export interface AnalyzeOptions {
  /** Planned rate when the run does not say (k6 input) or to judge against another target. */
  targetTps?: number;
  /** Clock for `generatedAt` (tests). */
  now?: () => Date;
}

function isStress(data: RunData): boolean {
  return data.test?.kind === 'stress' || data.stages.some((s) => s.kind === 'open-ramp');
}

/** Analyzes one run in the internal model; every input format ends here. */
export function analyzeData(data: RunData, opts: AnalyzeOptions = {}): AnalysisResult {
  const missing = [...data.problems];
  const records = data.timeseries;
  const runWindow: TimeWindow | undefined = windowOf(records);
  const stress = isStress(data);
  const steady = stress ? undefined : steadyState(data);
  const plannedTps = opts.targetTps ?? steady?.plannedTps ?? data.plannedTps;
  const window = steady ?? runWindow;
  const steadyRecords = steady ? inWindow(records, steady) : records;
  const agg: WindowAggregate | undefined = records.length ? aggregate(steadyRecords) : summaryAggregate(data);
  const signals = extractSignals(data.metrics, window);
  const hasMetrics = Object.keys(data.metrics).length > 0;
  if (!hasMetrics)
    missing.push(
      'metrics/: no Prometheus exports, so CPU, memory, service health and bottleneck causes cannot be judged',
    );

  const criteriaDefs = data.test?.criteria ?? (stress ? [] : TARGET_TEST_CRITERIA);
  const leakCriterion = criteriaDefs.find((c) => c.kind === 'no-memory-leak');
  const trends: TrendResult[] = memoryTrends(
    signals,
    leakCriterion?.kind === 'no-memory-leak' ? leakCriterion.maxSlopeBytesPerHour : undefined,
  );
  const totalSucceeded = records.length
    ? records.reduce((a, r) => a + r.succeeded, 0)
    : (data.summary?.succeeded ?? 0);
  const criteria = criteriaDefs.map((c) =>
    evaluateCriterion(c, {
      data,
      ...(steady ? { steady } : {}),
      ...(agg ? { agg } : {}),
      totalSucceeded,
      signals,
      memoryTrends: trends,
      ...(plannedTps ? { plannedTps } : {}),
    }),
  );
  criteria.push(...k6Criteria(data));

  const extra: Draft[] = [];
  let endurance: AnalysisResult['endurance'];
  if (!stress && steady && (data.test?.kind === 'endurance' || steady.seconds >= 1800)) {
    const out = analyzeEndurance(
      data,
      steady,
      signals,
      steadyRecords,
      leakCriterion?.kind === 'no-memory-leak' ? leakCriterion.maxSlopeBytesPerHour : undefined,
      trends,
    );
    endurance = out.endurance;
    extra.push(...out.findings);
  }
  extra.push(...coldStartRule(records, data.metrics));
  let stressResult: AnalysisResult['stress'];
  if (stress && records.length)
    stressResult = analyzeStress(data, extractSignals(data.metrics), {
      ...(data.bands ? { bands: data.bands } : {}),
    });

  const findings: Finding[] = window
    ? findBottlenecks(
        {
          window,
          signals,
          ...(plannedTps && !stress ? { plannedTps } : {}),
          ...(agg ? { achievedTps: agg.achievedTps } : {}),
          payerCount: new Set(data.corridors.map((c) => c.payer)).size,
          records: steadyRecords,
        },
        records,
        hasMetrics,
        extra,
      )
    : [];

  // The k6 runner as the limit ranks first; as a limit kind it leaves the hub undecided (never a fail).
  const k6Sat = window && !stress ? k6Saturation(steadyRecords, plannedTps, window) : undefined;
  if (k6Sat) {
    findings.unshift(k6Sat);
    findings.forEach((f, i) => {
      f.rank = i + 1;
    });
  }
  if (stressResult && criteriaDefs.length === 0) criteria.push(...stressCriteria(stressResult));
  const judged = judge(criteria, findings, missingSignals(signals, steadyRecords));
  const verdict = judged.verdict;
  const totals = totalsOf(data, agg);
  const result: AnalysisResult = {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    kind: 'test',
    runId: data.runId,
    testId: data.testId,
    testName: data.testName,
    runStatus: data.status,
    generatedAt: (opts.now?.() ?? new Date()).toISOString(),
    verdict,
    headline: headline(verdict, judged.criteria, findings, stressResult, data),
    criteria: judged.criteria,
    keyMetrics: keyMetrics(agg, plannedTps, data, signals.cpuUsage, signals.memoryRatio),
    findings,
    corridors: corridorStats(data, steadyRecords),
    errorsByType: records.length
      ? aggregate(records, () => undefined).errorsByType
      : (data.summary?.errorsByType ?? {}),
    totals,
    missing,
  };
  if (steady) result.steadyState = { start: steady.start, end: steady.end, rule: steady.rule };
  if (agg) result.achievedTps = round(agg.achievedTps);
  if (plannedTps) result.plannedTps = plannedTps;
  if (endurance) result.endurance = endurance;
  if (data.k6Thresholds?.length) result.k6Thresholds = data.k6Thresholds;
  if (stressResult) result.stress = stressResult;
  return result;
}

function summaryAggregate(data: RunData): WindowAggregate | undefined {
  const s = data.summary;
  if (!s) return undefined;
  const finished = s.succeeded + s.failed;
  const agg: WindowAggregate = {
    seconds: s.durationS,
    offered: s.started + s.dropped,
    started: s.started,
    dropped: s.dropped,
    succeeded: s.succeeded,
    failed: s.failed,
    errorsByType: s.errorsByType,
    achievedTps: s.achievedTps,
    offeredTps: s.durationS ? (s.started + s.dropped) / s.durationS : 0,
  };
  if (s.outcomesUnknown) agg.outcomesUnknown = true;
  else {
    if (agg.offered > 0) agg.successRate = s.succeeded / offeredOf(agg);
    if (finished > 0) agg.errorRate = s.failed / finished;
  }
  const l = s.latency;
  if (l?.p95 !== undefined)
    agg.latency = {
      count: finished,
      p50: l.p50 ?? Number.NaN,
      p90: l.p90 ?? Number.NaN,
      p95: l.p95,
      p99: l.p99 ?? Number.NaN,
      max: l.max ?? Number.NaN,
      method: 'approx',
    };
  return agg;
}

function totalsOf(data: RunData, agg: WindowAggregate | undefined): AnalysisResult['totals'] {
  if (data.timeseries.length) {
    const all = aggregate(data.timeseries, () => undefined);
    return {
      offered: all.offered,
      started: all.started,
      succeeded: all.succeeded,
      failed: all.failed,
      dropped: all.dropped,
      durationS: data.durationS ?? all.seconds,
    };
  }
  return {
    offered: agg?.offered ?? 0,
    started: agg?.started ?? 0,
    succeeded: agg?.succeeded ?? 0,
    failed: agg?.failed ?? 0,
    dropped: agg?.dropped ?? 0,
    durationS: agg?.seconds ?? 0,
  };
}

function keyMetrics(
  agg: WindowAggregate | undefined,
  plannedTps: number | undefined,
  data: RunData,
  cpu: { points: [number, number][] }[],
  mem: { points: [number, number][] }[],
): KeyMetric[] {
  const opts = { ...(plannedTps ? { plannedTps } : {}), ...(data.bands ? { bands: data.bands } : {}) };
  const km = (
    metric: KeyMetric['metric'],
    label: string,
    value: number | undefined,
    unit: string,
    source: string,
  ): KeyMetric => {
    const band = value === undefined ? undefined : classify(metric, value, opts);
    return {
      metric,
      label,
      unit,
      source,
      ...(value !== undefined && Number.isFinite(value) ? { value: round(value) } : {}),
      ...(band ? { band } : {}),
    };
  };
  const maxMean = (ss: { points: [number, number][] }[]) => {
    const ms = ss
      .filter((s) => s.points.length)
      .map((s) => s.points.reduce((a, p) => a + p[1], 0) / s.points.length);
    return ms.length ? Math.max(...ms) : undefined;
  };
  return [
    km('tps', 'TPS Achieved', agg?.achievedTps, 'TPS', 'timeseries (steady state)'),
    km('success-rate', 'Success Rate', agg?.successRate, 'ratio', 'timeseries (steady state)'),
    km('p95-latency', 'P95 Latency', agg?.latency?.p95, 'ms', 'timeseries e2e latency'),
    km('cpu', 'CPU Usage', maxMean(cpu), 'ratio', 'metrics/cpu_usage_ratio (highest service)'),
    km('memory', 'Memory Usage', maxMean(mem), 'ratio', 'metrics/memory_working_set_ratio (highest service)'),
    km('error-rate', 'Error Rate', agg?.errorRate, 'ratio', 'timeseries (steady state)'),
  ];
}

function corridorStats(data: RunData, records: readonly RunData['timeseries'][number][]): CorridorStats[] {
  const names = new Set<string>();
  for (const r of records) for (const k of Object.keys(r.corridors)) names.add(k);
  const total = records.reduce(
    (a, r) => a + Object.values(r.corridors).reduce((x, c) => x + c.started, 0),
    0,
  );
  const weights = new Map(data.corridors.map((c) => [c.name ?? `${c.payer}->${c.payee}`, c.weight]));
  return [...names].sort().map((name) => {
    const cs = records.map((r) => r.corridors[name]).filter((c) => c !== undefined);
    const started = cs.reduce((a, c) => a + c.started, 0);
    const succeeded = cs.reduce((a, c) => a + c.succeeded, 0);
    const failed = cs.reduce((a, c) => a + Object.values(c.failed).reduce((x, v) => x + v, 0), 0);
    const lat = mergeLatency(
      cs.map((c) => c.e2e),
      { exact: cs.length <= 600 },
    );
    const w = weights.get(name);
    return {
      corridor: name,
      transfers: succeeded + failed,
      succeeded,
      share: total ? round(started / total) : 0,
      ...(w !== undefined ? { plannedShare: w } : {}),
      ...(lat ? { p95Ms: round(lat.p95), p99Ms: round(lat.p99) } : {}),
    };
  });
}

function headline(
  verdict: string,
  criteria: AnalysisResult['criteria'],
  findings: Finding[],
  stress: AnalysisResult['stress'],
  data: RunData,
): string {
  const limit = findings.find((f) => LIMIT_KINDS.has(f.kind));
  if (limit && verdict !== 'pass') return `INCONCLUSIVE about the hub: ${limit.title} (${limit.summary})`;
  const failedC = criteria.filter((c) => c.status === 'fail');
  const top = findings[0];
  const breaking = stress
    ? stress.breakingPointTps === undefined
      ? 'No breaking point found: the hub followed every offered rate'
      : `Breaking point at ${stress.breakingPointTps} TPS offered (first signal: ${stress.firstSignal})${stress.firstComponentToFail ? `; first component to fail: ${stress.firstComponentToFail.subject}` : ''}`
    : undefined;
  if (verdict === 'fail')
    return `FAIL: ${failedC.map((c) => c.label).join('; ')}${top ? `. Top finding: ${top.title}` : ''}${breaking ? `. ${breaking}` : ''}`;
  if (verdict === 'pass')
    return `PASS: all ${criteria.length} criteria met${data.status !== 'completed' ? ` (run ${data.status})` : ''}${breaking ? `. ${breaking}` : ''}`;
  if (criteria.length === 0) return 'INCONCLUSIVE: nothing to judge (no criteria, no data)';
  const unk = criteria.filter((c) => c.status === 'inconclusive');
  return `INCONCLUSIVE: ${criteria.length - unk.length} criteria passed, ${unk.length} could not be judged (${unk.map((c) => c.label).join('; ')})${breaking ? `. ${breaking}` : ''}`;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
