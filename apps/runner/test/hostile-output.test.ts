import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passAnalysis, suiteAnalysis } from '@mlperf/testkit/runs';
import { makeRun, writeAnalysis } from '@mlperf/testkit/runs';
import { cli } from './_cli.js';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'mlperf-hostile-output-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const HOSTILE_NAME = 'evil\u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u0007';

describe('what mlperf writes cannot be hijacked by the data it shows', () => {
  it('terminal output strips ESC/BEL sequences that came from a results file', async () => {
    const dir = makeRun(base, { testId: 'escapes', testName: HOSTILE_NAME, seconds: 20, tps: 50 });
    for (const argv of [
      ['analyze', dir],
      ['collect', dir],
    ]) {
      const r = await cli(...argv);
      expect(r.code, r.stderr).not.toBe(2);
      const out = `${r.stdout}${r.stderr}`;
      expect(out).not.toContain('\u001b');
      expect(out).not.toContain('\u0007');
    }
    const r = await cli('analyze', dir);
    expect(r.stdout).toContain('evil');
  });

  it('an error message that names hostile input is stripped too', async () => {
    const r = await cli('analyze', join(base, 'no\u001b[2Jsuch'));
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain('nosuch');
  });

  it('TUNING-PLAYBOOK.md escapes a <script> suite name and headline like the HTML does', async () => {
    const suite = join(base, 'suite');
    mkdirSync(suite);
    const d = makeRun(suite, { testId: 'baseline-100tps', seconds: 20, tps: 100 });
    writeAnalysis(d, passAnalysis('baseline-100tps'));
    const a = suiteAnalysis('fail', { 'baseline-100tps': 'baseline-100tps' });
    writeAnalysis(suite, {
      ...a,
      suiteName: '<script>alert(1)</script>',
      headline: 'FAIL: <img src=x onerror=alert(2)>',
    });
    const r = await cli('report', suite, '--no-analyze');
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(suite, 'TUNING-PLAYBOOK.md'), 'utf8');
    expect(md.split('\n')[0]).toBe('# Tuning playbook: \\<script\\>alert(1)\\</script\\>');
    expect(md).not.toMatch(/(^|[^\\])<(script|img)/);
  });

  it('a results directory keeps no .write-probe', () => {
    const dir = makeRun(base, { testId: 'probe', seconds: 5, tps: 10 });
    expect(readdirSync(dir)).not.toContain('.write-probe');
  });
});
