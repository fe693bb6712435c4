import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, repoRoot } from './_cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlperf-validate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mlperf validate', () => {
  it('lists all ten problems of bad-suite.yaml with paths and hints, exit 2, no stack trace', async () => {
    const r = await cli('validate', 'examples/suites/bad-suite.yaml');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.match(/^ {2}\d+\. /gm)).toHaveLength(10);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).toMatchInlineSnapshot(`
      "SUITE_INVALID: suite file examples/suites/bad-suite.yaml has 10 problems:
        1. dfsps[1].id: duplicate DFSP id "perffsp-1"
           hint: give every DFSP a unique id
        2. dfsps[2].currency: "usd" is not an ISO 4217 currency code
           hint: three capital letters, e.g. "USD"
        3. transfer.amount: "1.23456" is not an FSPIOP amount
           hint: a decimal string in major units as FSPIOP sends it: "1", "0.1", "12.5"; at most 4 decimals, no leading zeros
        4. corridors[0].payee: unknown DFSP "perffsp-9"
           hint: declare it in \`dfsps\` or use one of: perffsp-1, perffsp-5
        5. corridors: weights must sum to 1, they sum to 0.9
           hint: fix the weights, or validate with normaliseWeights (CLI: --normalise-weights) to scale them to 1
        6. tests[0].stages[0].rate: must be > 0, got -100
           hint: transfers per second, e.g. 100
        7. tests[0].stages[1].duration: "5 minutes" is not a duration
           hint: write a number and a unit without spaces: 500ms, 30s, 5m, 2h or 1h30m
        8. tests[0].criteria[0].min: must be <= 1, got 99.5
           hint: fractions are 0..1: write 99.5% as 0.995
        9. tests[1].stopRule: is required: the test has an open-ended ramp
           hint: add a stop rule, e.g. { maxErrorRate: 0.05, maxP95Ms: 2000, minAchievedRatio: 0.9 }
        10. tests[1].after: unknown test "warmup"
           hint: use one of: baseline, stress
        hint: fix every problem listed, then check again with \`mlperf validate <file>\`"
    `);
  });

  it('--json gives the problems as data', async () => {
    const r = await cli('validate', 'examples/suites/bad-suite.yaml', '--json');
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout) as { valid: boolean; problems: { path: string }[] };
    expect(out.valid).toBe(false);
    expect(out.problems.map((p) => p.path)).toEqual([
      'dfsps[1].id',
      'dfsps[2].currency',
      'transfer.amount',
      'corridors[0].payee',
      'corridors',
      'tests[0].stages[0].rate',
      'tests[0].stages[1].duration',
      'tests[0].criteria[0].min',
      'tests[1].stopRule',
      'tests[1].after',
    ]);
  });

  it('accepts the custom example suite, with its plan warnings', async () => {
    const r = await cli('validate', 'examples/custom-suite.ts');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "examples/custom-suite.ts: suite "two-corridor-eur" is valid: 4 DFSPs, 2 corridors, 2 tests, <= 2,118,000 planned transfers
        warning: find-the-limit: bank-a must pay EUR 697,200.00 (1,394,400 transfers x 0.5) but can pay only EUR 250,000.00 (upper bound: the test ramps until it breaks)
          hint: lower transfer.amount to at most 0.1792, or raise bank-a's liquidity and net debit cap
        warning: find-the-limit: bank-b must pay EUR 298,800.00 (597,600 transfers x 0.5) but can pay only EUR 250,000.00 (upper bound: the test ramps until it breaks)
          hint: lower transfer.amount to at most 0.4183, or raise bank-b's liquidity and net debit cap"
    `);
  });

  it('normalises weights only when asked to', async () => {
    const suite = {
      name: 'w',
      dfsps: ['a', 'b'].map((id) => ({
        id,
        currency: 'USD',
        initialPosition: 0,
        liquidity: 100,
        netDebitCap: 100,
      })),
      corridors: [{ payer: 'a', payee: 'b', weight: 0.9 }],
      transfer: { amount: '1', expiration: '30s' },
      tests: [
        {
          id: 't',
          name: 'T',
          kind: 'custom',
          stages: [{ kind: 'constant', rate: 1, duration: '10s' }],
          criteria: [],
        },
      ],
      criteria: [],
    };
    const file = join(dir, 'weights.json');
    await writeFile(file, JSON.stringify(suite));
    const strict = await cli('validate', file);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('1. corridors: weights must sum to 1, they sum to 0.9');
    const loose = await cli('validate', file, '--normalise-weights');
    expect(loose.code).toBe(0);
    expect(loose.stdout).toContain('warning: corridors: weights sum to 0.9, normalised to 1');
  });

  it('reports a missing file, a parse error and a file that is not a suite', async () => {
    const missing = await cli('validate', 'examples/suites/nope.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr.replace(repoRoot, '<repo>/')).toMatchInlineSnapshot(`
      "SUITE_FILE_NOT_FOUND: suite file examples/suites/nope.yaml does not exist
        hint: check the path (resolved to <repo>/examples/suites/nope.yaml)"
    `);
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'name: x\ntests: [\n');
    const parse = await cli('validate', broken);
    expect(parse.code).toBe(2);
    expect(parse.stderr.replace(dir, '<dir>')).toMatch(
      /^SUITE_FILE_PARSE: <dir>\/broken\.yaml:\d+:\d+: invalid YAML: /,
    );
    const txt = join(dir, 'suite.txt');
    await writeFile(txt, 'hello');
    expect((await cli('validate', txt)).stderr.replace(dir, '<dir>')).toMatchInlineSnapshot(`
      "SUITE_FILE_UNSUPPORTED: <dir>/suite.txt: cannot read a suite from a ".txt" file
        hint: use one of: .ts, .mts, .js, .mjs, .json, .yaml, .yml"
    `);
  });
});
