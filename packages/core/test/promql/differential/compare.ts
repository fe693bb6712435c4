// mlperf's verdict beside promtool's, for the differential test and the corpus.
import { type Diagnostic, validateQuery } from '@mlperf/core/promql';
import { type OracleVerdict, promtoolVerdicts } from './oracle.js';

/**
 * mlperf's own rules: deliberately stricter than Prometheus' parser, so excluded from agreement.
 * `histogram-quantile-le`: buckets aggregated without `le`; `result-type`: a query returning a string.
 */
export const OWN_RULES: ReadonlySet<string> = new Set(['histogram-quantile-le', 'result-type']);

export interface Comparison {
  query: string;
  promtool: OracleVerdict;
  errors: Diagnostic[];
  /** mlperf rejects only through its own rules. */
  ownOnly: boolean;
}

export interface Agreement {
  cases: number;
  counted: number;
  agreed: number;
  falseAccepts: Comparison[];
  falseRejects: Comparison[];
  ownRuleRejects: number;
  ratio: number;
}

export function compareWithPromtool(queries: readonly string[], prometheusVersion = '2.42.0'): Agreement {
  const verdicts = promtoolVerdicts(queries);
  const comparisons = queries.map((query, i): Comparison => {
    const errors = validateQuery(query, { prometheusVersion }).filter((d) => d.severity === 'error');
    const own = errors.length > 0 && errors.every((d) => OWN_RULES.has(d.rule));
    return { query, promtool: verdicts[i] as OracleVerdict, errors, ownOnly: own };
  });
  const counted = comparisons.filter((c) => !(c.ownOnly && c.promtool.ok));
  const falseAccepts = counted.filter((c) => !c.promtool.ok && c.errors.length === 0);
  const falseRejects = counted.filter((c) => c.promtool.ok && c.errors.length > 0);
  const agreed = counted.length - falseAccepts.length - falseRejects.length;
  return {
    cases: queries.length,
    counted: counted.length,
    agreed,
    falseAccepts,
    falseRejects,
    ownRuleRejects: comparisons.length - counted.length,
    ratio: counted.length === 0 ? 1 : agreed / counted.length,
  };
}

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}... (${s.length} chars)` : s);

/** Every disagreement, one per line pair, and the agreement figure. */
export function describeAgreement(a: Agreement, label: string): string {
  const lines = [
    `${label}: ${a.agreed}/${a.counted} agree (${(a.ratio * 100).toFixed(2)}%), ${a.falseAccepts.length} false accepts, ${a.falseRejects.length} false rejects, ${a.ownRuleRejects} rejected only by mlperf's own rules (not counted), ${a.cases} cases`,
  ];
  for (const c of a.falseAccepts)
    lines.push(
      `  FALSE ACCEPT ${JSON.stringify(clip(c.query))}\n    promtool: ${clip(c.promtool.error ?? '')}`,
    );
  for (const c of a.falseRejects)
    lines.push(
      `  FALSE REJECT ${JSON.stringify(clip(c.query))}\n    mlperf: ${c.errors.map((d) => `${d.rule}: ${clip(d.message, 200)}`).join('; ')}`,
    );
  return lines.join('\n');
}
