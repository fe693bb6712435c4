// Real load (the engine) against the embedded hub, per fault profile, scraped by a private Prometheus and exported
// through the PromQL catalogue; the analyzer's top finding must name the injected cause.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRun } from '@mlperf/analysis';
import type { AnalysisResult, TestDefinition } from '@mlperf/core';
import { findPrometheusBinary, type RunningPrometheus, startPrivatePrometheus } from '@mlperf/core/promql';
import { type HubHandle, type HubProfileName, startHub } from '@mlperf/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_CAUSES, untilScraped } from '@mlperf/testkit';
import { exportHubQueries, runOnHub, runWindow, shortTest } from './_hub-run.js';

const prometheusBin = findPrometheusBinary();

let base: string;
let hub: HubHandle;
let prom: RunningPrometheus | undefined;

beforeAll(async () => {
  if (!prometheusBin) return;
  base = mkdtempSync(join(tmpdir(), 'mlperf-analyze-hub-'));
  hub = await startHub({ isolation: 'process' });
  const p = await startPrivatePrometheus({
    scrapeTargets: [{ job: 'hub', url: hub.metricsUrl }],
    scrapeInterval: '1s',
  });
  if (!p.running) throw new Error(p.reason);
  prom = p;
}, 90_000);

afterAll(async () => {
  await prom?.stop();
  await hub?.stop();
  if (base) rmSync(base, { recursive: true, force: true });
});

/** A short constant-rate run by the real load engine against the hub, then the catalogue exported from Prometheus. */
async function runProfile(
  profile: HubProfileName,
  rate: number,
  kind: TestDefinition['kind'] = 'target',
  seconds = 9,
): Promise<AnalysisResult> {
  await hub.setProfile(profile);
  await hub.reset();
  const id = `hub-${profile}`;
  const test = shortTest({ id, name: `hub ${profile}`, kind, rate, seconds, warmup: '3s', memoryLeak: true });
  const run = await runOnHub(hub, test, base, profile);
  const window = runWindow(run);
  const { client } = prom as RunningPrometheus;
  await untilScraped(client, { after: window.end + 1 });
  await exportHubQueries(client, run, window);
  return analyzeRun(run.dir);
}

/** The generator and the host are judged first: findings about them (and the hub findings they
 * explain, demoted to info) are not the hub's. This machine is shared, so they may appear. */
const LIMITS = new Set(['generator-saturated', 'host-contention', 'k6-saturated']);
const hubFindings = (r: AnalysisResult) => r.findings.filter((f) => !LIMITS.has(f.kind));
/** What blames the hub here: its resources, and a leak or an error spike too. */
const CAUSES = new Set<string>([...HUB_CAUSES, 'memory-leak', 'error-spike']);

const brief = (r: AnalysisResult) =>
  r.findings
    .map(
      (f) =>
        `${f.rank}. ${f.kind} ${f.subject ?? ''} (${f.severity}, ${f.confidence}) ${LIMITS.has(f.kind) ? JSON.stringify(f.evidence[0]?.values) : ''}`,
    )
    .join('; ');

describe.skipIf(!prometheusBin)('analyze against the embedded hub (real load, real Prometheus)', () => {
  it('healthy profile at the baseline rate: no bottleneck finding', { timeout: 120_000 }, async () => {
    const r = await runProfile('healthy', 50);
    // a starved machine (the generator or the host named first) says nothing about the hub's throughput
    if (!LIMITS.has(r.findings[0]?.kind ?? '')) expect(r.totals.succeeded, brief(r)).toBeGreaterThan(50 * 7);
    expect(
      r.findings.filter((f) => CAUSES.has(f.kind) && f.severity !== 'info'),
      brief(r),
    ).toEqual([]);
  });

  const cases: [HubProfileName, string, string][] = [
    ['db-pool-exhausted', 'db-pool-exhausted', 'mysql'],
    ['cpu-throttled', 'cpu-throttling', 'central-ledger'],
    ['kafka-lag', 'kafka-lag', 'kafka:topic-transfer-position'],
  ];
  for (const [profile, kind, subject] of cases) {
    it(`${profile}: the top finding names the injected cause`, { timeout: 120_000 }, async () => {
      const r = await runProfile(profile, 300);
      const top = hubFindings(r)[0];
      const causes = r.findings.filter((f) => CAUSES.has(f.kind) && f.severity !== 'info');
      if (LIMITS.has(r.findings[0]?.kind ?? '') && causes.length === 0) {
        // the host or the generator was the limit and the hub never reached its own: inconclusive
        // about the hub, and no wrong cause named
        expect(r.verdict, brief(r)).not.toBe('pass');
        return;
      }
      expect(`${top?.kind} ${top?.subject}`, brief(r)).toBe(`${kind} ${subject}`);
      // Whether the injected cause costs rate (arrivals dropped at the in-flight cap) or only latency
      // (every arrival waits, then succeeds) depends on how fast this machine drains the backlog. Either
      // way a load criterion misses and names the injected cause as its explanation, or the busy
      // host (this machine is shared), and then the verdict is inconclusive rather than a fail.
      const load = r.criteria.filter(
        (c) => (c.id === 'achieved-rate' || c.id.startsWith('latency-p')) && c.status !== 'pass',
      );
      expect(load.length, brief(r)).toBeGreaterThan(0);
      const limits = r.findings.filter((f) => LIMITS.has(f.kind)).map((f) => f.id);
      for (const c of load) expect([top?.id, ...limits], `${c.id}: ${brief(r)}`).toContain(c.finding);
    });
  }

  it('memory-leak profile: flagged as a leak in central-ledger in an endurance run, with a projection', {
    timeout: 120_000,
  }, async () => {
    const r = await runProfile('memory-leak', 200, 'endurance', 18);
    const leak = r.endurance?.memory.find((m) => m.subject === 'central-ledger');
    expect(leak?.significant, brief(r)).toBe(true);
    expect(leak?.slopePerHour, brief(r)).toBeGreaterThan(0);
    expect(r.criteria.find((c) => c.id === 'no-memory-leak')?.status, brief(r)).toBe('fail');
    expect(
      r.findings.some((f) => f.kind === 'memory-leak' && f.subject === 'central-ledger'),
      brief(r),
    ).toBe(true);
    const emulated = ['ml-api-adapter', 'mysql', 'kafka'];
    expect(
      r.endurance?.memory.filter((m) => m.significant && emulated.includes(m.subject)),
      brief(r),
    ).toEqual([]);
    expect(r.findings.find((f) => f.kind === 'memory-leak')?.subject, brief(r)).toBe('central-ledger');
    // the projection: (limit - last working set) / slope, as its detail states them
    const exhaustion = r.endurance?.exhaustion.find(
      (e) => e.resource === 'memory' && e.subject === 'central-ledger',
    );
    const limitMiB = Number(/ of ([\d.]+) MiB used/.exec(exhaustion?.detail ?? '')?.[1]);
    const lastBytes = leak?.points?.at(-1)?.[1] ?? Number.NaN;
    const expected = (limitMiB * 2 ** 20 - lastBytes) / (leak?.slopePerHour ?? Number.NaN);
    expect(expected, exhaustion?.detail).toBeGreaterThan(0);
    expect(
      Math.abs((exhaustion?.hoursRemaining ?? Number.NaN) - expected),
      exhaustion?.detail,
    ).toBeLessThanOrEqual(0.006);
  });

  it('flaky profile: the top finding is the injected FSPIOP 2001 errors', { timeout: 120_000 }, async () => {
    const r = await runProfile('flaky', 200);
    const top = hubFindings(r)[0];
    expect(top?.kind, brief(r)).toBe('error-spike');
    expect(top?.summary, brief(r)).toContain('fspiop:2001');
    expect(r.errorsByType['fspiop:2001'], brief(r)).toBeGreaterThan(0);
  });
});
