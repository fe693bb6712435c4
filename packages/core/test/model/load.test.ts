import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSuiteFile, MlperfError, readSuiteFile } from '@mlperf/core';
import { stringify } from 'yaml';
import { validSuite } from './_suite.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlperf-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MlperfError) return `${err.code}: ${err.message.replace(dir, '<dir>')}`;
    throw err;
  }
  return 'no error';
}

const tsSuite = (exportLine: string) => `
import { defineSuite, stage } from '@mlperf/core';
const base = ${JSON.stringify(validSuite())};
const suite = defineSuite({ ...base, name: 'from-ts' });
suite.tests[0].stages = [stage.constant(20, '2m')];
${exportLine}
`;

describe('loadSuiteFile', () => {
  it('loads TypeScript with a default export, importing @mlperf/core', async () => {
    const { suite, warnings } = await loadSuiteFile(await file('a.ts', tsSuite('export default suite;')));
    expect(suite.name).toBe('from-ts');
    expect(suite.tests[0]!.stages).toEqual([{ kind: 'constant', rate: 20, duration: '2m' }]);
    expect(warnings).toEqual([]);
  });

  it('loads a `suite` export from .mts and a factory function from .mjs', async () => {
    expect((await loadSuiteFile(await file('b.mts', tsSuite('export { suite };')))).suite.name).toBe(
      'from-ts',
    );
    const mjs = `export default async () => (${JSON.stringify({ ...validSuite(), name: 'from-mjs' })});`;
    expect((await loadSuiteFile(await file('c.mjs', mjs))).suite.name).toBe('from-mjs');
    const js = `export const suite = ${JSON.stringify({ ...validSuite(), name: 'from-js' })};`;
    expect((await loadSuiteFile(await file('d.js', js))).suite.name).toBe('from-js');
  });

  it('loads JSON and YAML', async () => {
    expect((await loadSuiteFile(await file('e.json', JSON.stringify(validSuite())))).suite).toEqual(
      validSuite(),
    );
    expect((await loadSuiteFile(await file('f.yaml', stringify(validSuite())))).suite).toEqual(validSuite());
    expect((await readSuiteFile(await file('g.yml', 'name: x\n'))) as object).toEqual({ name: 'x' });
  });

  it('names the file in validation errors', async () => {
    const bad = { ...validSuite(), corridors: [] };
    const path = await file('bad.json', JSON.stringify(bad));
    expect(await failure(loadSuiteFile(path))).toBe(
      `SUITE_INVALID: suite file ${path.replace(dir, '<dir>')} has 1 problem:\n  1. corridors: must not be empty\n     hint: list the payment corridors: { payer, payee, weight }`,
    );
  });

  it('reports a missing file and an unsupported extension', async () => {
    expect(await failure(loadSuiteFile(join(dir, 'nope.yaml')))).toBe(
      'SUITE_FILE_NOT_FOUND: suite file <dir>/nope.yaml does not exist',
    );
    expect(await failure(loadSuiteFile(await file('h.toml', 'x = 1')))).toBe(
      'SUITE_FILE_UNSUPPORTED: <dir>/h.toml: cannot read a suite from a ".toml" file',
    );
    expect(await failure(loadSuiteFile(dir))).toBe(
      'SUITE_FILE_UNSUPPORTED: <dir>: cannot read a suite from a "extensionless" file',
    );
  });

  it('reports JSON and YAML syntax errors with line and column', async () => {
    expect(await failure(loadSuiteFile(await file('i.json', '{\n  "name": "x",\n  tests: []\n}')))).toBe(
      'SUITE_FILE_PARSE: <dir>/i.json:3:3: invalid JSON: Expected double-quoted property name',
    );
    expect(
      await failure(loadSuiteFile(await file('j.yaml', 'name: x\ntests:\n  - id: a\n   name: b\n'))),
    ).toMatch(/^SUITE_FILE_PARSE: <dir>\/j\.yaml:4:\d+: invalid YAML: /);
    expect(await failure(loadSuiteFile(await file('k.yaml', 'name: x\nname: y\n')))).toMatch(
      /^SUITE_FILE_PARSE: <dir>\/k\.yaml:2:1: invalid YAML: Map keys must be unique/,
    );
  });

  it('reports scripts that fail to load or export no suite', async () => {
    expect(await failure(loadSuiteFile(await file('l.ts', 'export const x: number = ;')))).toMatch(
      /^SUITE_FILE_LOAD: <dir>\/l\.ts:1:\d+: failed to load: syntax error: /,
    );
    expect(await failure(loadSuiteFile(await file('m.ts', 'throw new Error("boom");')))).toMatch(
      /^SUITE_FILE_LOAD: <dir>\/m\.ts:1:\d+: failed to load: boom$/,
    );
    expect(await failure(loadSuiteFile(await file('n.ts', 'export const tests = [];')))).toBe(
      'SUITE_FILE_SHAPE: <dir>/n.ts: exports no suite',
    );
    expect(await failure(loadSuiteFile(await file('o.yaml', '- 1\n- 2\n')))).toBe(
      'SUITE_INVALID: suite file <dir>/o.yaml has 1 problem:\n  1. (suite): must be an object, got a list',
    );
  });

  it('hands extra modules to scripts', async () => {
    const src = `import { make } from 'my-suites'; export default make();`;
    const { suite } = await loadSuiteFile(await file('p.ts', src), {
      modules: { 'my-suites': { make: () => ({ ...validSuite(), name: 'made' }) } },
    });
    expect(suite.name).toBe('made');
  });
});
