import { formatDiagnostic, listNames, listSelectors, queryType, validateQuery } from '@mlperf/core/promql';
import { describe, expect, it } from 'vitest';

const rules = (q: string, opts = {}) => validateQuery(q, opts).map((d) => `${d.severity}:${d.rule}`);

describe('validateQuery: valid queries', () => {
  it.each([
    'up',
    'sum(rate(http_requests_total[5m]))',
    'sum by (job) (rate(http_requests_total{job="api",code=~"5.."}[5m]))',
    'sum(rate(x_total[5m])) by (job)',
    'histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))',
    'histogram_quantile(0.99, sum without (instance) (rate(x_bucket[5m])))',
    'rate(x_total[5m] offset 1h)',
    'max_over_time(rate(x_total[1m])[10m:30s])',
    'a / on (job) group_left (team) b',
    'a > bool 3',
    '1 > bool 2',
    'topk(5, sum by (pod) (container_memory_working_set_bytes))',
    'count_values("version", build_info)',
    'label_replace(up, "host", "$1", "instance", "(.*):.*")',
    'label_join(up, "id", "-", "job", "instance")',
    'clamp_min(x, 0) * 100',
    '-x + vector(1)',
    'time() - process_start_time_seconds',
    'up == 1 and on (job) rate(x_total[5m]) > 0',
    'x{a=~"(?i)prep.*"}',
    'up # trailing comment',
    'round(x, 0.5)',
    'day_of_week()',
  ])('%s has no diagnostics', (q) => {
    expect(validateQuery(q)).toEqual([]);
  });
});

describe('validateQuery: syntax errors', () => {
  it('catches a trailing unclosed bracket: rate(x[1m]', () => {
    const [d, ...rest] = validateQuery('rate(x[1m]');
    expect(rest).toEqual([]);
    expect(d).toEqual({
      severity: 'error',
      rule: 'syntax',
      from: 4,
      to: 5,
      message: 'unclosed `(`: the query ends before its `)`',
      hint: 'close it: rate(x[1m])',
    });
  });

  it('names the missing closers in order', () => {
    expect(validateQuery('sum(rate(x[1m')[0]?.hint).toBe('close it: sum(rate(x[1m]))');
    expect(validateQuery('x{a="b"')[0]?.hint).toBe('close it: x{a="b"}');
  });

  it('catches an incomplete binary expression at the end', () => {
    expect(validateQuery('x +')[0]).toMatchObject({
      rule: 'syntax',
      from: 3,
      message: 'the query ends too early, after `x +`',
    });
  });

  it('catches stray and mismatched closers', () => {
    expect(validateQuery('x )')[0]).toMatchObject({ from: 2, message: 'unexpected `)`: nothing to close' });
    expect(validateQuery('sum(x]')[0]).toMatchObject({ from: 5, message: '`]` where `)` was expected' });
  });

  it('catches a bad label matcher', () => {
    expect(validateQuery('foo{a=}')[0]).toMatchObject({
      rule: 'syntax',
      message: 'unexpected "}" in label matching, expected string',
    });
    expect(validateQuery('foo{a=b}')[0]?.rule).toBe('syntax');
  });

  it('catches unknown functions and suggests the closest', () => {
    expect(validateQuery('rat(x_total[5m])')[0]).toMatchObject({
      rule: 'unknown-function',
      from: 0,
      to: 3,
      hint: 'did you mean `rate`?',
    });
    expect(validateQuery('histogram_quantil(0.9, x)')[0]?.hint).toBe('did you mean `histogram_quantile`?');
  });

  it('rejects the empty query', () => {
    expect(rules('   ')).toEqual(['error:syntax']);
    expect(rules('# only a comment')).toEqual(['error:syntax']);
  });
});

describe("validateQuery: by/without outside an aggregation (the Phase-07 plan's mistake)", () => {
  it('flags the Phase-07 plan query and hints the rewrite', () => {
    const q = 'rate(mojaloop_transfer_error[1m]) by (error_type)';
    const [d, ...rest] = validateQuery(q);
    expect(rest).toEqual([]);
    expect(d?.rule).toBe('grouping-outside-aggregation');
    expect(q.slice(d?.from, d?.to)).toBe('by (error_type)');
    expect(d?.hint).toBe('aggregate explicitly: sum by (error_type) (rate(mojaloop_transfer_error[1m]))');
    expect(validateQuery('sum by (error_type) (rate(mojaloop_transfer_error[1m]))')).toEqual([]);
  });

  it('handles without, and keeps the rest of the query in the rewrite', () => {
    const d = validateQuery('increase(x_total[5m]) without (pod) > 10')[0];
    expect(d?.rule).toBe('grouping-outside-aggregation');
    expect(d?.hint).toBe('aggregate explicitly: sum without (pod) (increase(x_total[5m])) > 10');
  });
});

describe('validateQuery: types and argument counts', () => {
  it('rate needs a range vector', () => {
    const [d] = validateQuery('rate(x_total)');
    expect(d).toMatchObject({
      rule: 'argument-type',
      from: 5,
      to: 12,
      hint: 'give it a range: rate(x_total[5m])',
    });
    expect(d?.message).toBe('rate() argument 1 must be a range vector, got an instant vector');
  });

  it('histogram_quantile needs a scalar and an instant vector', () => {
    expect(validateQuery('histogram_quantile(x_bucket, 0.9)').map((d) => d.message)).toEqual([
      'histogram_quantile() argument 1 must be a scalar, got an instant vector',
      'histogram_quantile() argument 2 must be an instant vector, got a scalar',
    ]);
    expect(validateQuery('histogram_quantile(0.9, rate(x_bucket[5m])[5m])')[0]?.rule).toBe('argument-type');
    expect(validateQuery('histogram_quantile(0.9)')[0]).toMatchObject({
      rule: 'argument-count',
      message: 'histogram_quantile() takes 2 arguments, got 1',
    });
  });

  it('counts arguments, including optional and variadic ones', () => {
    expect(rules('label_replace(x, "a", "$1", "b")')).toEqual(['error:argument-count']);
    expect(rules('round(x, 1, 2)')).toEqual(['error:argument-count']);
    expect(validateQuery('label_join(x, "a")')[0]?.message).toBe(
      'label_join() takes at least 3 arguments, got 2',
    );
    expect(rules('time(1)')).toEqual(['error:argument-count']);
  });

  it('checks aggregations', () => {
    expect(rules('sum(x[5m])')).toEqual(['error:argument-type']);
    expect(validateQuery('sum(x[5m])')[0]?.hint).toBe('wrap the range in a function first: sum(rate(x[5m]))');
    expect(rules('topk("a", x)')).toEqual(['error:argument-type']);
    expect(rules('topk(x)')).toEqual(['error:argument-count']);
    expect(rules('count_values(1, x)')).toEqual(['error:argument-type']);
    expect(rules('sum(x, y)')).toEqual(['error:argument-count']);
  });

  it('checks binary operators', () => {
    expect(rules('x[5m] * 2')).toEqual(['error:binary-operand']);
    expect(rules('1 > 2')).toEqual(['error:bool-modifier']);
    expect(validateQuery('1 > 2')[0]?.hint).toBe('write: 1 > bool 2');
    expect(rules('a + bool b')).toEqual(['error:bool-modifier']);
    expect(rules('a and 1')).toEqual(['error:binary-operand']);
    expect(rules('a + on (b) 1')).toEqual(['error:binary-operand']);
  });

  it('checks selectors and modifiers', () => {
    expect(rules('{a=~".*"}')).toEqual(['error:selector']);
    expect(rules('{a=~".+"}')).toEqual([]);
    expect(rules('x{__name__="y"}')).toEqual(['error:selector']);
    expect(rules('x{a=~"(?=b)"}')).toEqual(['error:regex']);
    expect(rules('x{a=~"(b"}')).toEqual(['error:regex']);
    expect(rules('(x + y)[5m]')).toEqual(['error:argument-type']);
    expect(rules('sum(x) offset 5m')).toEqual(['error:modifier']);
    expect(rules('"text"')).toEqual(['error:result-type']);
  });

  it('knows the result type', () => {
    expect(queryType('sum(rate(x_total[5m]))')).toBe('vector');
    expect(queryType('x[5m]')).toBe('matrix');
    expect(queryType('1 + 2')).toBe('scalar');
    expect(queryType('rate(x')).toBeUndefined();
  });
});

describe('lint: rate over something that is not a counter', () => {
  it('warns by name, without metadata', () => {
    const [d] = validateQuery('rate(kafka_consumergroup_lag[5m])');
    expect(d).toMatchObject({ severity: 'warning', rule: 'rate-non-counter', from: 5, to: 28 });
    expect(d?.hint).toContain('deriv(kafka_consumergroup_lag[5m])');
    expect(rules('irate(memory_bytes[5m])')).toEqual(['warning:rate-non-counter']);
    expect(rules('increase(queue_depth[5m])')).toEqual(['warning:rate-non-counter']);
  });

  it('accepts counter names and histogram parts', () => {
    for (const q of [
      'rate(a_total[5m])',
      'rate(a_count[5m])',
      'rate(a_sum[5m])',
      'rate(a_bucket[5m])',
      'rate(mojaloop_transfer_success[1m])',
    ]) {
      expect(validateQuery(q), q).toEqual([]);
    }
  });

  it('uses metadata when connected, over the name', () => {
    expect(rules('rate(requests[5m])', { metadata: { requests: 'counter' } })).toEqual([]);
    expect(
      rules('rate(k6_http_req_duration_seconds[5m])', {
        metadata: { k6_http_req_duration_seconds: 'histogram' },
      }),
    ).toEqual([]);
    expect(
      rules('rate(moja_transfer_prepare_bucket[5m])', { metadata: { moja_transfer_prepare: 'histogram' } }),
    ).toEqual([]);
    const [d] = validateQuery('rate(weird_total[5m])', { metadata: { weird_total: 'gauge' } });
    expect(d?.message).toBe('rate() over `weird_total`, which the metadata API says is a gauge');
    expect(rules('rate(requests[5m])', { counters: ['requests'] })).toEqual([]);
  });

  it('does not apply to gauge functions', () => {
    expect(validateQuery('deriv(kafka_consumergroup_lag[5m])')).toEqual([]);
    expect(validateQuery('avg_over_time(queue_depth[5m])')).toEqual([]);
  });
});

describe('lint: range shorter than twice the scrape interval', () => {
  it('warns at the default 15s interval', () => {
    const [d] = validateQuery('rate(x_total[20s])');
    expect(d).toMatchObject({
      severity: 'warning',
      rule: 'range-too-short',
      from: 13,
      to: 16,
      hint: 'use at least [30s], e.g. [1m]',
    });
  });

  it('follows the given scrape interval', () => {
    expect(rules('rate(x_total[1m])', { scrapeInterval: '1m' })).toEqual(['warning:range-too-short']);
    expect(rules('rate(x_total[2m])', { scrapeInterval: '1m' })).toEqual([]);
    expect(rules('rate(x_total[2s])', { scrapeInterval: 1 })).toEqual([]);
    expect(rules('deriv(x[10s])')).toEqual(['warning:range-too-short']);
    expect(rules('max_over_time(x[10s])')).toEqual([]);
  });
});

describe('lint: histogram_quantile without le', () => {
  it('errors when the aggregation drops le, and hints the fix', () => {
    const q = 'histogram_quantile(0.95, sum(rate(x_bucket[5m])))';
    const [d] = validateQuery(q);
    expect(d).toMatchObject({ severity: 'error', rule: 'histogram-quantile-le' });
    expect(d?.hint).toBe(
      'keep le in the grouping: histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m])))',
    );
    expect(validateQuery('histogram_quantile(0.95, sum by (job) (rate(x_bucket[5m])))')[0]?.hint).toBe(
      'keep le in the grouping: histogram_quantile(0.95, sum by (job, le) (rate(x_bucket[5m])))',
    );
    expect(rules('histogram_quantile(0.95, sum without (le) (rate(x_bucket[5m])))')).toEqual([
      'error:histogram-quantile-le',
    ]);
    expect(
      rules('histogram_quantile(0.95, sum by (le) (rate(a_bucket[5m])) / sum(rate(b_bucket[5m])))'),
    ).toEqual(['error:histogram-quantile-le']);
  });

  it('accepts le kept, label-preserving topk and native histograms', () => {
    expect(validateQuery('histogram_quantile(0.95, sum by (le, job) (rate(x_bucket[5m])))')).toEqual([]);
    expect(validateQuery('histogram_quantile(0.95, rate(x_bucket[5m]))')).toEqual([]);
    expect(
      validateQuery('histogram_quantile(0.95, sum(rate(native_seconds[5m])))', {
        counters: ['native_seconds'],
      }),
    ).toEqual([]);
  });

  it('warns about raw buckets and quantiles outside 0..1', () => {
    expect(rules('histogram_quantile(0.95, x_bucket)')).toEqual(['warning:histogram-quantile-rate']);
    expect(rules('histogram_quantile(95, rate(x_bucket[5m]))')).toEqual(['warning:quantile-range']);
  });
});

describe('the function table of the target Prometheus version', () => {
  it('knows only the functions of that version (default 2.42.0)', () => {
    const [d] = validateQuery('histogram_avg(rate(x_seconds_count[5m]))');
    expect(d).toMatchObject({ severity: 'error', rule: 'unknown-function', from: 0, to: 13 });
    expect(d?.message).toBe('unknown function `histogram_avg` in Prometheus 2.42.0');
    expect(d?.hint).toBe(
      'histogram_avg() needs Prometheus 3.0 or later; set --prometheus-version if yours is newer',
    );
    expect(rules('histogram_avg(rate(x_seconds_count[5m]))', { prometheusVersion: '3.5.0' })).toEqual([]);
    expect(rules('clamp(x, 0, 1)', { prometheusVersion: '2.25.1' })).toEqual(['error:unknown-function']);
    expect(rules('clamp(x, 0, 1)', { prometheusVersion: '2.42.0' })).toEqual([]);
  });

  it('holt_winters in 2.x, double_exponential_smoothing in 3.x', () => {
    expect(rules('holt_winters(x[5m], 0.5, 0.5)')).toEqual([]);
    expect(validateQuery('holt_winters(x[5m], 0.5, 0.5)', { prometheusVersion: '3.0.0' })[0]?.hint).toBe(
      'Prometheus 3 renamed holt_winters to double_exponential_smoothing',
    );
    expect(validateQuery('double_exponential_smoothing(x[5m], 0.5, 0.5)')[0]?.hint).toBe(
      'Prometheus 2.x calls it holt_winters',
    );
    expect(rules('double_exponential_smoothing(x[5m], 0.5, 0.5)', { prometheusVersion: '3.1.0' })).toEqual([
      'warning:experimental-function',
    ]);
  });

  it('3.x grammar: quoted names and numbers as durations', () => {
    for (const q of ['{"metric.name"}', 'up{"job"="x"}', 'sum by ("job") (up)', 'x offset 5', 'x[5]']) {
      expect(rules(q), q).toEqual(['error:' + (q.includes('[') ? 'range' : 'syntax')]);
      expect(rules(q, { prometheusVersion: '3.0.0' }), q).toEqual([]);
    }
  });
});

describe('lint: selectors with no series', () => {
  it('warns only when the known metrics are given', () => {
    expect(validateQuery('sum(x_totl)')).toEqual([]);
    const [d] = validateQuery('sum(x_totl)', { knownMetrics: ['x_total', 'y_total'] });
    expect(d).toMatchObject({ severity: 'warning', rule: 'no-series', hint: 'did you mean `x_total`?' });
    expect(validateQuery('rate(x_total[5m])', { knownMetrics: ['x_total'] })).toEqual([]);
  });
});

describe('listing what a query uses', () => {
  it('lists selectors with metric, matchers and range', () => {
    const q = 'sum by (le, job) (rate(foo_bucket{a="b",c=~"d"}[5m] offset 1m)) / on (job) {__name__="bar"}';
    expect(
      listSelectors(q).map(({ text, metric, matchers, rangeSeconds }) => ({
        text,
        metric,
        matchers,
        rangeSeconds,
      })),
    ).toEqual([
      {
        text: 'foo_bucket{a="b",c=~"d"}',
        metric: 'foo_bucket',
        matchers: [
          { name: 'a', op: '=', value: 'b' },
          { name: 'c', op: '=~', value: 'd' },
        ],
        rangeSeconds: 300,
      },
      {
        text: '{__name__="bar"}',
        metric: 'bar',
        matchers: [{ name: '__name__', op: '=', value: 'bar' }],
        rangeSeconds: undefined,
      },
    ]);
    expect(listNames(q)).toEqual({ metrics: ['bar', 'foo_bucket'], labels: ['a', 'c', 'job', 'le'] });
    expect(listSelectors('rate(x')).toEqual([]);
  });

  it('decodes escaped matcher values', () => {
    expect(listSelectors('x{path="a\\"b\\\\c", raw=`x\\y`}')[0]?.matchers.map((m) => m.value)).toEqual([
      'a"b\\c',
      'x\\y',
    ]);
  });
});

describe('formatDiagnostic', () => {
  it('puts a caret under the position', () => {
    const q = 'rate(mojaloop_transfer_error[1m]) by (error_type)';
    const d = validateQuery(q)[0];
    expect(d && formatDiagnostic(q, d)).toMatchInlineSnapshot(`
      "rate(mojaloop_transfer_error[1m]) by (error_type)
                                        ^^^^^^^^^^^^^^^
      error[grouping-outside-aggregation] (column 35): \`by (error_type)\` is not attached to an aggregation: \`by\` only follows or precedes sum, avg, max, min, count, topk and the other aggregation operators
        hint: aggregate explicitly: sum by (error_type) (rate(mojaloop_transfer_error[1m]))"
    `);
  });

  it('shows the right line of a multi-line query', () => {
    const q = 'sum(\n  rate(x_total)\n)';
    const d = validateQuery(q)[0];
    expect(d && formatDiagnostic(q, d)).toMatchInlineSnapshot(`
      "  rate(x_total)
             ^^^^^^^
      error[argument-type] (line 2, column 8): rate() argument 1 must be a range vector, got an instant vector
        hint: give it a range: rate(x_total[5m])"
    `);
  });
});

describe('messages and hints for what Prometheus rejects', () => {
  const first = (q: string, opts = {}) => validateQuery(q, opts)[0];

  it('explains durations, double clauses, unary ranges and offsets before ranges', () => {
    expect(first('x[1.5m]')).toMatchObject({
      rule: 'range',
      message: 'not a valid duration string: "1.5m"',
      hint: 'durations take whole numbers of units: 90s',
    });
    expect(first('sum by (job) without (instance) (up)')).toMatchObject({
      rule: 'syntax',
      hint: 'keep one clause: sum by (a) (x) or sum without (b) (x)',
    });
    expect(first('-x[5m]')).toMatchObject({
      rule: 'argument-type',
      message: 'unary - needs a scalar or an instant vector, got a range vector',
    });
    expect(first('x offset 5m [1m]')).toMatchObject({
      rule: 'modifier',
      message: 'no offset modifiers allowed before range',
    });
    expect(first('x offset 5')?.hint).toBe(
      'an offset needs a unit: offset 5m (a bare number is Prometheus 3 syntax)',
    );
  });

  it('checks what the parser leaves to the engine', () => {
    expect(rules('a / on(job) group_left(job) b')).toEqual(['error:vector-matching']);
    expect(rules('a and on(job) group_left b')).toEqual(['error:vector-matching']);
    expect(rules('x offset 5m offset 1m')).toEqual(['error:modifier']);
    expect(rules('x @ 1 @ 2')).toEqual(['error:modifier']);
    expect(rules('(x) offset 5m')).toEqual(['error:modifier']);
    expect(rules('x[-5m]')).toEqual(['error:range']);
    expect(rules('sum without (without) (x)')).toEqual(['error:syntax']);
    expect(rules('sum by (offset, on, bool) (x)')).toEqual([]);
    expect(first('"\\d"')?.message).toBe("unknown escape sequence U+0064 'd'");
    expect(first('1_000')?.hint).toBe('Prometheus has no digit separators: write 1000, not 1_000');
  });

  it('uses RE2 for matchers', () => {
    expect(rules('x{a=~"(?i:foo)"}')).toEqual([]);
    expect(rules('x{a=~"(?P<n>x)"}')).toEqual([]);
    expect(rules('x{a=~"(?<n>x)"}')).toEqual(['error:regex']);
    expect(rules('x{a=~"(?<n>x)"}', { prometheusVersion: '3.0.0' })).toEqual([]);
    expect(rules('x{a=~"a{1001}"}')).toEqual(['error:regex']);
    expect(rules('{a=~"x|"}')).toEqual(['error:selector']);
  });

  it('lexes like Prometheus: offset as a name, 0X1F, 5., label_join with 3 arguments', () => {
    for (const q of [
      'offset',
      'offset offset 5m',
      'sum(offset)',
      '0X1F',
      '5.',
      'label_join(up, "a", ",")',
      '- -5',
      '-Inf',
    ])
      expect(rules(q), q).toEqual([]);
  });

  it('has no length or depth limit of its own', () => {
    expect(rules(Array.from({ length: 1500 }, (_, i) => `m${i}`).join(' + '))).toEqual([]);
    expect(rules(`${'('.repeat(5000)}up${')'.repeat(5000)}`)).toEqual([]);
    const big = Array.from({ length: 6000 }, (_, i) => `rate(x${i}_total[5m])`).join(' + ');
    expect(big.length).toBeGreaterThan(100_000);
    expect(rules(big)).toEqual([]);
  });
});
