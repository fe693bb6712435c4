import { describe, expect, it } from 'vitest';
import { FspiopSpec, parseMetrics, sum } from '@mlperf/testkit';

describe('@mlperf/testkit', () => {
  it('parses Prometheus text with labels and sums the samples that match', () => {
    const samples = parseMetrics(
      [
        '# TYPE kafka_consumergroup_lag gauge',
        'kafka_consumergroup_lag{topic="topic-transfer-position",partition="0"} 7',
        'kafka_consumergroup_lag{topic="topic-transfer-position",partition="1"} 5',
        'kafka_consumergroup_lag{topic="topic-transfer-prepare",partition="0"} 1',
        'process_cpu_seconds_total 1.5',
      ].join('\n'),
    );
    expect(samples).toHaveLength(4);
    expect(sum(samples, 'kafka_consumergroup_lag', { topic: 'topic-transfer-position' })).toBe(12);
    expect(sum(samples, 'process_cpu_seconds_total')).toBe(1.5);
  });

  it('checks FSPIOP requests against the v1.1 OpenAPI: headers and body', async () => {
    const spec = await FspiopSpec.load();
    const headers = {
      accept: 'application/vnd.interoperability.transfers+json;version=1.1',
      'content-type': 'application/vnd.interoperability.transfers+json;version=1.1',
      date: new Date().toUTCString(),
      'fspiop-source': 'perffsp-5',
      'fspiop-destination': 'perffsp-1',
    };
    const fulfil = {
      transferState: 'COMMITTED',
      fulfilment: 'XoSz1cL0tljJSCp_VtIYmPNw-zFUgGfbUqf69AagUzY',
      completedTimestamp: new Date().toISOString(),
    };
    const path = '/transfers/b51ec534-ee48-4575-b6a9-ead2955b8069';
    expect(spec.checkRequest({ method: 'PUT', path, headers, body: fulfil })).toEqual([]);
    const { date: _, ...noDate } = headers;
    const problems = spec.checkRequest({
      method: 'PUT',
      path,
      headers: noDate,
      body: { transferState: 'X' },
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/missing required header Date/);
    expect(problems[1]).toMatch(/body/);
  });
});
