import { describe, expect, it } from 'vitest';
import type { SuitePlan } from '@mlperf/core';
import { cli } from './_cli.js';

interface ShowJson {
  suite: string;
  profile: { name: string; timeScale: number };
  plan: SuitePlan;
}

async function showJson(...flags: string[]): Promise<ShowJson> {
  const r = await cli('suite', 'show', '--json', ...flags);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as ShowJson;
}

describe('mlperf suite show --json', () => {
  it('reproduces the Phase-07 plan: 30,000 / 450,000 / 1,800,000 / 7,200,000 transfers', async () => {
    const { plan, profile } = await showJson();
    expect(profile).toEqual({ name: 'full', timeScale: 1 });
    expect(plan.tests.map((t) => [t.testId, t.transfers, t.durationMs / 60_000])).toEqual([
      ['baseline-100tps', 30_000, 5],
      ['scale-500tps', 450_000, 15],
      ['target-1000tps', 1_800_000, 30],
      ['endurance-1000tps', 7_200_000, 120],
      ['stress-test', 25_830_000, 65],
    ]);
    expect(plan.tests[4]?.upperBound).toBe(true);
  });

  it('reproduces the Phase-07 plan: 400 / 250 / 200 / 150 TPS per corridor at 1000 TPS', async () => {
    const { plan } = await showJson();
    const target = plan.tests.find((t) => t.testId === 'target-1000tps');
    expect(target?.corridors.map((k) => [k.name, k.peakTps])).toEqual([
      ['perffsp-1->perffsp-5', 400],
      ['perffsp-2->perffsp-6', 250],
      ['perffsp-3->perffsp-7', 200],
      ['perffsp-4->perffsp-8', 150],
    ]);
    expect(target?.liquidity.map((l) => [l.dfsp, l.needed, l.available])).toEqual([
      ['perffsp-1', 36_000, 1_000_000],
      ['perffsp-2', 22_500, 1_000_000],
      ['perffsp-3', 18_000, 1_000_000],
      ['perffsp-4', 13_500, 1_000_000],
    ]);
  });

  it('scales with --profile quick, --time-scale and --rate-cap, and estimates cost', async () => {
    const quick = await showJson('--profile', 'quick');
    expect(quick.profile).toEqual({ name: 'quick', timeScale: 1 / 60 });
    expect(quick.plan.tests.slice(0, 4).map((t) => t.transfers)).toEqual([500, 7_500, 30_000, 120_000]);
    const custom = await showJson(
      '--time-scale',
      '1/10',
      '--rate-cap',
      '500',
      '--cost-per-node-hour',
      '4',
      '--nodes',
      '10',
    );
    expect(custom.profile).toEqual({ name: 'custom', timeScale: 0.1, rateCap: 500 });
    expect(custom.plan.tests[2]?.peakRate).toBe(500);
    expect(custom.plan.tests[2]?.transfers).toBe(90_000);
    expect(custom.plan.cost).toMatchObject({ nodes: 10, perNodeHour: 4 });
    expect(custom.plan.cost?.total).toBeCloseTo((10 * 4 * custom.plan.durationMs) / 3_600_000, 2);
  });
});

describe('mlperf suite show', () => {
  it('prints tests, stages, corridor TPS, liquidity, duration and cost', async () => {
    const r = await cli(
      'suite',
      'show',
      '--profile',
      'quick',
      '--cost-per-node-hour',
      '4.11',
      '--nodes',
      '10',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "Suite mojaloop-1000tps (profile quick, time scale 0.016667)
      8 DFSPs, 4 corridors, 5 tests; 0.05 USD per transfer

      Tests (in run order)
        #  test               after            duration   peak TPS   transfers
        1  baseline-100tps    -                5s              100         500
        2  scale-500tps       baseline-100tps  15s             500       7,500
        3  target-1000tps     scale-500tps     30s           1,000      30,000
        4  endurance-1000tps  target-1000tps   2m            1,000     120,000
        5  stress-test        target-1000tps   <= 1m5s   <= 20,000  <= 430,500

      Stages and TPS per corridor
        test               stage                  at+for                TPS   transfers  perffsp-1->perffsp-5  perffsp-2->perffsp-6  perffsp-3->perffsp-7  perffsp-4->perffsp-8
        baseline-100tps    constant 100 TPS       0s+5s                 100         500                    40                    25                    20                    15
        scale-500tps       constant 500 TPS       0s+15s                500       7,500                   200                   125                   100                    75
        target-1000tps     constant 1000 TPS      0s+30s              1,000      30,000                   400                   250                   200                   150
        endurance-1000tps  constant 1000 TPS      0s+2m               1,000     120,000                   400                   250                   200                   150
        stress-test        ramp 0->1000           0s+10s           0->1,000       5,000                0->400                0->250                0->200                0->150
                           ramp 1000->2000        10s+10s      1,000->2,000      15,000              400->800              250->500              200->400              150->300
                           ramp 2000->5000        20s+10s      2,000->5,000      35,000            800->2,000            500->1,250            400->1,000              300->750
                           onwards until failure  30s+<= 30s  5,000->20,000  <= 375,000          2,000->8,000          1,250->5,000          1,000->4,000            750->3,000
                           recovery 100 TPS       1m+5s                 100         500                    40                    25                    20                    15

      DFSPs
        dfsp       currency  liquidity  net debit cap  role
        perffsp-1  USD       1,000,000      1,000,000  payer
        perffsp-2  USD       1,000,000      1,000,000  payer
        perffsp-3  USD       1,000,000      1,000,000  payer
        perffsp-4  USD       1,000,000      1,000,000  payer
        perffsp-5  USD               0              0  payee
        perffsp-6  USD               0              0  payee
        perffsp-7  USD               0              0  payee
        perffsp-8  USD               0              0  payee

      Liquidity each payer needs (amount x its transfers) vs what it can pay
        payer        can pay  baseline-100tps  scale-500tps  target-1000tps  endurance-1000tps  stress-test  whole suite
        perffsp-1  1,000,000               10           150             600              2,400     <= 8,610    <= 11,770
        perffsp-2  1,000,000             6.25         93.75             375              1,500  <= 5,381.25  <= 7,356.25
        perffsp-3  1,000,000                5            75             300              1,200     <= 4,305     <= 5,885
        perffsp-4  1,000,000             3.75         56.25             225                900  <= 3,228.75  <= 4,413.75

      Duration: <= 4m7s (5 tests + 4 cool-downs of 3s)
      Transfers: <= 588,500
        (<= : upper bound; an open-ended ramp stops when its stop rule fires)
      Cost: 10 nodes x USD 4.11/node-hour x 0.07 h = <= USD 2.82"
    `);
  });

  it('shows a custom suite file', async () => {
    const r = await cli('suite', 'show', '--suite', 'examples/custom-suite.ts');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 8).join('\n')).toMatchInlineSnapshot(`
      "Suite two-corridor-eur (profile full, time scale 1)
      4 DFSPs, 2 corridors, 2 tests; 0.5 EUR per transfer

      Tests (in run order)
        #  test            after          duration  peak TPS     transfers
        1  steady-200tps   -              11m            200       126,000
        2  find-the-limit  steady-200tps  <= 19m    <= 4,000  <= 1,992,000
      "
    `);
  });
});

describe('mlperf suite show: bad flags', () => {
  it.each([
    [['--profile', 'slow']],
    [['--time-scale', 'abc']],
    [['--time-scale', '0']],
    [['--rate-cap', '-5']],
    [['--nodes', '1.5']],
    [['--bogus']],
    [['--suite', 'nope.yaml']],
  ])('%j exits 2 with a message', async (flags) => {
    const r = await cli('suite', 'show', ...flags);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^[A-Z_]+: .+\n {2}hint: .+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the flag and lists the valid ones', async () => {
    expect((await cli('suite', 'show', '--bogus')).stderr).toMatchInlineSnapshot(`
      "USAGE: unknown option --bogus for \`mlperf suite show\`
        hint: valid options: --suite, --profile, --time-scale, --rate-cap, --normalise-weights, --json, --cost-per-node-hour, --nodes"
    `);
    expect((await cli('suite', 'show', '--profile', 'slow')).stderr).toMatchInlineSnapshot(`
      "USAGE: Invalid value for argument: --profile (slow). Expected one of: quick, full.
        hint: run \`mlperf suite show --help\`"
    `);
    expect((await cli('suite', 'show', '--time-scale', 'abc')).stderr).toMatchInlineSnapshot(`
      "USAGE: --time-scale: "abc" is not a number > 0
        hint: e.g. --time-scale 0.5 or --time-scale 1/60"
    `);
  });
});

describe('mlperf suite show --suite <file>', () => {
  it('loads a TypeScript suite that extends the standard one through @mlperf/scenarios', async () => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'mlperf-show-'));
    try {
      const file = join(dir, 'mine.ts');
      await writeFile(
        file,
        [
          "import { standardSuite } from '@mlperf/scenarios';",
          'const s = standardSuite();',
          "s.name = 'only-baseline';",
          "s.tests = s.tests.filter((t) => t.id === 'baseline-100tps');",
          "s.criteria = [{ kind: 'all-tests-completed' }];",
          'export default s;',
        ].join('\n'),
      );
      const r = await cli('suite', 'show', '--suite', file, '--json');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as ShowJson;
      expect(out.suite).toBe('only-baseline');
      expect(out.plan.tests.map((t) => [t.testId, t.transfers])).toEqual([['baseline-100tps', 30_000]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
