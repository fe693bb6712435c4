import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from '../src/main.js';
import { secondOf, exportsOf } from '@mlperf/testkit/synth';
import { constantTest, writeRun } from '@mlperf/testkit/synth';

const tmp = mkdtempSync(join(tmpdir(), 'mlperf-cli-analyze-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const k6 = fileURLToPath(new URL('../../../fixtures/k6/', import.meta.url));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi
    .spyOn(console, 'error')
    .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    const code = await run(argv);
    return {
      code,
      stdout: out.join('\n').replaceAll(tmp, '<tmp>').replaceAll(k6, '<k6>/'),
      stderr: err.join('\n').replaceAll(tmp, '<tmp>'),
    };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('mlperf analyze', () => {
  it('prints the verdict table and top findings, writes analysis.json and exits 1 on failed criteria', async () => {
    const dir = writeRun(join(tmp, 'db'), {
      test: constantTest('target-1000tps', 1000, '300s', { warmup: '30s', cooldown: '10s' }),
      seconds: 300,
      second: secondOf('db-pool-exhausted', 1000),
      exports: exportsOf('db-pool-exhausted', 300),
    });
    const r = await cli('analyze', dir, '--top', '1');
    expect(r.code).toBe(1);
    expect(existsSync(join(dir, 'analysis.json'))).toBe(true);
    expect(r.stdout).toMatchInlineSnapshot(`
      "target-1000tps (target-1000tps-synth, run completed): FAIL
      FAIL: Achieved 1000+ TPS (>= 99% of planned) for the duration; Success rate > 99.5%; P95 latency < 300ms; P99 latency < 500ms. Top finding: Database connection pool exhausted

            criterion                                                value                band
      FAIL  Achieved 1000+ TPS (>= 99% of planned) for the duration  250.1 TPS            critical
      FAIL  Success rate > 99.5%                                     25.01%               critical
      FAIL  P95 latency < 300ms                                      1738.3 ms            critical
      FAIL  P99 latency < 500ms                                      2284.2 ms
      PASS  No service failures                                      0 services
      PASS  No memory leaks                                          -2895177.65 bytes/h
      PASS  CPU usage < 80% on all services                          35.62%               target

      why:
        Achieved 1000+ TPS (>= 99% of planned) for the duration: Most likely cause: Database connection pool exhausted. Transfers queue for a database connection: connections at >= 95% of max for 100% of the window; pool wait p95 472.3 ms.
        Success rate > 99.5%: Most likely cause: Database connection pool exhausted. Transfers queue for a database connection: connections at >= 95% of max for 100% of the window; pool wait p95 472.3 ms.
        P95 latency < 300ms: Most likely cause: Database connection pool exhausted. Transfers queue for a database connection: connections at >= 95% of max for 100% of the window; pool wait p95 472.3 ms.
        P99 latency < 500ms: Most likely cause: Database connection pool exhausted. Transfers queue for a database connection: connections at >= 95% of max for 100% of the window; pool wait p95 472.3 ms.

      window: steady state = plateau at 1000 TPS (s 0-300) minus 30 s warm-up and 10 s cool-down (the test's warmup/cooldown)

      findings (2):
        1. [critical, confidence 95%] Database connection pool exhausted
           Transfers queue for a database connection: connections at >= 95% of max for 100% of the window; pool wait p95 472.3 ms.
           fix: Raise the central-ledger DB connection pool and MySQL max_connections (./scale-db-connections.sh)

      wrote <tmp>/db/target-1000tps/analysis.json"
    `);
  });

  it('analyzes real k6 output with --target-tps', async () => {
    const out = join(tmp, 'k6-analysis.json');
    const r = await cli(
      'analyze',
      join(k6, 'summary-export.json'),
      '--target-tps',
      '250',
      '--out',
      out,
      '--top',
      '1',
    );
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(true);
    expect(r.stdout).toMatchInlineSnapshot(`
      "k6 run (summary-export.json) (summary-export, run completed): FAIL
      FAIL: Success rate > 99.5%; Error rate < 0.5%; k6 threshold transfer_success rate>0.995; k6 threshold http_req_failed rate<0.005

            criterion                                               value      band
      PASS  Achieved 250+ TPS (>= 99% of planned) for the duration  274.9 TPS  target
      FAIL  Success rate > 99.5%                                    98.98%     warning
      PASS  P95 latency < 300ms                                     4.0 ms     target
      PASS  P99 latency < 500ms                                     41.0 ms
      FAIL  Error rate < 0.5%                                       1.02%      warning
      FAIL  k6 threshold transfer_success rate>0.995                -
      PASS  k6 threshold transfer_e2e_duration p(95)<300            -
      FAIL  k6 threshold http_req_failed rate<0.005                 -

      why:
        Success rate > 99.5%: No cause found: no recorded signal crossed its threshold. Missing signals: database pool (db_connections_ratio, db_pool_wait); Kafka consumer lag; service CPU (cpu_usage_ratio, cpu_throttling_ratio, process_cpu_cores); service memory; event-loop lag.
        Error rate < 0.5%: No cause found: no recorded signal crossed its threshold. Missing signals: database pool (db_connections_ratio, db_pool_wait); Kafka consumer lag; service CPU (cpu_usage_ratio, cpu_throttling_ratio, process_cpu_cores); service memory; event-loop lag.
        k6 threshold transfer_success rate>0.995: No cause found: no recorded signal crossed its threshold. Missing signals: database pool (db_connections_ratio, db_pool_wait); Kafka consumer lag; service CPU (cpu_usage_ratio, cpu_throttling_ratio, process_cpu_cores); service memory; event-loop lag.
        k6 threshold http_req_failed rate<0.005: No cause found: no recorded signal crossed its threshold. Missing signals: database pool (db_connections_ratio, db_pool_wait); Kafka consumer lag; service CPU (cpu_usage_ratio, cpu_throttling_ratio, process_cpu_cores); service memory; event-loop lag.

      findings: none

      not analysed:
        - k6 summary-export: whole-run aggregates only, so no steady-state window, trends or per-corridor figures (use --out json for those)
        - 51 of 4999 k6 checks failed
        - metrics/: no Prometheus exports, so CPU, memory, service health and bottleneck causes cannot be judged

      wrote <tmp>/k6-analysis.json"
    `);
  });

  it('rejects a bad flag and a missing path with exit 2', async () => {
    expect((await cli('analyze', tmp, '--target-tps', 'lots')).stderr).toMatchInlineSnapshot(`
      "USAGE_BAD_FLAG: --target-tps lots: must be a positive number
        hint: e.g. --target-tps 1000"
    `);
    const missing = await cli('analyze', join(tmp, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatchInlineSnapshot(`
      "RESULTS_NOT_FOUND: <tmp>/nope: no such file or directory
        hint: pass a results directory written by \`mlperf run\`, a suite directory, or a k6 output file"
    `);
  });
});

describe('mlperf compare', () => {
  it('exits 1 on a significant regression and 0 when B is as good as A', async () => {
    const a = writeRun(join(tmp, 'a'), {
      test: constantTest('t', 200, '300s', { warmup: '30s', cooldown: '10s' }),
      seconds: 300,
      second: secondOf('healthy', 200, 1),
    });
    const same = writeRun(join(tmp, 'same'), {
      test: constantTest('t', 200, '300s', { warmup: '30s', cooldown: '10s' }),
      seconds: 300,
      second: secondOf('healthy', 200, 2),
    });
    const healthy = secondOf('healthy', 200, 3);
    const slow = writeRun(join(tmp, 'slow'), {
      test: constantTest('t', 200, '300s', { warmup: '30s', cooldown: '10s' }),
      seconds: 300,
      second: (s) => ({ ...healthy(s), p50Ms: 40 + (s % 7) }),
    });
    const ok = await cli('compare', a, same);
    expect(ok.code).toBe(0);
    const bad = await cli('compare', a, slow);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatchInlineSnapshot(`
      "A: t-synth  B: t-synth
             metric        A          B          change  p
             achieved-tps  200.1 TPS  199.8 TPS  -0.1%   3.4e-1
             success-rate  100.00%    99.92%     -0.1%   5.2e-1
             error-rate    0.00%      0.00%      +0.0%   1.0e+0
      WORSE  latency-p50   22.4 ms    42.4 ms    +89.6%  6.2e-10
      WORSE  latency-p95   45.7 ms    84.3 ms    +84.7%  6.2e-10
      WORSE  latency-p99   62.1 ms    112.9 ms   +81.8%  6.2e-10
      REGRESSION: latency-p50, latency-p95, latency-p99 (p < 0.01, change >= 5%)"
    `);
  });
});
