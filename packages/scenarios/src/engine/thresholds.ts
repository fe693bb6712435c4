import { MlperfError } from '@mlperf/core';

/**
 * One k6-style threshold expression on one metric: `p(95)<300`, `rate>0.995`, `count>=1000`.
 * The local engine evaluates a test's own `thresholds` as k6 does, over the whole run, and marks
 * them in k6-summary.json: k6-compatible information. They never change the verdict, which is the
 * criteria's, judged by @mlperf/analysis on the steady state.
 */
export interface Threshold {
  metric: string;
  expression: string;
  stat: string;
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  value: number;
}

export interface ThresholdResult extends Threshold {
  actual: number | undefined;
  ok: boolean;
}

const EXPR =
  /^\s*(avg|min|max|med|count|rate|value|p\((\d+(?:\.\d+)?)\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** Metrics the local engine writes to k6-summary.json, so thresholds can name them. */
export const SUMMARY_METRICS = [
  'transfer_duration',
  'transfer_service_duration',
  'transfer_dispatch_delay',
  'transfer_success',
  'transfer_errors',
  'http_req_duration',
  'http_req_failed',
  'http_reqs',
  'iterations',
  'iteration_duration',
  'dropped_iterations',
] as const;

/** Parses every threshold before any load, so a typo fails at once with exit 2. */
export function parseThresholds(thresholds: Record<string, string[]>, path = 'thresholds'): Threshold[] {
  const out: Threshold[] = [];
  for (const [rawMetric, exprs] of Object.entries(thresholds)) {
    const metric = rawMetric.trim();
    const base = metric.replace(/\{.*\}$/, '');
    if (!(SUMMARY_METRICS as readonly string[]).includes(base)) {
      throw new MlperfError(
        'THRESHOLD_UNKNOWN_METRIC',
        `${path}.${metric}: the local engine has no metric "${base}"`,
        {
          hint: `use one of: ${SUMMARY_METRICS.join(', ')} (optionally with a {corridor:payer->payee} tag)`,
        },
      );
    }
    for (const expression of exprs) {
      const m = EXPR.exec(expression);
      if (!m) {
        throw new MlperfError(
          'THRESHOLD_INVALID',
          `${path}.${metric}: "${expression}" is not a threshold expression`,
          {
            hint: 'write it as k6 does: p(95)<300, avg<200, rate>0.995, count>=1000',
          },
        );
      }
      const op = (m[3] === '===' ? '==' : m[3]) as Threshold['op'];
      out.push({ metric, expression: expression.trim(), stat: m[1] as string, op, value: Number(m[4]) });
    }
  }
  return out;
}

function compare(a: number, op: Threshold['op'], b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/** Evaluates thresholds against k6 summary metrics (flat values, as --summary-export writes them). */
export function evaluateThresholds(
  thresholds: readonly Threshold[],
  metrics: Record<string, Record<string, unknown>>,
): ThresholdResult[] {
  return thresholds.map((t) => {
    const m = metrics[t.metric];
    // k6: `rate` of a Rate metric is its value (share of true samples); of a Counter, count per second.
    const v = t.stat === 'rate' && m && 'passes' in m ? m.value : m?.[t.stat];
    const actual = typeof v === 'number' ? v : undefined;
    // No samples (e.g. no transfer finished) fails the threshold, as an empty run proves nothing.
    return { ...t, actual, ok: actual !== undefined && compare(actual, t.op, t.value) };
  });
}
