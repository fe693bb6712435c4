import {
  anyPrefixSelector,
  catalogueFor,
  DEFAULT_METRIC_PREFIXES,
  metricNamesOf,
  parseMetricPrefix,
  prefixesFromNames,
  processPrefixOf,
  validationRecordingRules,
  validateQuery,
} from '@mlperf/core/promql';
import { describe, expect, it } from 'vitest';

// Names as a real central-ledger 19.5.5 (handlers on :3101) and ml-api-adapter 16.5.3
// (notification handler on :3100) expose them after one transfer, with their default config.
const CENTRAL_LEDGER_HANDLERS = `# HELP moja_cl_transfer_prepare Consume a prepare transfer message from the kafka topic and process it accordingly
# TYPE moja_cl_transfer_prepare histogram
moja_cl_transfer_prepare_bucket{le="0.01",serviceName="central-service",success="true",fspId="*"} 0
moja_cl_transfer_prepare_count{serviceName="central-service",success="true",fspId="*"} 1
moja_cl_transfer_position_batch_count{serviceName="central-service",success="true"} 2
moja_cl_transfer_fulfil_count{serviceName="central-service",success="true",fspId="*"} 1
moja_cl_process_cpu_seconds_total{serviceName="central-service"} 12.5
`;
const ML_NOTIFICATION = `moja_ml_tx_transfer_prepare_count{serviceName="ml-service",success="true"} 1
moja_ml_notification_event_delivery_count{serviceName="ml-service",success="true",from="perffsp-1",dest="perffsp-5",action="prepare",status="200"} 1
moja_ml_process_cpu_seconds_total{serviceName="ml-service"} 3.1
`;
const ML_API = `moja_ml_ml_transfer_prepare_count{serviceName="ml-service",success="true"} 1
moja_ml_process_cpu_seconds_total 1
`;

describe('Mojaloop metric prefixes', () => {
  it("are found in the services' own /metrics, whatever they are", () => {
    expect(prefixesFromNames(metricNamesOf(CENTRAL_LEDGER_HANDLERS))).toEqual({ ledger: 'moja_cl_' });
    expect(prefixesFromNames(metricNamesOf(ML_NOTIFICATION))).toEqual({ adapter: 'moja_ml_' });
    // the API's own moja_ml_ml_transfer_prepare is not central-ledger's prepare
    expect(prefixesFromNames(metricNamesOf(ML_API))).toEqual({});
    expect(processPrefixOf(metricNamesOf(ML_API))).toBe('moja_ml_');
    const oneForAll = [
      'moja_transfer_prepare_bucket',
      'moja_transfer_position_count',
      'moja_tx_transfer_count',
    ];
    expect(prefixesFromNames(oneForAll)).toEqual({ ledger: 'moja_', adapter: 'moja_' });
  });

  it('are read from --metric-prefix, and a bad one is refused with the flag named', () => {
    expect(parseMetricPrefix('moja_')).toEqual({ ledger: 'moja_', adapter: 'moja_' });
    expect(parseMetricPrefix('central-ledger=cl_,ml-api-adapter=ml_')).toEqual({
      ledger: 'cl_',
      adapter: 'ml_',
    });
    expect(parseMetricPrefix('cl=x_')).toEqual({ ...DEFAULT_METRIC_PREFIXES, ledger: 'x_' });
    expect(() => parseMetricPrefix('moja-')).toThrow(/--metric-prefix: "moja-" is not a metric-name prefix/);
    expect(() => parseMetricPrefix('quoting=q_')).toThrow(/unknown service "quoting"/);
  });

  it('shape every catalogue query and recording rule, which stay valid PromQL', () => {
    const custom = catalogueFor({ prefixes: { ledger: 'central_', adapter: 'adapter_' } });
    const q = (n: string) => custom.find((c) => c.name === n)?.promql ?? '';
    expect(q('mojaloop_tps')).toContain('central_transfer_fulfil_count{success="true"}');
    expect(q('mojaloop_p95_ms')).toContain('adapter_tx_transfer_bucket');
    expect(q('process_cpu_cores')).toContain('{__name__=~"(central_|adapter_)?process_cpu_seconds_total"}');
    for (const c of custom) {
      const errors = validateQuery(c.promql).filter((d) => d.severity === 'error');
      expect(errors, c.name).toEqual([]);
    }
    const rules =
      validationRecordingRules({ prefixes: { ledger: 'central_', adapter: 'adapter_' } })[0]?.rules ?? [];
    expect(rules.map((r) => r.expr).join('\n')).toContain('sum(central_transfer_prepare_count)');
    expect(anyPrefixSelector({ ledger: '', adapter: '' }, 'up')).toBe('{__name__=~"up"}');
  });
});
