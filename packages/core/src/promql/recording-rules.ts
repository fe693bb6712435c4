import { MlperfError } from '../errors.js';
import { resolvePrefixes } from './catalogue.js';
import { toSeconds } from './duration.js';
import type { MetricPrefixes } from './metric-prefixes.js';
import { VALIDATION_METRICS } from './validation-names.js';
import { validateQuery } from './validate.js';

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  /** Evaluation interval of the group (`1s` for a private Prometheus scraping every second). */
  interval?: string;
  rules: RecordingRule[];
}

export interface ValidationRulesOptions {
  /** One prefix for both services' metrics (`moja_`). */
  prefix?: string;
  /** Per-service prefixes (default `moja_cl_` / `moja_ml_`). */
  prefixes?: Partial<MetricPrefixes>;
  interval?: string;
}

/**
 * Recording rules that define the Phase-07 plan's `mojaloop_transfer_*` names from real Mojaloop metrics,
 * so `rate(mojaloop_transfer_success[1m])` and the Phase-07 plan's other queries work verbatim.
 * Each rule records nothing when a scraped target already exposes `mojaloop_transfer_total`.
 * The recorded series are sums over all handler instances (prepare and fulfil run in different
 * pods, so per-instance series would not match in the Phase-07 plan's division). A handler restart makes
 * a sum drop, which rate() reads as one counter reset: the mojaloop_* catalogue queries, which
 * sum rates instead, are exact and are what the analyzer uses.
 */
export function validationRecordingRules(options: ValidationRulesOptions = {}): RuleGroup[] {
  const { ledger: cl, adapter: ml } = resolvePrefixes(options);
  for (const p of [cl, ml]) {
    if (p !== '' && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(p)) {
      throw new MlperfError(
        'PROMQL_BAD_PREFIX',
        `recording-rule prefix is not a metric-name prefix: ${JSON.stringify(p)}`,
        {
          hint: 'use letters, digits, _ and :, e.g. moja_cl_',
        },
      );
    }
  }
  const rules: RecordingRule[] = [
    { record: VALIDATION_METRICS.total, expr: `sum(${cl}transfer_prepare_count)` },
    { record: VALIDATION_METRICS.success, expr: `sum(${cl}transfer_fulfil_count{success="true"})` },
    {
      record: VALIDATION_METRICS.error,
      expr: `sum(${cl}transfer_prepare_count{success="false"})`,
      labels: { error_type: 'prepare' },
    },
    {
      record: VALIDATION_METRICS.error,
      expr: `sum(${cl}transfer_fulfil_count{success="false"})`,
      labels: { error_type: 'fulfil' },
    },
    { record: `${VALIDATION_METRICS.duration}_bucket`, expr: `sum by (le) (${ml}tx_transfer_bucket)` },
    { record: `${VALIDATION_METRICS.duration}_count`, expr: `sum(${ml}tx_transfer_count)` },
    { record: `${VALIDATION_METRICS.duration}_sum`, expr: `sum(${ml}tx_transfer_sum)` },
  ];
  // A target that already exposes the Phase-07 plan names (mlperf's embedded hub does) wins: the rules then
  // record nothing, so the Phase-07 plan's queries never see two series.
  const guard = ` unless on () ${VALIDATION_METRICS.total}{job!=""}`;
  for (const rule of rules) rule.expr += guard;
  for (const rule of rules) {
    const errors = validateQuery(rule.expr).filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`recording rule ${rule.record} is invalid: ${errors[0]?.message}`);
  }
  const group: RuleGroup = { name: 'mlperf-validation-names', rules };
  if (options.interval !== undefined) {
    toSeconds(options.interval, 'recording-rule interval');
    group.interval = options.interval;
  }
  return [group];
}

const q = (s: string) => JSON.stringify(s);

/** A Prometheus rule file (YAML) for these groups. */
export function ruleFileYaml(groups: readonly RuleGroup[]): string {
  const lines = [
    "# Written by mlperf: the Phase-07 plan's mojaloop_transfer_* names from real Mojaloop metrics.",
    'groups:',
  ];
  for (const g of groups) {
    lines.push(`  - name: ${q(g.name)}`);
    if (g.interval) lines.push(`    interval: ${g.interval}`);
    lines.push('    rules:');
    for (const r of g.rules) {
      lines.push(`      - record: ${q(r.record)}`, `        expr: ${q(r.expr)}`);
      const labels = Object.entries(r.labels ?? {});
      if (labels.length > 0) {
        lines.push('        labels:');
        for (const [k, v] of labels) lines.push(`          ${k}: ${q(v)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
