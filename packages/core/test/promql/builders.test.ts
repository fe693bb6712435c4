import {
  add,
  avgBy,
  clampMin,
  div,
  histogramQuantile,
  increase,
  maxBy,
  mul,
  or,
  rate,
  selector,
  sub,
  sum,
  sumBy,
  sumWithout,
  topk,
  validateQuery,
  vector,
} from '@mlperf/core/promql';
import { describe, expect, it } from 'vitest';

describe('typed builders', () => {
  const prepares = selector('moja_transfer_prepare_count');
  const fulfilled = selector('moja_transfer_fulfil_count', { success: 'true' });

  it('build the PromQL one would write by hand', () => {
    expect(rate(fulfilled.range('1m')).promql).toBe('rate(moja_transfer_fulfil_count{success="true"}[1m])');
    expect(sumBy(['le'], rate(selector('moja_tx_transfer_bucket').range(300))).promql).toBe(
      'sum by (le) (rate(moja_tx_transfer_bucket[5m]))',
    );
    expect(div(sum(rate(fulfilled.range('1m'))), sum(rate(prepares.range('1m')))).promql).toBe(
      'sum (rate(moja_transfer_fulfil_count{success="true"}[1m])) / sum (rate(moja_transfer_prepare_count[1m]))',
    );
    expect(
      mul(histogramQuantile(0.95, sumBy(['le'], rate(selector('x_bucket').range('5m')))), 1000).promql,
    ).toBe('histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m]))) * 1000');
    expect(selector('x_total').offset('1h').range('5m').promql).toBe('x_total[5m] offset 1h');
    expect(div(selector('a'), selector('b'), { on: ['job'], groupLeft: ['team'] }).promql).toBe(
      'a / on (job) group_left (team) b',
    );
    expect(selector('x', { path: { op: '=~', value: '/api/.*' }, q: 'say "hi"' }).promql).toBe(
      'x{path=~"/api/.*", q="say \\"hi\\""}',
    );
  });

  it('parenthesize nested binary expressions', () => {
    const ratio = div(selector('a'), selector('b'));
    expect(sub(1, ratio).promql).toBe('1 - (a / b)');
    expect(mul(add(selector('a'), 1), 2).promql).toBe('(a + 1) * 2');
  });

  it('always produce queries the validator accepts', () => {
    const built = [
      rate(fulfilled.range('1m')),
      increase(prepares.range('10m')),
      sumBy(['le'], rate(selector('moja_tx_transfer_bucket').range('1m'))),
      sumWithout(['pod'], rate(prepares.range('1m'))),
      avgBy(['job'], selector('nodejs_eventloop_lag_p99_seconds')),
      maxBy(['consumergroup', 'topic'], selector('kafka_consumergroup_lag')),
      histogramQuantile(0.99, sumBy(['le', 'job'], rate(selector('x_bucket').range('2m')))),
      div(sum(rate(fulfilled.range('1m'))), sum(rate(prepares.range('1m')))),
      sub(1, div(sum(rate(fulfilled.range('1m'))), sum(rate(prepares.range('1m'))))),
      or(sum(rate(selector('e_total').range('1m'))), vector(0)),
      clampMin(selector('g'), 0),
      topk(3, selector('g')),
      div(selector('a'), selector('b'), { ignoring: ['instance'] }),
    ];
    for (const b of built) expect(validateQuery(b.promql), b.promql).toEqual([]);
  });

  it('reject what would not be valid PromQL, at compile time and at run time', () => {
    // @ts-expect-error rate() needs a range vector, not an instant vector
    rate(selector('x_total'));
    // @ts-expect-error histogram_quantile() needs an instant vector
    histogramQuantile(0.9, selector('x_bucket').range('5m'));
    // @ts-expect-error sum() aggregates instant vectors
    sum(selector('x').range('5m'));
    expect(() => selector('bad-name')).toThrow(expect.objectContaining({ code: 'PROMQL_BUILDER' }));
    expect(() => selector('x', { 'bad label': 'v' })).toThrow(/label name is not valid/);
    expect(() => selector('x', { a: { op: '=~', value: '(' } })).toThrow(/regular expression/);
    expect(() => selector('x').range('5 minutes')).toThrow(
      expect.objectContaining({ code: 'PROMQL_BAD_DURATION' }),
    );
    expect(() => histogramQuantile(95, selector('x_bucket'))).toThrow(/quantile is not valid/);
    expect(() => sumBy(['le-x'], selector('x'))).toThrow(/label name/);
    expect(() => topk(0, selector('x'))).toThrow(/topk k/);
  });
});
