import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeK6 } from '@mlperf/analysis';
import { type AnalysisResult, readResults, type TimeseriesRecord } from '@mlperf/core';
import { findK6, standardSuite } from '@mlperf/scenarios';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './_cli.js';
import { twoK6Runners } from './_k6-runners.js';

const k6 = findK6();
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mlperf-k6-real-'));
  dirs.push(d);
  return d;
};

/** `mlperf run ... --executor k6`, then `mlperf analyze` of the results directory. */
async function runAndAnalyze(...args: string[]) {
  const out = tmp();
  const run = await cli('run', ...args, '--executor', 'k6', '--no-private-prometheus', '--out', out);
  const [name] = readdirSync(out);
  if (!name) throw new Error(`mlperf run wrote no results (exit ${run.code}): ${run.stderr}`);
  const dir = join(out, name);
  const analyze = await cli('analyze', dir);
  const analysis = JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8')) as AnalysisResult;
  return { run, analyze, results: readResults(dir), analysis };
}

const inWindow = (rs: TimeseriesRecord[], a: AnalysisResult) =>
  rs.filter((r) => !a.steadyState || (r.t >= a.steadyState.start && r.t < a.steadyState.end));

describe.skipIf(!k6)(
  `mlperf with the real k6 (${k6 ?? 'skipped: no k6 binary; set MLPERF_K6 or put k6 on PATH'})`,
  () => {
    it('baseline (quick) through --executor k6: second 0 is the first iteration, achieved rate = k6 iteration rate', async () => {
      const { results, analysis } = await runAndAnalyze('baseline-100tps', '--profile', 'quick');
      const ts = results.timeseries;
      expect(ts[0]?.s).toBe(0);
      expect(ts[0]?.started).toBeGreaterThan(0);
      expect(ts.every((r) => r.k6 !== undefined)).toBe(true);
      expect(Math.max(...ts.map((r) => r.k6?.vusMax ?? 0))).toBeGreaterThanOrEqual(10);
      expect(results.manifest.totals?.started).toBe(ts.reduce((a, r) => a + r.started, 0));
      const w = inWindow(ts, analysis);
      const k6Rate = w.reduce((a, r) => a + r.started, 0) / w.length;
      const failedRate =
        w.reduce((a, r) => a + Object.values(r.failed).reduce((x, y) => x + y, 0), 0) / w.length;
      // Every transfer k6 started in the window either succeeded or failed: achieved + failed = k6's rate.
      expect(Math.abs((analysis.achievedTps ?? 0) + failedRate - k6Rate) / k6Rate).toBeLessThan(0.01);
      const dropped = ts.reduce((a, r) => a + (r.k6?.droppedIterations ?? 0), 0);
      // the host and the generator side are recorded every second, as on engine runs
      expect(ts.filter((r) => r.host && r.k6?.cpu !== undefined).length).toBeGreaterThanOrEqual(
        ts.length - 2,
      );
      if (dropped === 0 && failedRate === 0) {
        expect(Math.abs((analysis.achievedTps ?? 0) - k6Rate) / k6Rate).toBeLessThan(0.01);
      } else if (dropped > Math.max(1, ts.reduce((a, r) => a + r.started, 0) * 0.001)) {
        // k6 fell behind its arrivals: the runner or the host starving it is named first, not the hub
        expect(['k6-saturated', 'host-contention']).toContain(analysis.findings[0]?.kind);
      }
    }, 180_000);

    it('target (time-scaled) through --executor k6: a saturated runner is named first and the hub is not judged', async () => {
      const { results, analysis } = await runAndAnalyze('target-1000tps', '--time-scale', '0.005');
      const ts = results.timeseries;
      const dropped = ts.reduce((a, r) => a + (r.k6?.droppedIterations ?? 0), 0);
      const sat = analysis.findings.find((f) => f.kind === 'k6-saturated');
      if (dropped > ts.reduce((a, r) => a + r.started, 0) * 0.001) {
        expect(analysis.findings[0]?.kind).toBe('k6-saturated');
        expect(analysis.findings[0]?.title).toBe('k6 runner saturated');
        expect(sat?.fix?.action).toMatch(/Give k6 ~\d+ VUs .* across \d+ runners?/);
        expect(analysis.verdict).toBe('inconclusive');
        expect(analysis.headline).toContain('INCONCLUSIVE about the hub: k6 runner saturated');
      } else expect(sat).toBeUndefined();
      expect(ts.some((r) => r.latency.e2e && r.latency.ack)).toBe(true);
    }, 240_000);

    it('a threshold k6 fails (exit 99) is read back as a fail', async () => {
      const dir = tmp();
      const base = standardSuite();
      const suite = {
        ...base,
        criteria: [],
        tests: [
          {
            id: 'ack-threshold',
            name: 'an acknowledgement threshold no hub meets',
            kind: 'custom',
            stages: [{ kind: 'constant', rate: 20, duration: '3s' }],
            criteria: [],
            thresholds: { transfer_prepare_ack_duration: ['p(95)<0.001'] },
          },
        ],
      };
      const file = join(dir, 'suite.json');
      writeFileSync(file, JSON.stringify(suite));
      const { run, analyze, analysis } = await runAndAnalyze('ack-threshold', '--suite', file);
      expect(run.stdout).toContain('(k6 exit 99)');
      // On a starved host (other processes took the CPU k6 and the hub needed) no load criterion
      // judges the hub: the same threshold is then inconclusive (exit 4) from run and analyze alike.
      const starved = analysis.findings.some(
        (f) => f.kind === 'host-contention' || f.kind === 'k6-saturated',
      );
      expect(run.code).toBe(starved ? 4 : 1);
      expect(analyze.code).toBe(run.code);
      expect(analysis.verdict).toBe(starved ? 'inconclusive' : 'fail');
      expect(
        analysis.criteria.find((c) => c.id === 'k6-threshold:transfer_prepare_ack_duration:p(95)<0.001')
          ?.status,
      ).toBe(starved ? 'inconclusive' : 'fail');
    }, 120_000);

    it('the NDJSON of two k6 runs in parallel (plain and gzip) is merged by time', async () => {
      const { ndjson: outs, codes } = await twoK6Runners(k6 as string, tmp());
      expect(codes).toEqual([0, 0]);
      const a = await analyzeK6(outs, { targetTps: 80 });
      expect(a.totals.started).toBeGreaterThanOrEqual(2 * 115);
      expect(a.totals.started).toBeLessThanOrEqual(2 * 121);
      expect(a.totals.succeeded).toBe(a.totals.started);
      // Per-corridor figures cover the steady state; every transfer carried the corridor tag.
      expect(a.corridors.map((c) => c.corridor)).toEqual(['a->b']);
      expect(a.corridors[0]?.succeeded).toBe(a.corridors[0]?.transfers);
      expect(a.totals.durationS).toBeGreaterThan(2.5);
      expect(a.totals.durationS).toBeLessThan(4);
    }, 120_000);
  },
);
