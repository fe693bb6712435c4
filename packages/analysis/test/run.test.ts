import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRun } from '@mlperf/analysis';
import { exportsOf, type Profile, secondOf } from '@mlperf/testkit/synth';
import { cleanTemp, constantTest, tempDir, writeRun } from '@mlperf/testkit/synth';

afterAll(cleanTemp);

function profileRun(profile: Profile, rate = 1000, seconds = 600) {
  const base = tempDir();
  const dir = writeRun(base, {
    test: constantTest(`p-${profile}`, rate, `${seconds}s`, { warmup: '60s', cooldown: '20s' }),
    seconds,
    second: secondOf(profile, rate),
    exports: exportsOf(profile, seconds),
  });
  return analyzeRun(dir, { now: () => new Date(0) });
}

describe('analyzeRun: healthy run', () => {
  it('passes every criterion, yields no bottleneck finding and writes analysis.json', () => {
    const base = tempDir();
    const dir = writeRun(base, {
      test: constantTest('healthy', 100, '300s', { warmup: '30s', cooldown: '10s' }),
      seconds: 300,
      second: secondOf('healthy', 100),
      exports: exportsOf('healthy', 300),
    });
    const r = analyzeRun(dir, { now: () => new Date(0) });
    expect(r.criteria.map((c) => `${c.id}:${c.status}`)).toEqual([
      'achieved-rate:pass',
      'success-rate:pass',
      'latency-p95:pass',
      'latency-p99:pass',
      'no-service-failures:pass',
      'no-memory-leak:pass',
      'cpu:pass',
    ]);
    expect(r.verdict).toBe('pass');
    expect(r.findings).toEqual([]);
    expect(r.steadyState?.rule).toContain("30 s warm-up and 10 s cool-down (the test's warmup/cooldown)");
    expect(r.steadyState?.end).toBe((r.steadyState?.start ?? 0) + 260_000);
    const achieved = r.criteria[0];
    expect(achieved?.band).toBe('target');
    expect(achieved?.window).toEqual({ start: r.steadyState?.start, end: r.steadyState?.end });
    expect(r.corridors.map((c) => [c.corridor, c.plannedShare])).toEqual([
      ['perffsp-1->perffsp-5', 0.4],
      ['perffsp-2->perffsp-6', 0.25],
      ['perffsp-3->perffsp-7', 0.2],
      ['perffsp-4->perffsp-8', 0.15],
    ]);
    const written = JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8'));
    expect(written.verdict).toBe('pass');
    expect(written.schemaVersion).toBe(1);
  });

  it('is unknown, never pass, when Prometheus exports are missing', () => {
    const base = tempDir();
    const dir = writeRun(base, {
      test: constantTest('no-metrics', 100, '120s'),
      seconds: 120,
      second: secondOf('healthy', 100),
    });
    const r = analyzeRun(dir, { write: false });
    expect(r.verdict).toBe('inconclusive');
    const unknown = r.criteria.filter((c) => c.status === 'inconclusive').map((c) => c.id);
    expect(unknown).toEqual(['no-service-failures', 'no-memory-leak', 'cpu']);
    expect(r.missing.join('\n')).toContain('no Prometheus exports');
    expect(r.steadyState?.rule).toContain('default: first 5 min / last 2 min');
  });
});

describe('analyzeRun: bottleneck profiles name the injected cause first', () => {
  const cases: [Profile, string, string | undefined][] = [
    ['db-pool-exhausted', 'db-pool-exhausted', './scale-db-connections.sh'],
    ['kafka-lag', 'kafka-lag', './scale-kafka-partitions.sh'],
    ['cpu-throttled', 'cpu-throttling', './scale-service-replicas.sh'],
    ['generator-saturated', 'generator-saturated', undefined],
  ];
  for (const [profile, kind, script] of cases) {
    it(`${profile} -> ${kind}`, () => {
      const r = profileRun(profile);
      // the generator being the limit makes the run inconclusive about the hub, never a fail
      expect(r.verdict).toBe(profile === 'generator-saturated' ? 'inconclusive' : 'fail');
      const top = r.findings[0];
      expect(top?.kind).toBe(kind);
      expect(top?.rank).toBe(1);
      expect(top?.evidence.length).toBeGreaterThan(0);
      expect(top?.confidence).toBeGreaterThan(0.5);
      if (script) expect(top?.fix?.runbookScript).toBe(script);
      if (profile !== 'generator-saturated') {
        const plateau = r.findings.find((f) => f.kind === 'tps-plateau');
        expect(plateau?.summary).toContain(`Most likely cause: ${top?.title}`);
      } else {
        expect(r.headline).toContain(
          'INCONCLUSIVE about the hub: Load generator saturated: the generator was the limit',
        );
      }
    });
  }

  it('cpu-throttled names central-ledger and ranks event-loop lag (a symptom of it) lower', () => {
    const r = profileRun('cpu-throttled');
    expect(r.findings[0]?.subject).toBe('central-ledger');
    const loop = r.findings.find((f) => f.kind === 'event-loop-lag');
    expect(loop?.rank).toBeGreaterThan(1);
  });

  it('kafka-lag notes that position partitions beyond the payer count do not help', () => {
    const r = profileRun('kafka-lag');
    expect(r.findings[0]?.subject).toBe('kafka:topic-transfer-position');
    expect(r.findings[0]?.summary).toContain('more than 4 position partitions (one per payer) do not help');
  });

  it('flaky -> errors above band with the FSPIOP error type', () => {
    const r = profileRun('flaky', 200, 300);
    const err = r.findings.find((f) => f.kind === 'error-spike');
    expect(err?.summary).toContain('fspiop:2001');
    expect(r.criteria.find((c) => c.id === 'success-rate')?.status).toBe('fail');
    expect(r.errorsByType['fspiop:2001']).toBeGreaterThan(0);
  });

  it('memory-leak -> memory near its limit and the leak criterion fails', () => {
    const r = profileRun('memory-leak', 200, 900);
    expect(r.findings[0]?.kind).toMatch(/memory/);
    expect(r.findings[0]?.subject).toBe('central-ledger');
    expect(r.criteria.find((c) => c.id === 'no-memory-leak')?.status).toBe('fail');
  });
});

describe('analyzeRun: generator vs hub', () => {
  it('a late generator in front of a slow hub is not blamed: the hub is the limit', () => {
    const dir = writeRun(tempDir(), {
      test: constantTest('late-slow', 1000, '300s', { warmup: '30s', cooldown: '10s' }),
      seconds: 300,
      second: () => ({
        offeredRate: 1000,
        succeeded: 600,
        dropped: 400,
        p50Ms: 900,
        engine: { cpu: 0.2, rssBytes: 2e8, eventLoopLagP99Ms: 300, schedulingLagP99Ms: 600 },
      }),
      exports: exportsOf('db-pool-exhausted', 300),
    });
    const r = analyzeRun(dir, { write: false });
    expect(r.findings.map((f) => f.kind)).not.toContain('generator-saturated');
    expect(r.findings[0]?.kind).toBe('db-pool-exhausted');
  });

  it('a late generator in front of a fast hub that missed the planned load is blamed', () => {
    const dir = writeRun(tempDir(), {
      test: constantTest('late-fast', 1000, '300s', { warmup: '30s', cooldown: '10s' }),
      seconds: 300,
      second: () => ({
        offeredRate: 1000,
        succeeded: 800,
        dropped: 200,
        p50Ms: 20,
        engine: { cpu: 0.5, rssBytes: 2e8, eventLoopLagP99Ms: 300, schedulingLagP99Ms: 600 },
      }),
      exports: exportsOf('healthy', 300),
    });
    const r = analyzeRun(dir, { write: false });
    expect(r.findings[0]?.kind).toBe('generator-saturated');
    expect(r.headline).toContain(
      'INCONCLUSIVE about the hub: Load generator saturated: the generator was the limit',
    );
  });
});

describe('analyzeRun: DB pool units and sizing', () => {
  const run = (waitMs: number) => {
    const exports = exportsOf('healthy', 300).filter(
      (e) => e.name !== 'db_pool_wait' && e.name !== 'db_connections_ratio',
    );
    exports.push(
      {
        name: 'db_connections_ratio',
        query: 'mysql_global_status_threads_connected / mysql_global_variables_max_connections',
        series: [{ labels: {}, value: () => 1 }],
      },
      // The catalogue's export is in ms.
      {
        name: 'db_pool_wait_p95_ms',
        query: 'histogram_quantile(0.95, sum by (le) (rate(moja_cl_db_pool_wait_seconds_bucket[1m]))) * 1000',
        series: [{ labels: {}, value: () => waitMs }],
      },
    );
    const dir = writeRun(tempDir(), {
      test: constantTest(`pool-${waitMs}`, 100, '120s', { warmup: '10s', cooldown: '5s' }),
      seconds: 120,
      second: secondOf('healthy', 100),
      exports,
    });
    return analyzeRun(dir, { write: false });
  };

  it('every connection busy but nobody waiting (0.1 ms) is a well-sized pool, not a finding', () => {
    expect(run(0.1).findings.map((f) => f.kind)).not.toContain('db-pool-exhausted');
  });

  it('reads the ms export as ms: 200 ms waits with all connections busy is exhaustion', () => {
    const top = run(200).findings[0];
    expect(top?.kind).toBe('db-pool-exhausted');
    expect(top?.summary).toContain('pool wait p95 200 ms');
  });
});

describe('analyzeRun: damaged directories', () => {
  it('analyzes an aborted, truncated run (process killed mid-write) without losing data', async () => {
    const { appendFileSync } = await import('node:fs');
    const base = tempDir();
    const dir = writeRun(base, {
      test: constantTest('killed', 100, '600s'),
      seconds: 200,
      second: secondOf('healthy', 100),
      killed: true,
    });
    appendFileSync(join(dir, 'timeseries.ndjson'), '{"t":1,"s":200,"stage":0,"offe');
    const r = analyzeRun(dir, { write: false });
    expect(r.runStatus).toBe('aborted');
    expect(r.totals.durationS).toBe(200);
    expect(r.missing.join('\n')).toMatch(/truncated/);
    const rate = r.criteria.find((c) => c.id === 'achieved-rate');
    expect(rate?.status).toBe('fail');
    expect(rate?.detail).toMatch(/of the planned .* steady state \(run aborted\)/);
    expect(r.steadyState?.rule).toContain('the run ended early');
  });

  it('rejects a directory that is not a results directory with a clear error', () => {
    const dir = tempDir();
    expect(() => analyzeRun(dir)).toThrow(/run.json is missing/);
  });
});
