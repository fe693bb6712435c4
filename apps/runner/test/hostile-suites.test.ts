import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, repoRoot } from './_cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlperf-hostile-suites-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** A valid one-test suite in YAML with `stage` as its only stage. */
const suite = (stage: string, extra = '') => `name: limits
dfsps:
  - { id: payer, currency: USD, initialPosition: 0, liquidity: 1e15, netDebitCap: 1e15 }
  - { id: payee, currency: USD, initialPosition: 0, liquidity: 0, netDebitCap: 0 }
corridors: [{ payer: payer, payee: payee, weight: 1 }]
transfer: { amount: "1", expiration: 30s${extra} }
tests:
  - { id: t, name: T, kind: custom, stages: [${stage}] }
`;

/** The real CLI in a child process: what happens to the process itself is the point. */
function cliProcess(...argv: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(repoRoot, 'apps/runner/src/cli.ts'), ...argv],
    { cwd: join(repoRoot, 'apps/runner'), encoding: 'utf8', timeout: 60_000 },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('sanity limits: values no real run reaches are refused with the limit in the message', () => {
  it.each([
    [
      'rate: 1e308',
      '{ kind: constant, rate: 1e308, duration: 3s }',
      'stages[0].rate: must be at most 100,000 TPS, got 1e+308',
    ],
    [
      'a ramp to 5e6 TPS',
      '{ kind: ramp, from: 0, to: 5e6, duration: 1m }',
      'stages[0].to: must be at most 100,000 TPS',
    ],
    [
      'a 400-day stage',
      '{ kind: constant, rate: 10, duration: 9600h }',
      'stages[0].duration: must be at most 168h',
    ],
    [
      '2e9 planned transfers',
      '{ kind: constant, rate: 100000, duration: 160h }',
      'tests[0].stages: plan 5.76e+10 transfers, more than a real run reaches',
    ],
    [
      'an open ramp without bound in sight',
      '{ kind: open-ramp, from: 10, stepPerMinute: 1e9, maxRate: 1e12 }',
      'stepPerMinute: must be at most 100,000 TPS',
    ],
  ])('%s', async (_what, stage, message) => {
    const r = await cli('validate', write('limits.yaml', suite(stage)));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('a one-day transfer expiration is the most accepted', async () => {
    const r = await cli(
      'validate',
      write('exp.yaml', suite('{ kind: constant, rate: 10, duration: 3s }').replace('30s', '30d')),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('transfer.expiration: ');
  });
});

describe('suite files cannot end the process', () => {
  it('a .ts calling process.exit(0) is an error (exit 2), for validate and run', async () => {
    const f = write('exit.ts', 'process.exit(0);\nexport default {};\n');
    for (const cmd of [
      ['validate', f],
      ['run', '--suite', f, 't'],
    ]) {
      const r = await cli(...cmd);
      expect(r.code, `${cmd[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('called process.exit(0) while loading');
    }
  });

  it('a never-settling top-level await is a clear error with exit 2, not a silent exit 13', () => {
    const f = write('tla.ts', 'await new Promise(() => {});\nexport default {};\n');
    const r = cliProcess('validate', f);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('never finished loading (a top-level await that never settles)');
  }, 120_000);

  it('a YAML alias bomb is exit 2 with a message, not INTERNAL', async () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
    ])
      rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    const r = await cli('validate', write('bomb.yaml', `${rows.join('\n')}\n`));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^SUITE_FILE_PARSE: .*bomb\.yaml: invalid YAML: Excessive alias count/);
  });

  it('a .ts syntax error names the line', async () => {
    const f = write(
      'syntax.ts',
      'import { defineSuite } from "@mlperf/core";\n\nexport default defineSuite({\n  name: "x",,\n});\n',
    );
    const r = await cli('validate', f);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^SUITE_FILE_LOAD: .*syntax\.ts:4:\d+: failed to load: syntax error: /);
  });
});
