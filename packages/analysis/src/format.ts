import type { AnalysisResult, CriterionResult, Finding, SuiteAnalysisResult } from '@mlperf/core';
import type { ComparisonResult } from './compare.js';

const MARK = { pass: 'PASS', fail: 'FAIL', inconclusive: '  ? ' } as const;

function fmtValue(c: { value?: number; unit?: string }): string {
  if (c.value === undefined) return '-';
  const v = c.value;
  if (c.unit === 'ratio') return `${(v * 100).toFixed(2)}%`;
  if (c.unit === 'ms') return `${v.toFixed(1)} ms`;
  if (c.unit === 'TPS') return `${v.toFixed(1)} TPS`;
  return `${Number.isInteger(v) ? v : v.toFixed(2)}${c.unit ? ` ${c.unit}` : ''}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function criteriaTable(criteria: readonly CriterionResult[]): string {
  return table([
    ['', 'criterion', 'value', 'band'],
    ...criteria.map((c) => [MARK[c.status], c.label, fmtValue(c), c.band ?? '']),
  ]);
}

function findingsText(findings: readonly Finding[], top: number): string[] {
  return findings.slice(0, top).map((f) => {
    const fix = f.fix
      ? `\n     fix: ${f.fix.action}${f.fix.runbookScript ? ` (${f.fix.runbookScript})` : ''}`
      : '';
    return `  ${f.rank}. [${f.severity}, confidence ${Math.round(f.confidence * 100)}%] ${f.title}\n     ${f.summary}${fix}`;
  });
}

/** The verdict table and top findings `mlperf analyze` prints. */
export function formatAnalysis(r: AnalysisResult, top = 3): string {
  const lines = [
    `${r.testName} (${r.runId}, run ${r.runStatus}): ${r.verdict.toUpperCase()}`,
    r.headline,
    '',
  ];
  if (r.criteria.length) lines.push(criteriaTable(r.criteria), '');
  const why = r.criteria.filter((c) => c.status !== 'pass' && c.explanation);
  if (why.length) lines.push('why:', ...why.map((c) => `  ${c.label}: ${c.explanation}`), '');
  if (r.steadyState) lines.push(`window: ${r.steadyState.rule}`, '');
  if (r.stress) {
    const s = r.stress;
    lines.push(
      `breaking point: ${s.breakingPointTps ?? 'not reached'} TPS offered${s.firstSignal ? ` (first: ${s.firstSignal})` : ''}`,
    );
    for (const sig of s.signals)
      lines.push(
        `  ${sig.kind}: at ${sig.offeredTps} TPS offered${sig.achievedTps !== undefined ? `, ${sig.achievedTps} achieved` : ''}`,
      );
    if (s.firstComponentToFail)
      lines.push(
        `first component to fail: ${s.firstComponentToFail.subject} (${s.firstComponentToFail.detail})`,
      );
    const errs = Object.entries(s.errorTypes);
    if (errs.length) lines.push(`error types: ${errs.map(([k, v]) => `${k} x${v}`).join(', ')}`);
    if (s.recovery) lines.push(`recovery: ${s.recovery.detail}`);
    if (s.usl)
      lines.push(s.usl.note ?? `USL: predicted peak ${Math.round(s.usl.predictedPeak.throughput)} TPS`);
    lines.push('');
  }
  if (r.findings.length) lines.push(`findings (${r.findings.length}):`, ...findingsText(r.findings, top), '');
  else lines.push('findings: none', '');
  if (r.missing.length) lines.push('not analysed:', ...r.missing.map((m) => `  - ${m}`));
  return lines.join('\n').trimEnd();
}

export function formatSuiteAnalysis(r: SuiteAnalysisResult, top = 3): string {
  const lines = [
    `suite ${r.suiteName}: ${r.verdict.toUpperCase()}`,
    r.headline,
    '',
    criteriaTable(r.criteria),
    '',
  ];
  lines.push(
    table([['test', 'status', 'verdict'], ...r.tests.map((t) => [t.testId, t.status, t.verdict])]),
    '',
  );
  if (r.scaling)
    lines.push(
      r.scaling.note ?? `USL: predicted peak ${Math.round(r.scaling.predictedPeak.throughput)} TPS`,
      '',
    );
  if (r.findings.length) lines.push('top findings:', ...findingsText(r.findings, top));
  return lines.join('\n').trimEnd();
}

export function formatComparison(c: ComparisonResult): string {
  const f = (v: number | undefined, unit: string) => (v === undefined ? '-' : fmtValue({ value: v, unit }));
  const rows = c.metrics.map((m) => [
    m.regression ? 'WORSE' : m.significant ? 'diff' : '',
    m.metric,
    f(m.a, m.unit),
    f(m.b, m.unit),
    m.deltaRatio === undefined || !Number.isFinite(m.deltaRatio)
      ? '-'
      : `${m.deltaRatio >= 0 ? '+' : ''}${(m.deltaRatio * 100).toFixed(1)}%`,
    m.pValue === undefined ? 'n/a' : m.pValue.toExponential(1),
  ]);
  return [
    `A: ${c.a.runId}  B: ${c.b.runId}`,
    table([['', 'metric', 'A', 'B', 'change', 'p'], ...rows]),
    c.verdict === 'regression'
      ? `REGRESSION: ${c.regressions.join(', ')} (p < ${c.alpha}, change >= ${c.minEffect * 100}%)`
      : c.verdict === 'inconclusive'
        ? 'INCONCLUSIVE: no metric was measured in both runs (a side has no data)'
        : `no significant regression (p < ${c.alpha}, change >= ${c.minEffect * 100}%)`,
  ].join('\n');
}
