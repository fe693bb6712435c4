import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResults } from '@mlperf/core';
import { type HubHandle, startHub } from '@mlperf/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, hubUrlArgs } from './_cli.js';

let dir: string;
let hub: HubHandle;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlperf-run-'));
  hub = await startHub();
});
afterAll(async () => {
  await hub?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('mlperf run', () => {
  it('an unreachable target fails before any load: exit 3', async () => {
    const r = await cli(
      'run',
      'baseline-100tps',
      '--profile',
      'quick',
      '--target',
      'http://127.0.0.1:1',
      '--out',
      dir,
    );
    expect(r.code).toBe(3);
    expect(r.stderr.replace(/^(warning|note):.*\n/gm, '')).toMatchInlineSnapshot(`
      "TARGET_UNREACHABLE: --target http://127.0.0.1:1: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:1
        hint: start the hub or check the URL (the ml-api-adapter FSPIOP API); use --target embedded to run against the built-in hub"
    `);
  });

  it('an unknown test or hub profile is a usage error: exit 2', async () => {
    const unknown = await cli('run', 'nope', '--out', dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatchInlineSnapshot(`
      "TEST_UNKNOWN: test "nope" is not in suite "mojaloop-1000tps"
        hint: use one of: baseline-100tps, scale-500tps, target-1000tps, endurance-1000tps, stress-test"
    `);
    const profile = await cli('run', 'baseline-100tps', '--hub-profile', 'fast', '--out', dir);
    expect(profile.code).toBe(2);
    expect(profile.stderr).toMatch(
      /--hub-profile: "fast" is not a hub profile\n {2}hint: use one of: healthy, /,
    );
  });

  it('runs a test against a hub URL, prints plain progress and a summary, and writes the results', async () => {
    const r = await cli('run', 'baseline-100tps', '--time-scale', '1/60', ...hubUrlArgs(hub), '--out', dir);
    expect([0, 1, 4]).toContain(r.code);
    const lines = r.stdout.split('\n');
    // a hub URL: the metric names are discovered from the services' /metrics and said
    expect(r.stderr).toMatch(
      /^note: Mojaloop metric names: .*, discovered from http:\/\/127\.0\.0\.1:\d+\/metrics/m,
    );
    expect(lines[0]).toMatch(
      /^baseline-100tps: http:\/\/127\.0\.0\.1:\d+, results in .*baseline-100tps-\d{8}T\d{6}Z, engine metrics at http/,
    );
    expect(r.stdout).toMatch(/^baseline-100tps: completed$/m);
    expect(r.stdout).toMatch(/^ {2}transfers: 500 offered, /m);
    // one verdict, the analysis', with its exit code
    const verdict = /^Verdict: (PASS|FAIL|INCONCLUSIVE) \(exit (\d)\)$/m.exec(r.stdout);
    expect(verdict?.[2], r.stdout).toBe(String(r.code));
    expect(r.stdout).not.toMatch(/PASSED|FAILED/);
    const resultsDir = (/results: (.*)$/m.exec(r.stdout) as RegExpExecArray)[1] as string;
    const d = readResults(resultsDir);
    expect(d.problems).toEqual([]);
    expect(d.manifest.target).toMatchObject({ kind: 'url', url: hub.url, adminUrl: hub.adminUrl });
    expect(d.manifest.totals?.offered).toBe(500);
  }, 60_000);
});

describe('mlperf run --target embedded', () => {
  it('starts the hub in its own process, resets it, runs, and stops it', async () => {
    const r = await cli('run', 'baseline-100tps', '--profile', 'quick', '--out', dir);
    expect([0, 1, 4]).toContain(r.code);
    expect(r.stdout).toMatch(/^baseline-100tps: embedded hub, results in /);
    const resultsDir = (/results: (.*)$/m.exec(r.stdout) as RegExpExecArray)[1] as string;
    const d = readResults(resultsDir);
    expect(d.problems).toEqual([]);
    expect(d.manifest.target).toMatchObject({ kind: 'embedded', hubProfile: 'healthy' });
    expect(d.manifest.profile).toBe('quick');
    expect(d.manifest.totals?.offered).toBe(500);
    // a private Prometheus watched the run: the catalogue queries are exported into metrics/
    expect(d.manifest.target.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(d.manifest.metrics?.exported).toEqual(
      expect.arrayContaining(['validation_actual_tps', 'cpu_usage_ratio']),
    );
    expect(Object.keys(d.metrics).length).toBeGreaterThan(10);
    // and the run ends with its analysis and report
    expect(r.stdout).toMatch(/^Verdict: (PASS|FAIL|INCONCLUSIVE) \(exit [014]\)$/m);
    expect(r.stdout).toMatch(new RegExp(`^Report: ${resultsDir}/analysis-report\\.html$`, 'm'));
    expect(existsSync(join(resultsDir, 'analysis.json'))).toBe(true);
    expect(d.logs).toContain('engine.log');
  }, 90_000);
});

describe('mlperf positions and reset', () => {
  it("prints the Phase-07 plan's DFSP Positions after a reset", async () => {
    const reset = await cli('reset', '--admin-url', hub.adminUrl);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatchInlineSnapshot(`
      "Reset 8 DFSPs (embedded hub)

      DFSP Positions
      ==============
      perffsp-1: $1,000,000.00
      perffsp-2: $1,000,000.00
      perffsp-3: $1,000,000.00
      perffsp-4: $1,000,000.00
      perffsp-5: $0.00
      perffsp-6: $0.00
      perffsp-7: $0.00
      perffsp-8: $0.00"
    `);
    const positions = await cli('positions', '--admin-url', hub.adminUrl, '--json');
    expect(positions.code).toBe(0);
    expect(JSON.parse(positions.stdout)[0]).toMatchObject({
      dfsp: 'perffsp-1',
      currency: 'USD',
      liquidity: 1_000_000,
      position: 0,
      available: 1_000_000,
    });
  });

  it('needs an admin URL, and says so', async () => {
    const r = await cli('positions');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatchInlineSnapshot(`
      "USAGE: --admin-url is required: the central-ledger admin API to talk to
        hint: e.g. --admin-url http://central-ledger:3001 (or set MLPERF_ADMIN_URL)"
    `);
    const down = await cli('positions', '--admin-url', 'http://127.0.0.1:1');
    expect(down.code).toBe(3);
  });
});
