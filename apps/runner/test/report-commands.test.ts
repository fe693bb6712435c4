import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failAnalysis, passAnalysis, suiteAnalysis } from '@mlperf/testkit/runs';
import { K6_FIXTURES } from '@mlperf/testkit/runs';
import { makeRun, writeAnalysis } from '@mlperf/testkit/runs';
import { cli as runCli } from './_cli.js';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'mlperf-cli-report-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Runs the CLI in-process; output with the temp dir replaced by <tmp>. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await runCli(...argv);
  return { code: r.code, out: r.stdout.replaceAll(base, '<tmp>'), err: r.stderr.replaceAll(base, '<tmp>') };
}

describe('mlperf report / collect / package / dashboards', () => {
  it('report <test dir> writes analysis-report.html and prints its path', async () => {
    const dir = makeRun(base, { testId: 'target-1000tps', seconds: 60, tps: 100 });
    writeAnalysis(dir, failAnalysis());
    const r = await cli('report', dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatchInlineSnapshot(`
      "verdict: FAIL
      <tmp>/target-1000tps/analysis-report.html"
    `);
  });

  it('report --pdf prints the report to PDF through Chromium', async () => {
    const dir = join(base, 'target-1000tps');
    const r = await cli('report', dir, '--pdf');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').at(-1)).toBe('<tmp>/target-1000tps/analysis-report.pdf');
    expect(readFileSync(join(dir, 'analysis-report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('report <suite dir> writes every report and the playbook', async () => {
    const suite = join(base, 'suite');
    mkdirSync(suite);
    const d = makeRun(suite, { testId: 'baseline-100tps', seconds: 20, tps: 100 });
    writeAnalysis(d, passAnalysis('baseline-100tps'));
    writeAnalysis(suite, suiteAnalysis('fail', { 'baseline-100tps': 'baseline-100tps' }));
    const r = await cli('report', suite, '--no-analyze');
    expect(r.code).toBe(0);
    expect(r.out).toMatchInlineSnapshot(`
      "verdict: FAIL
      <tmp>/suite/baseline-100tps/analysis-report.html
      <tmp>/suite/suite-report.html
      <tmp>/suite/tuning-playbook.html
      <tmp>/suite/TUNING-PLAYBOOK.md"
    `);
    expect(r.err).toContain('missing: scale-500tps: no results directory');
  });

  it('report on a missing directory: exit 2 with a hint', async () => {
    const r = await cli('report', join(base, 'nope'));
    expect(r.code).toBe(2);
    expect(r.err).toMatchInlineSnapshot(`
      "RESULTS_NOT_FOUND: <tmp>/nope: no such results or suite directory
        hint: pass a directory written by \`mlperf run\` or \`mlperf suite\`, e.g. results/target-1000tps-20261127T083512Z"
    `);
  });

  it('collect then package', async () => {
    const dir = join(base, 'target-1000tps');
    const c = await cli('collect', dir);
    expect(c.code).toBe(0);
    expect(c.out).toMatchInlineSnapshot(`
      "✓ K6 summary report: 2 file(s). k6 --summary-export compatible
      ✓ Prometheus metrics export: 2 file(s). query_range matrices
      ✗ Grafana dashboard snapshots: 0 file(s). none yet: run \`mlperf dashboards capture --grafana-url <url> --test <dir>\`
      ✗ Service logs: 0 file(s). engine, hub and any logs passed with --logs (secrets scrubbed)
      ✓ Resource utilization data: 1 file(s). CPU, memory, throttling, connections from the Prometheus exports
      <tmp>/target-1000tps/collection.json"
    `);
    const out = join(base, 'mojaloop-1000tps-results.tar.gz');
    const p = await cli('package', dir, join(base, 'suite'), '--output', out);
    expect(p.code).toBe(0);
    expect(p.out.split('\n').at(-1)).toBe('<tmp>/mojaloop-1000tps-results.tar.gz');
    expect(existsSync(out)).toBe(true);
  });

  it('dashboards export writes the four dashboards and the provisioning file', async () => {
    const r = await cli('dashboards', 'export', '--out', join(base, 'grafana'));
    expect(r.code).toBe(0);
    expect(r.out).toMatchInlineSnapshot(`
      "<tmp>/grafana/mlperf-performance-overview.json
      <tmp>/grafana/mlperf-service-health.json
      <tmp>/grafana/mlperf-infrastructure.json
      <tmp>/grafana/mlperf-load-generator.json
      <tmp>/grafana/provisioning.yaml"
    `);
  });

  it('dashboards capture rejects an unknown moment', async () => {
    const r = await cli(
      'dashboards',
      'capture',
      '--grafana-url',
      'http://127.0.0.1:1',
      '--test',
      base,
      '--moments',
      'start,noon',
    );
    expect(r.code).toBe(2);
    expect(r.err).toContain('--moments start,noon: unknown noon');
  });

  it('report <k6 output> imports it through the analyzer and writes the report where --out says', async () => {
    const out = join(base, 'k6-report.html');
    const r = await cli('report', join(K6_FIXTURES, 'out.ndjson.gz'), '--out', out, '--target-tps', '400');
    expect(r.code).toBe(0);
    expect(r.out).toMatchInlineSnapshot(`
      "verdict: FAIL
      <tmp>/k6-report.html"
    `);
    const html = readFileSync(out, 'utf8');
    for (const chart of ['tps', 'latency', 'rates', 'errors', 'corridors'])
      expect(html).toContain(`data-chart="${chart}"`);
    const s = await cli(
      'report',
      join(K6_FIXTURES, 'summary-export.json'),
      '--out',
      join(base, 'k6-summary.html'),
    );
    expect(s.code).toBe(0);
    expect((await cli('report', join(K6_FIXTURES, 'out.ndjson.gz'), '--target-tps', 'lots')).code).toBe(2);
  });

  it('report <test dir> without analysis.json runs the analysis first', async () => {
    const dir = makeRun(base, { testId: 'unanalysed', seconds: 120, tps: 100 });
    const r = await cli('report', dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatchInlineSnapshot(`
      "verdict: PASS
      <tmp>/unanalysed/analysis-report.html"
    `);
    expect(existsSync(join(dir, 'analysis.json'))).toBe(true);
    expect(readFileSync(join(dir, 'analysis-report.html'), 'utf8')).not.toContain('analysis.json: missing');
  });

  it('stress and endurance runs analysed by the real analyzer get the stress curve and the trend charts', async () => {
    const stress = makeRun(base, {
      testId: 'stress-test',
      kind: 'stress',
      seconds: 600,
      tps: 3000,
      capacity: 1500,
    });
    expect((await cli('report', stress)).code).toBe(0);
    const s = readFileSync(join(stress, 'analysis-report.html'), 'utf8');
    expect(s).toContain('data-chart="stress"');
    expect(s).toContain('knee 1500 TPS');
    const endurance = makeRun(base, {
      testId: 'endurance-1000tps',
      kind: 'endurance',
      seconds: 1200,
      tps: 100,
    });
    expect((await cli('report', endurance)).code).toBe(0);
    const e = readFileSync(join(endurance, 'analysis-report.html'), 'utf8');
    expect(e).toContain('data-chart="endurance-1"');
    expect(e).toContain('Theil-Sen slope');
  });
});
