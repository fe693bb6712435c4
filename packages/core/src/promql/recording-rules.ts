import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MlperfError } from '../errors.js';
import { toSeconds } from './duration.js';
import { SEED_METRICS } from './seed-names.js';
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

export interface SeedRulesOptions {
  /** Prefix of the real Mojaloop metrics (`moja_`). */
  prefix?: string;
  interval?: string;
}

/**
 * Recording rules that define the seed's `mojaloop_transfer_*` names from real Mojaloop metrics,
 * so `rate(mojaloop_transfer_success[1m])` and the seed's other queries work verbatim.
 * The recorded series are sums over all handler instances (prepare and fulfil run in different
 * pods, so per-instance series would not match in the seed's division). A handler restart makes
 * a sum drop, which rate() reads as one counter reset: the mojaloop_* catalogue queries, which
 * sum rates instead, are exact and are what the analyzer uses.
 */
export function seedRecordingRules(options: SeedRulesOptions = {}): RuleGroup[] {
  const p = options.prefix ?? 'moja_';
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(p)) {
    throw new MlperfError(
      'PROMQL_BAD_PREFIX',
      `recording-rule prefix is not a metric-name prefix: ${JSON.stringify(p)}`,
      {
        hint: 'use letters, digits, _ and :, e.g. moja_',
      },
    );
  }
  const rules: RecordingRule[] = [
    { record: SEED_METRICS.total, expr: `sum(${p}transfer_prepare_count)` },
    { record: SEED_METRICS.success, expr: `sum(${p}transfer_fulfil_count{success="true"})` },
    {
      record: SEED_METRICS.error,
      expr: `sum(${p}transfer_prepare_count{success="false"})`,
      labels: { error_type: 'prepare' },
    },
    {
      record: SEED_METRICS.error,
      expr: `sum(${p}transfer_fulfil_count{success="false"})`,
      labels: { error_type: 'fulfil' },
    },
    { record: `${SEED_METRICS.duration}_bucket`, expr: `sum by (le) (${p}tx_transfer_bucket)` },
    { record: `${SEED_METRICS.duration}_count`, expr: `sum(${p}tx_transfer_count)` },
    { record: `${SEED_METRICS.duration}_sum`, expr: `sum(${p}tx_transfer_sum)` },
  ];
  for (const rule of rules) {
    const errors = validateQuery(rule.expr).filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`recording rule ${rule.record} is invalid: ${errors[0]?.message}`);
  }
  const group: RuleGroup = { name: 'mlperf-seed-names', rules };
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
    "# Written by mlperf: the seed's mojaloop_transfer_* names from real Mojaloop metrics.",
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

/** Writes the seed recording rules to `path` (atomically) and returns the YAML written. */
export async function writeSeedRecordingRules(path: string, options: SeedRulesOptions = {}): Promise<string> {
  const yaml = ruleFileYaml(seedRecordingRules(options));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, yaml);
  await rename(`${path}.tmp`, path);
  return yaml;
}
