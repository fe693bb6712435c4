import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogueFor, findPrometheusBinary, listNames, startPrivatePrometheus } from '@mlperf/core/promql';
import { K6_METRICS } from '@mlperf/scenarios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { untilScraped } from '@mlperf/testkit';
import { run } from '../src/index.js';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const original = { log: console.log, error: console.error, write: process.stdout.write };
  console.log = (...a: unknown[]) => out.push(a.map(String).join(' '));
  console.error = (...a: unknown[]) => err.push(a.map(String).join(' '));
  process.stdout.write = ((chunk: string) => {
    out.push(String(chunk).replace(/\n$/, ''));
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = await run(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = original.log;
    console.error = original.error;
    process.stdout.write = original.write;
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlperf-cli-promql-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mlperf promql lint', () => {
  it('shows a caret under the problem and exits 2', async () => {
    const r = await cli('promql', 'lint', 'rate(mojaloop_transfer_error[1m]) by (error_type)');
    expect(r.code).toBe(2);
    expect(r.out).toMatchInlineSnapshot(`
      "argument:
        rate(mojaloop_transfer_error[1m]) by (error_type)
                                          ^^^^^^^^^^^^^^^
        error[grouping-outside-aggregation] (column 35): \`by (error_type)\` is not attached to an aggregation: \`by\` only follows or precedes sum, avg, max, min, count, topk and the other aggregation operators
          hint: aggregate explicitly: sum by (error_type) (rate(mojaloop_transfer_error[1m]))

      1 query: 1 error, 0 warnings (Prometheus 2.42.0+ds grammar, from installed prometheus)"
    `);
    expect(r.err).toMatchInlineSnapshot(`
      "PROMQL_INVALID: 1 error in 1 query
        hint: fix the queries as shown above"
    `);
  });

  it('catches the trailing unclosed bracket', async () => {
    const r = await cli('promql', 'lint', 'rate(x[1m]');
    expect(r.code).toBe(2);
    expect(r.out).toMatchInlineSnapshot(`
      "argument:
        rate(x[1m]
            ^
        error[syntax] (column 5): unclosed \`(\`: the query ends before its \`)\`
          hint: close it: rate(x[1m])

      1 query: 1 error, 0 warnings (Prometheus 2.42.0+ds grammar, from installed prometheus)"
    `);
  });

  it('exits 0 on warnings only, and lints every query of a file', async () => {
    const file = join(dir, 'queries.promql');
    await writeFile(
      file,
      "# the Phase-07 plan's queries\nrate(mojaloop_transfer_success[1m])\n\nrate(kafka_consumergroup_lag[5m])\n\nsum(\n  rate(x_total[10s])\n)\n",
    );
    const r = await cli('promql', 'lint', '--file', file, '--scrape-interval', '15s');
    expect(r.code).toBe(0);
    expect(r.out.replaceAll(file, 'queries.promql')).toMatchInlineSnapshot(`
      "queries.promql:4:
        rate(kafka_consumergroup_lag[5m])
             ^^^^^^^^^^^^^^^^^^^^^^^
        warning[rate-non-counter] (column 6): rate() over \`kafka_consumergroup_lag\`, which is not a counter by its name (counters end in _total, _count, _sum or _bucket)
          hint: rate() assumes a counter that only goes up; for a gauge use deriv() or delta(): deriv(kafka_consumergroup_lag[5m])

      queries.promql:6:
          rate(x_total[10s])
                       ^^^
        warning[range-too-short] (line 2, column 16): rate() over [10s]: shorter than twice the scrape interval (15s), so windows often hold fewer than two samples and return nothing
          hint: use at least [30s], e.g. [1m]

      3 queries: 0 errors, 2 warnings (Prometheus 2.42.0+ds grammar, from installed prometheus)"
    `);
  });

  it('reads expr: lines of a rules file and prints JSON', async () => {
    const file = join(dir, 'rules.yml');
    await writeFile(
      file,
      'groups:\n  - name: g\n    rules:\n      - record: a\n        expr: "sum(rate(x_total[5m]))"\n      - record: b\n        expr: rate(x_total)\n',
    );
    const r = await cli('promql', 'lint', '--file', file, '--json');
    expect(r.code).toBe(2);
    const parsed = JSON.parse(r.out) as { where: string; diagnostics: { rule: string }[] }[];
    expect(parsed.map((p) => [p.where.replace(file, 'rules.yml'), p.diagnostics.map((d) => d.rule)])).toEqual(
      [
        ['rules.yml:5', []],
        ['rules.yml:7', ['argument-type']],
      ],
    );
  });

  it('needs an input', async () => {
    const r = await cli('promql', 'lint');
    expect(r.code).toBe(2);
  });

  it('takes queries that start with -, and everything after --', async () => {
    for (const argv of [['-Inf'], ['-', '-5'], ['--', '-x'], ['--json', '--', '- -5']]) {
      const r = await cli('promql', 'lint', ...argv);
      expect(r.code, argv.join(' ')).toBe(0);
    }
    const bad = await cli('promql', 'lint', '-x[5m]');
    expect(bad.code).toBe(2);
    expect(bad.out).toContain('unary - needs a scalar or an instant vector, got a range vector');
  });

  it('reads a file only with --file: an argument naming a file is a query', async () => {
    const file = join(dir, 'up');
    await writeFile(file, 'rate(x_total)\n');
    const asQuery = await cli('promql', 'lint', file);
    expect(asQuery.code).toBe(2);
    expect(asQuery.out).toContain('argument:');
    const asFile = await cli('promql', 'lint', '--file', file);
    expect(asFile.out).toContain(`${file}:1:`);
    const missing = await cli('promql', 'lint', '--file', join(dir, 'absent.promql'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('no such file');
  });

  it('answers for the chosen Prometheus version', async () => {
    const q = 'x{"job"="a"} offset 5';
    expect((await cli('promql', 'lint', q, '--prometheus-version', '2.42.0')).code).toBe(2);
    const v3 = await cli('promql', 'lint', q, '--prometheus-version', '3.1.0');
    expect(v3.code).toBe(0);
    expect(v3.out).toContain('(Prometheus 3.1.0 grammar, from option)');
  });
});

describe('mlperf promql catalogue and rules', () => {
  it('lists the catalogue', async () => {
    const r = await cli('promql', 'catalogue', '--family', 'validation');
    expect(r.code).toBe(0);
    expect(r.out).toMatchInlineSnapshot(`
      "validation_actual_tps           validation tps        tps          Actual TPS (Phase-07 plan)
                                      rate(mojaloop_transfer_success[1m])
      validation_success_rate         validation ratio      success-rate Success rate (Phase-07 plan)
                                      rate(mojaloop_transfer_success[1m]) / rate(mojaloop_transfer_total[1m])
      validation_p95_latency_seconds  validation seconds                 P95 latency (Phase-07 plan)
                                      histogram_quantile(0.95, rate(mojaloop_transfer_duration_bucket[1m]))
      validation_error_rate_by_type   validation tps                     Errors per second by type (Phase-07 plan, corrected)
                                      sum by (error_type) (rate(mojaloop_transfer_error[1m]))"
    `);
    const json = await cli('promql', 'catalogue', '--json', '--prefix', 'central_');
    const list = JSON.parse(json.out) as { name: string; promql: string }[];
    expect(list.find((q) => q.name === 'mojaloop_tps')?.promql).toBe(
      'sum(rate(central_transfer_fulfil_count{success="true"}[1m]))',
    );
    const bad = await cli('promql', 'catalogue', '--family', 'nope');
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.err).toContain('CLI_BAD_FAMILY');
  });

  it("reads the metrics mlperf's k6 scripts emit", () => {
    const k6Metrics = new Set(catalogueFor({ families: ['k6'] }).flatMap((q) => listNames(q.promql).metrics));
    expect(k6Metrics.has(`k6_${K6_METRICS.success}_rate`)).toBe(true);
    expect(k6Metrics.has(`k6_${K6_METRICS.e2e}_seconds`)).toBe(true);
    expect(k6Metrics.has(`k6_${K6_METRICS.e2e}_p95`)).toBe(true);
  });

  it('writes the recording rules', async () => {
    const out = join(dir, 'validation-rules.yml');
    const r = await cli('promql', 'rules', '--out', out, '--interval', '5s');
    expect(r.code).toBe(0);
    expect(await readFile(out, 'utf8')).toContain('record: "mojaloop_transfer_success"');
  });
});

describe('mlperf promql query', () => {
  it('needs a Prometheus URL, and reports an unreachable one with exit 3', async () => {
    const saved = process.env.MLPERF_PROMETHEUS_URL;
    delete process.env.MLPERF_PROMETHEUS_URL;
    try {
      const none = await cli('promql', 'query', 'engine_tps');
      expect(none.code).toBe(2);
      expect(none.err).toContain('PROMETHEUS_NO_URL');
      const srv = createServer();
      await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
      const { port } = srv.address() as AddressInfo;
      await new Promise<void>((r) => srv.close(() => r()));
      const down = await cli('promql', 'query', 'up', '--prometheus-url', `http://127.0.0.1:${port}`);
      expect(down.code).toBe(3);
      expect(down.err).toBe(
        `PROMETHEUS_UNREACHABLE: cannot reach http://127.0.0.1:${port} (ECONNREFUSED)\n  hint: check --prometheus-url / MLPERF_PROMETHEUS_URL, or leave it out to let mlperf start a private Prometheus`,
      );
      const invalid = await cli(
        'promql',
        'query',
        'rate(up)',
        '--prometheus-url',
        `http://127.0.0.1:${port}`,
      );
      expect(invalid.code).toBe(2);
      expect(invalid.out).toContain('^^');
    } finally {
      if (saved !== undefined) process.env.MLPERF_PROMETHEUS_URL = saved;
    }
  });

  it('runs catalogue queries and expressions against a real Prometheus', async () => {
    if (!findPrometheusBinary())
      throw new Error("needs Debian's prometheus binary: apt-get install prometheus");
    const metrics = createServer((_req, res) => {
      res
        .writeHead(200, { 'Content-Type': 'text/plain' })
        .end(
          '# TYPE kafka_consumergroup_lag gauge\nkafka_consumergroup_lag{consumergroup="cl",topic="prepare",partition="0"} 12\n',
        );
    });
    await new Promise<void>((r) => metrics.listen(0, '127.0.0.1', r));
    const { port } = metrics.address() as AddressInfo;
    const prom = await startPrivatePrometheus({
      scrapeTargets: [{ job: 'kafka', url: `http://127.0.0.1:${port}/metrics` }],
    });
    try {
      if (!prom.running) throw new Error(prom.reason);
      const linted = await cli(
        'promql',
        'lint',
        'holt_winters(kafka_consumergroup_lag[5m], 0.5, 0.5)',
        '--prometheus-url',
        prom.url,
      );
      expect(linted.out).toContain(`grammar, from build info of ${prom.url})`);
      expect(linted.out).toContain(`(Prometheus ${prom.version}`);
      const r = await cli('promql', 'query', 'kafka_consumer_lag', '--prometheus-url', prom.url);
      expect(r.code).toBe(0);
      expect(r.out).toMatchInlineSnapshot(`
        "kafka_consumer_lag: sum by (consumergroup, topic) (kafka_consumergroup_lag)  [messages]
          {consumergroup="cl", topic="prepare"}  12"
      `);
      await untilScraped(prom.client, { matchers: '{job="kafka"}', count: 2 });
      const range = await cli(
        'promql',
        'query',
        'up{job="kafka"}',
        '--range',
        '1m',
        '--prometheus-url',
        prom.url,
      );
      expect(range.code).toBe(0);
      expect(range.out).toMatch(
        /^up\{job="kafka"\} {2}\(last 1m, step 1s\)\n {2}\{__name__="up", instance="127\.0\.0\.1:\d+", job="kafka"\} {2}points=\d+ min=1 max=1 last=1$/,
      );
      const json = await cli(
        'promql',
        'query',
        'sum(kafka_consumergroup_lag)',
        '--json',
        '--prometheus-url',
        prom.url,
      );
      expect(JSON.parse(json.out)).toMatchObject({
        query: 'sum(kafka_consumergroup_lag)',
        resultType: 'vector',
        result: [{ metric: {}, value: [expect.any(Number), '12'] }],
      });
    } finally {
      await prom.stop();
      await new Promise<void>((r) => metrics.close(() => r()));
    }
  });
});
