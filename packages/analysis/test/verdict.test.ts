import { analyzeRun } from '@mlperf/analysis';
import { HUB_CAUSES } from '@mlperf/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { exportsOf, secondOf } from '@mlperf/testkit/synth';
import { cleanTemp, constantTest, tempDir, writeRun } from '@mlperf/testkit/synth';

afterAll(cleanTemp);

const LOAD_CRITERIA = constantTest('x', 1, '1s').criteria.filter((c) =>
  ['achieved-rate', 'success-rate', 'latency'].includes(c.kind),
);
const test300 = constantTest('t', 300, '120s', { warmup: '10s', cooldown: '5s', criteria: LOAD_CRITERIA });
const processCpu = (hubCores: number) => ({
  name: 'process_cpu_cores',
  query: 'sum by (job, instance) (rate(process_cpu_seconds_total[3s]))',
  series: [{ labels: { job: 'hub', instance: '127.0.0.1:1' }, value: () => hubCores }],
  step: 1,
});

/** 120 s of a healthy 300 TPS run on 2 cores `busy` (a fraction), the hub using `hubCores` of them. */
function healthyOnHost(busy: number, hubCores: number) {
  const healthy = secondOf('healthy', 300);
  const dir = writeRun(tempDir(), {
    test: test300,
    seconds: 120,
    second: (s) => ({ ...healthy(s), host: { cores: 2, busy, iowait: 0, steal: 0 } }),
    exports: [processCpu(hubCores)],
  });
  return analyzeRun(dir, { write: false });
}

describe('the generator and the host are judged before the hub', () => {
  it('host CPU taken by other processes ranks first, demotes the lag it explains, and makes a failing run inconclusive', () => {
    const healthy = secondOf('healthy', 300);
    const dir = writeRun(tempDir(), {
      test: test300,
      seconds: 120,
      // 2 cores 95% busy; the generator 0.3 and the hub 0.4 cores: others use 1.2 cores (60%)
      second: (s) => ({
        ...healthy(s),
        p50Ms: 400,
        host: { cores: 2, busy: 0.95, iowait: 0, steal: 0 },
      }),
      exports: [
        processCpu(0.4),
        {
          name: 'event_loop_lag_seconds',
          query: 'nodejs_eventloop_lag_p99_seconds',
          series: [{ labels: { job: 'hub' }, value: () => 0.3 }],
        },
      ],
    });
    const r = analyzeRun(dir, { write: false });
    const top = r.findings[0];
    expect(top?.kind).toBe('host-contention');
    expect(top?.title).toBe('Host CPU contention: 55% used by other processes');
    const hub = r.findings.filter((f) => HUB_CAUSES.has(f.kind));
    expect(hub.map((f) => [f.kind, f.severity])).toEqual([['event-loop-lag', 'info']]);
    expect(hub[0]?.summary).toContain('Explained by "Host CPU contention');
    const p95 = r.criteria.find((c) => c.id === 'latency-p95');
    expect(p95?.status).toBe('inconclusive');
    expect(p95?.finding).toBe('host-contention:host');
    expect(r.verdict).toBe('inconclusive');
    expect(r.headline).toMatch(/^INCONCLUSIVE about the hub: Host CPU contention/);
  });

  it('a healthy run on a busy host still passes: contention only makes failures inconclusive', () => {
    const r = healthyOnHost(0.9, 0.3);
    expect(r.findings[0]?.kind).toBe('host-contention');
    expect(r.verdict).toBe('pass');
  });

  it('a quiet host is not named', () => {
    expect(healthyOnHost(0.45, 0.4).findings).toEqual([]);
  });

  it('one burst of Kafka lag (a pause) is not a hub bottleneck; sustained growth is', () => {
    const burst = (t: number) => (t >= 60 && t < 66 ? 2000 : 5);
    const lagRun = (value: (t: number) => number) =>
      writeRun(tempDir(), {
        test: test300,
        seconds: 120,
        second: secondOf('healthy', 300),
        exports: [
          {
            name: 'kafka_consumer_lag',
            query: 'sum by (consumergroup, topic) (kafka_consumergroup_lag)',
            series: [{ labels: { consumergroup: 'g', topic: 'topic-notification-event' }, value }],
            step: 1,
          },
        ],
      });
    expect(analyzeRun(lagRun(burst), { write: false }).findings).toEqual([]);
    const growing = analyzeRun(
      lagRun((t) => 40 * t),
      { write: false },
    );
    expect(growing.findings.map((f) => f.kind)).toEqual(['kafka-lag']);
  });

  it('a failed criterion without a cause says so and names the missing signals', () => {
    const dir = writeRun(tempDir(), {
      test: test300,
      seconds: 120,
      second: (s) => ({ ...secondOf('healthy', 300)(s), p50Ms: 900 }),
    });
    const r = analyzeRun(dir, { write: false });
    const p95 = r.criteria.find((c) => c.id === 'latency-p95');
    expect(p95?.status).toBe('fail');
    expect(p95?.explanation).toMatch(/^No cause found: .* Missing signals: .*host CPU.*database pool/);
    expect(r.verdict).toBe('fail');
  });

  it('a hub bottleneck explains the criteria it fails', () => {
    const dir = writeRun(tempDir(), {
      test: test300,
      seconds: 120,
      second: secondOf('db-pool-exhausted', 300),
      exports: exportsOf('db-pool-exhausted', 120),
    });
    const r = analyzeRun(dir, { write: false });
    for (const c of r.criteria.filter((x) => x.status === 'fail'))
      expect(c.explanation, c.id).toMatch(/^Most likely cause: Database connection pool exhausted/);
  });
});
