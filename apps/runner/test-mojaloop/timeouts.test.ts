import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRun } from '@mlperf/analysis';
import { DEFAULT_CALLBACK_PORT, runTest, standardSuite } from '@mlperf/scenarios';
import { describe, expect, it } from 'vitest';
import { ADMIN, FSPIOP, scriptsPresent, switchHealthy } from './switch.js';

describe.skipIf(!scriptsPresent())('transfers that time out on the real switch', () => {
  it('never read as 100% success: each counts in the second it was meant to start', async () => {
    if (!(await switchHealthy()))
      throw new Error('the switch is not up: run real-switch.test.ts first (it starts it)');
    const suite = standardSuite();
    // 1 s to expire: on this switch most transfers take longer, so many time out
    const test = {
      id: 'expiring',
      name: 'Expiring transfers',
      kind: 'custom' as const,
      stages: [{ kind: 'constant' as const, rate: 4, duration: '10s' }],
      criteria: [{ kind: 'success-rate' as const, min: 0.995 }],
      transfer: { expiration: '1s' },
    };
    const out = mkdtempSync(join(tmpdir(), 'mlperf-expiring-'));
    const r = await runTest({
      suite: { ...suite, tests: [test] },
      test: 'expiring',
      target: { url: FSPIOP, adminUrl: ADMIN, kind: 'url' },
      callback: { port: DEFAULT_CALLBACK_PORT },
      callbackProbe: {},
      out,
      minFreeBytes: 0,
    });
    const failed = Object.values(r.totals.failed).reduce((a, b) => a + b, 0);
    console.log(`expiring: ${JSON.stringify(r.totals)}`);
    expect(failed).toBeGreaterThan(0);
    const run = JSON.parse(readFileSync(join(r.dir, 'run.json'), 'utf8'));
    expect(run.attribution).toBe('intended-start');
    const a = analyzeRun(r.dir);
    const success = a.criteria.find((c) => c.id === 'success-rate');
    expect(success?.status, JSON.stringify(success)).not.toBe('pass');
    expect(a.verdict).not.toBe('pass');
  });
});
