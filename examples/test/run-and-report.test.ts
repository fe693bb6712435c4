import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startHub } from '@mlperf/hub';
import customSuite from '../custom-suite.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];

/** Runs the example as `pnpm example` does, from the repository root, on TS sources. */
async function runExample(args: string[], env: Record<string, string> = {}) {
  const out = mkdtempSync(join(tmpdir(), 'mlperf-example-'));
  dirs.push(out);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'examples/run-and-report.ts', ...args, '--out', out],
    { cwd: root, env: { ...process.env, ...env }, timeout: 240_000 },
  );
  const [run] = readdirSync(out);
  if (run === undefined) throw new Error(`no run directory in ${out}; stdout: ${stdout}`);
  return { stdout, dir: join(out, run) };
}

function expectEvidence(dir: string, stdout: string, testId: string) {
  const analysis = JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8'));
  expect(analysis.testId).toBe(testId);
  expect(analysis.totals.started).toBeGreaterThan(0);
  expect(stdout).toContain(`${testId}: ${analysis.verdict} - ${analysis.headline}`);
  const report = join(dir, 'analysis-report.html');
  expect(stdout).toContain(`report: ${report}`);
  expect(existsSync(report)).toBe(true);
  expect(readFileSync(report, 'utf8')).toContain(`<title>${analysis.testName}`);
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('examples/run-and-report.ts', () => {
  it('is what the README shows under "As a library", verbatim', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## As a library'), readme.indexOf('## Packages'));
    const shown = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(shown).toBe(readFileSync(join(root, 'examples/run-and-report.ts'), 'utf8'));
  });

  it('starts the embedded hub, runs the standard baseline at 1/60 time and writes analysis and report', async () => {
    const { stdout, dir } = await runExample([]);
    expectEvidence(dir, stdout, 'baseline-100tps');
  }, 300_000);

  it('takes a hub URL from the environment and runs a test of a custom suite', async () => {
    await using hub = await startHub({ dfsps: customSuite.dfsps });
    const { stdout, dir } = await runExample(
      ['--suite', 'examples/custom-suite.ts', '--test', 'steady-200tps'],
      {
        MLPERF_HUB_URL: hub.url,
        MLPERF_ADMIN_URL: hub.adminUrl,
      },
    );
    expectEvidence(dir, stdout, 'steady-200tps');
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run.target).toMatchObject({ kind: 'url', url: hub.url });
    expect((await hub.ledger()).committed).toBeGreaterThan(0);
  }, 300_000);
});
