import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { standardSuite } from '@mlperf/scenarios';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanTemp, tempDir } from '@mlperf/testkit/synth';
import { passAnalysis } from '@mlperf/testkit/runs';
import { makeRun, writeAnalysis } from '@mlperf/testkit/runs';
import { cli } from './_cli.js';

/**
 * Random and mutated inputs through the commands that read what others wrote. The only promises:
 * a documented exit code (0 ok, 1 fail, 2 bad input, 3 unavailable, 4 inconclusive), never
 * INTERNAL, never a stack trace, never an exception escaping the CLI. Fixed seed, bounded time.
 */
const SEED = 20261203;
const DOCUMENTED = [0, 1, 2, 3, 4];

let base: string;
let pristine: string;
let n = 0;
beforeAll(() => {
  base = tempDir('hostile-prop');
  pristine = makeRun(join(base, 'pristine'), { testId: 'prop', seconds: 8, tps: 20, errorEvery: 7 });
  writeAnalysis(pristine, passAnalysis('prop'));
});
afterAll(cleanTemp);

async function expectDocumented(...argv: string[]): Promise<void> {
  const r = await cli(...argv);
  const said = `${argv[0]}: exit ${r.code}\n${r.stderr}`;
  expect(DOCUMENTED, said).toContain(r.code);
  expect(r.stderr, said).not.toMatch(/INTERNAL|\n\s+at [^\n]*:\d+:\d+/);
}

const json = fc.jsonValue({ maxDepth: 3 });
const text = fc.string({ unit: 'binary', maxLength: 200 });
const fileName = fc.string({
  unit: fc.constantFrom(...'ab.\\_-\u0007'.split('')),
  minLength: 1,
  maxLength: 12,
});

/** One edit to a results directory. */
type Mutation = { file: string; apply: (dir: string) => void };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ line: fc.nat(20), value: json }).map(({ line, value }) => ({
    file: 'timeseries.ndjson',
    apply: (dir: string) =>
      editLines(dir, (lines) => lines.splice(line % (lines.length + 1), 1, JSON.stringify(value))),
  })),
  fc
    .record({
      line: fc.nat(20),
      key: fc.constantFrom('t', 's', 'succeeded', 'failed', 'latency', 'corridors', 'engine', 'offered'),
      value: json,
    })
    .map(({ line, key, value }) => ({
      file: 'timeseries.ndjson',
      apply: (dir: string) =>
        editLines(dir, (lines) => {
          const i = line % Math.max(1, lines.length);
          const rec = parsed(lines[i]);
          if (rec) lines[i] = JSON.stringify({ ...rec, [key]: value });
        }),
    })),
  fc.nat(4000).map((cut) => ({
    file: 'timeseries.ndjson',
    apply: (dir: string) => {
      const p = join(dir, 'timeseries.ndjson');
      writeFileSync(p, readFileSync(p).subarray(0, cut));
    },
  })),
  fc
    .record({
      key: fc.constantFrom(
        'schemaVersion',
        'kind',
        'status',
        'definition',
        'stages',
        'testId',
        'startedAt',
        'target',
      ),
      value: fc.option(json),
    })
    .map(({ key, value }) => ({
      file: 'run.json',
      apply: (dir: string) => {
        const p = join(dir, 'run.json');
        const m = parsed(readFileSync(p, 'utf8'));
        if (!m) return;
        if (value === null) delete m[key];
        else m[key] = value;
        writeFileSync(p, JSON.stringify(m));
      },
    })),
  fc
    .record({
      file: fc.constantFrom('run.json', 'analysis.json', 'k6-summary.json', 'metrics/prop.json'),
      body: fc.oneof(
        json.map((v) => JSON.stringify(v)),
        text,
      ),
    })
    .map(({ file, body }) => ({ file, apply: (dir: string) => writeFileSync(join(dir, file), body) })),
  fc.record({ name: fileName, body: text }).map(({ name, body }) => ({
    file: `logs/${name}`,
    apply: (dir: string) =>
      writeFileSync(join(dir, 'logs', name === '.' || name === '..' ? 'dot' : name), body),
  })),
);

/** A line as an object, or undefined when an earlier mutation left something else there. */
function parsed(line: string | undefined): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(line ?? '') as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function editLines(dir: string, edit: (lines: string[]) => void): void {
  const p = join(dir, 'timeseries.ndjson');
  const lines = readFileSync(p, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  edit(lines);
  writeFileSync(p, `${lines.join('\n')}\n`);
}

describe('property: hostile inputs only ever give documented exit codes', () => {
  it('mutated results directories through analyze, report and package', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        const root = join(base, `case-${++n}`);
        const dir = join(root, 'run');
        mkdirSync(root);
        try {
          cpSync(pristine, dir, { recursive: true });
          for (const m of mutations) if (existsSync(join(dir, m.file.split('/')[0] ?? ''))) m.apply(dir);
          await expectDocumented('analyze', dir);
          await expectDocumented('report', dir, '--no-analyze');
          await expectDocumented('package', dir, '--output', join(root, 'out.tar.gz'));
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      }),
      { seed: SEED, numRuns: 12 },
    );
  }, 120_000);

  it('random directory trees through analyze, report and package', async () => {
    const tree = fc.array(
      fc.record({ path: fc.array(fileName, { minLength: 1, maxLength: 3 }), body: text }),
      {
        maxLength: 6,
      },
    );
    await fc.assert(
      fc.asyncProperty(tree, async (files) => {
        const dir = join(base, `tree-${++n}`);
        mkdirSync(dir);
        for (const f of files) {
          const parts = f.path.map((p) => (p === '.' || p === '..' ? 'dot' : p));
          const parent = join(dir, ...parts.slice(0, -1));
          try {
            mkdirSync(parent, { recursive: true });
            writeFileSync(join(parent, parts.at(-1) as string), f.body);
          } catch {
            // a file where a directory was wanted: the tree is just different
          }
        }
        try {
          for (const argv of [
            ['analyze', dir],
            ['report', dir],
            ['package', dir, '--output', `${dir}.tar.gz`],
          ])
            await expectDocumented(...argv);
        } finally {
          rmSync(dir, { recursive: true, force: true });
          rmSync(`${dir}.tar.gz`, { force: true });
        }
      }),
      { seed: SEED, numRuns: 30 },
    );
  }, 120_000);

  it('mutated and random suite files through validate', async () => {
    const suite = JSON.parse(JSON.stringify(standardSuite())) as Record<string, unknown>;
    const paths = leafPaths(suite);
    const edit = fc.record({
      path: fc.constantFrom(...paths),
      value: fc.oneof(json, fc.constantFrom(1e308, -1, 0, 1e-300, '1e308', '')),
    });
    const file = fc.oneof(
      fc
        .record({ edits: fc.array(edit, { minLength: 1, maxLength: 4 }), yaml: fc.boolean() })
        .map(({ edits, yaml }) => {
          const s = JSON.parse(JSON.stringify(suite)) as Record<string, unknown>;
          for (const e of edits) setPath(s, e.path, e.value);
          // JSON is YAML too: the .yaml copies go through the YAML parser
          return { ext: yaml ? 'yaml' : 'json', body: JSON.stringify(s, null, yaml ? 2 : 0) };
        }),
      fc.record({ ext: fc.constantFrom('yaml', 'json'), body: text }),
    );
    await fc.assert(
      fc.asyncProperty(file, async ({ ext, body }) => {
        const p = join(base, `suite-${++n}.${ext}`);
        writeFileSync(p, body);
        try {
          const r = await cli('validate', p);
          expect([0, 2], `${r.code}: ${r.stderr}`).toContain(r.code);
          expect(r.stderr).not.toMatch(/INTERNAL|\n\s+at [^\n]*:\d+:\d+/);
        } finally {
          rmSync(p);
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  }, 120_000);

  it('leaves nothing behind but what it was given', () => {
    expect(readdirSync(base).sort()).toEqual(['pristine']);
  });
});

function leafPaths(v: unknown, prefix: (string | number)[] = []): string[] {
  if (typeof v !== 'object' || v === null) return [JSON.stringify(prefix)];
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
  return [JSON.stringify(prefix), ...entries.flatMap(([k, x]) => leafPaths(x, [...prefix, k]))];
}

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = JSON.parse(path) as (string | number)[];
  if (keys.length === 0) return;
  let o: unknown = root;
  for (const k of keys.slice(0, -1)) o = (o as Record<string | number, unknown>)[k];
  if (typeof o === 'object' && o !== null)
    (o as Record<string | number, unknown>)[keys.at(-1) as string] = value;
}
