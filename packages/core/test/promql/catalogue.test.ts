import {
  CATALOGUE,
  CATALOGUE_FAMILIES,
  catalogueFor,
  listNames,
  ruleFileYaml,
  validationRecordingRules,
  validateQuery,
} from '@mlperf/core/promql';
import { type BandMetric, ENGINE_METRICS, type MetricBand } from '@mlperf/core';
import { describe, expect, it } from 'vitest';
import { catalogueQuery } from '../../src/promql/catalogue.js';
import { chooseStep, pointCount } from '../../src/promql/step.js';
import { VALIDATION_METRICS } from '../../src/promql/validation-names.js';

/** The unit of each Critical Metrics band (MetricBand.unit). */
const BAND_UNITS: Record<BandMetric, MetricBand['unit']> = {
  tps: 'tps',
  'success-rate': 'ratio',
  'p95-latency': 'ms',
  cpu: 'ratio',
  memory: 'ratio',
  'error-rate': 'ratio',
};

describe('the validation-query catalogue', () => {
  it('every query passes validation with no diagnostics at all', () => {
    for (const q of CATALOGUE) expect(validateQuery(q.promql, { counters: q.counters }), q.name).toEqual([]);
    for (const q of catalogueFor({
      prefix: 'ml_',
      window: '30s',
      namespace: 'mojaloop',
      k6Prefix: 'perf_',
    })) {
      expect(validateQuery(q.promql, { counters: q.counters, scrapeInterval: '15s' }), q.name).toEqual([]);
    }
  });

  it('has unique, file-safe names and covers every family', () => {
    const names = CATALOGUE.map((q) => q.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(new Set(CATALOGUE.map((q) => q.family))).toEqual(new Set(CATALOGUE_FAMILIES));
  });

  it('keeps the names other packages read', () => {
    for (const name of [
      'validation_actual_tps',
      'validation_success_rate',
      'validation_p95_latency_seconds',
      'validation_error_rate_by_type',
      'engine_tps',
      'engine_success_rate',
      'engine_error_rate',
      'engine_p95_ms',
      'mojaloop_tps',
      'mojaloop_success_rate',
      'mojaloop_p95_ms',
      'cpu_usage_ratio',
      'memory_working_set_ratio',
      'cpu_throttling_ratio',
      'kafka_consumer_lag',
      'kafka_consumer_lag_growth',
      'db_connections_ratio',
      'event_loop_lag_seconds',
      'service_up',
    ]) {
      expect(catalogueQuery(name).name).toBe(name);
    }
  });

  it("feeds each band from queries in the band's unit", () => {
    for (const q of CATALOGUE.filter((c) => c.band)) {
      expect(q.unit, q.name).toBe(BAND_UNITS[q.band as BandMetric]);
    }
    const banded = new Set(CATALOGUE.map((q) => q.band).filter(Boolean));
    expect(banded).toEqual(new Set(Object.keys(BAND_UNITS)));
  });

  it("keeps the Phase-07 plan's queries verbatim, correcting only the invalid one", () => {
    expect(catalogueQuery('validation_actual_tps').promql).toBe('rate(mojaloop_transfer_success[1m])');
    expect(catalogueQuery('validation_success_rate').promql).toBe(
      'rate(mojaloop_transfer_success[1m]) / rate(mojaloop_transfer_total[1m])',
    );
    expect(catalogueQuery('validation_p95_latency_seconds').promql).toBe(
      'histogram_quantile(0.95, rate(mojaloop_transfer_duration_bucket[1m]))',
    );
    expect(validateQuery('rate(mojaloop_transfer_error[1m]) by (error_type)')[0]?.hint).toContain(
      catalogueQuery('validation_error_rate_by_type').promql,
    );
  });

  it('applies the prefix, window and namespace options', () => {
    const c = catalogueFor({ prefix: 'central_', window: '30s', namespace: 'mojaloop', enginePrefix: 'lt_' });
    expect(catalogueQuery('mojaloop_tps', c).promql).toBe(
      'sum(rate(central_transfer_fulfil_count{success="true"}[30s]))',
    );
    expect(catalogueQuery('engine_tps', c).promql).toBe(
      'sum(rate(lt_transfers_total{outcome="success"}[30s]))',
    );
    expect(catalogueQuery('memory_working_set_bytes', c).promql).toContain('namespace="mojaloop"');
    expect(catalogueFor({ families: ['k6'] }).every((q) => q.family === 'k6')).toBe(true);
    expect(() => catalogueFor({ prefix: 'bad prefix' })).toThrow(
      expect.objectContaining({ code: 'PROMQL_BAD_PREFIX' }),
    );
    expect(() => catalogueFor({ window: 'soon' })).toThrow(
      expect.objectContaining({ code: 'PROMQL_BAD_DURATION' }),
    );
    expect(() => catalogueQuery('nope')).toThrow(expect.objectContaining({ code: 'PROMQL_UNKNOWN_QUERY' }));
  });

  it('reads the engine metric names from one place', () => {
    const engineNames = new Set(
      CATALOGUE.filter((q) => q.family === 'engine').flatMap((q) => listNames(q.promql).metrics),
    );
    const declared = new Set(Object.values(ENGINE_METRICS).flatMap((n) => [n, `${n}_bucket`]));
    for (const n of engineNames) expect(declared.has(n), n).toBe(true);
  });
});

describe('validation recording rules', () => {
  it('define every validation name from moja_ metrics with valid expressions', () => {
    const [group] = validationRecordingRules({ interval: '1s' });
    expect(group?.interval).toBe('1s');
    const recorded = new Set(group?.rules.map((r) => r.record));
    for (const q of CATALOGUE.filter((c) => c.family === 'validation')) {
      for (const m of listNames(q.promql).metrics) expect(recorded.has(m), m).toBe(true);
    }
    for (const r of group?.rules ?? []) expect(validateQuery(r.expr), r.expr).toEqual([]);
    expect(recorded.has(VALIDATION_METRICS.success)).toBe(true);
  });

  it('follow the prefix and render as a rule file', () => {
    const yaml = ruleFileYaml(validationRecordingRules({ prefix: 'central_' }));
    expect(yaml).toMatchInlineSnapshot(`
      "# Written by mlperf: the Phase-07 plan's mojaloop_transfer_* names from real Mojaloop metrics.
      groups:
        - name: "mlperf-validation-names"
          rules:
            - record: "mojaloop_transfer_total"
              expr: "sum(central_transfer_prepare_count) unless on () mojaloop_transfer_total{job!=\\"\\"}"
            - record: "mojaloop_transfer_success"
              expr: "sum(central_transfer_fulfil_count{success=\\"true\\"}) unless on () mojaloop_transfer_total{job!=\\"\\"}"
            - record: "mojaloop_transfer_error"
              expr: "sum(central_transfer_prepare_count{success=\\"false\\"}) unless on () mojaloop_transfer_total{job!=\\"\\"}"
              labels:
                error_type: "prepare"
            - record: "mojaloop_transfer_error"
              expr: "sum(central_transfer_fulfil_count{success=\\"false\\"}) unless on () mojaloop_transfer_total{job!=\\"\\"}"
              labels:
                error_type: "fulfil"
            - record: "mojaloop_transfer_duration_bucket"
              expr: "sum by (le) (central_tx_transfer_bucket) unless on () mojaloop_transfer_total{job!=\\"\\"}"
            - record: "mojaloop_transfer_duration_count"
              expr: "sum(central_tx_transfer_count) unless on () mojaloop_transfer_total{job!=\\"\\"}"
            - record: "mojaloop_transfer_duration_sum"
              expr: "sum(central_tx_transfer_sum) unless on () mojaloop_transfer_total{job!=\\"\\"}"
      "
    `);
    expect(() => validationRecordingRules({ prefix: 'a b' })).toThrow(
      expect.objectContaining({ code: 'PROMQL_BAD_PREFIX' }),
    );
  });
});

describe('range-query step', () => {
  it('stays under 11,000 points per series', () => {
    expect(chooseStep(0, 300)).toBe(1);
    expect(chooseStep(0, 300, 15)).toBe(15);
    expect(chooseStep(0, 4.5 * 3600)).toBe(2);
    expect(chooseStep(0, 86_400)).toBe(10);
    expect(chooseStep(0, 30 * 86_400)).toBe(300);
    expect(chooseStep(0, 400 * 86_400)).toBe(3600 * 1);
    for (const span of [1, 59, 3600, 11_000, 11_001, 16_200, 86_400, 604_800, 31_536_000, 100 * 31_536_000]) {
      const step = chooseStep(0, span);
      expect(span / step, String(span)).toBeLessThanOrEqual(11_000);
      expect(pointCount(0, span, step)).toBeLessThanOrEqual(11_001);
    }
  });
});

describe('the catalogue README', () => {
  it('documents every query with its unit and band', async () => {
    const { readFile } = await import('node:fs/promises');
    // Biome aligns the table columns: compare with runs of spaces collapsed.
    const readme = (await readFile(new URL('../../src/promql/README.md', import.meta.url), 'utf8')).replace(
      / +/g,
      ' ',
    );
    for (const q of CATALOGUE) {
      expect(readme, q.name).toContain(`| \`${q.name}\` | ${q.unit} | ${q.band ? `${q.band} ` : ''}|`);
    }
  });
});
