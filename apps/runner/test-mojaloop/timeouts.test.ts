import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeRun } from '@mlperf/analysis';
import { describe, expect, it } from 'vitest';
import { customTest, runOnSwitch } from './custom-test.js';
import { scriptsPresent, switchHealthy } from './switch.js';

describe.skipIf(!scriptsPresent())('transfers that time out on the real switch', () => {
  it('never read as 100% success: each counts in the second it was meant to start', async () => {
    if (!(await switchHealthy())) throw new Error('the switch is not up (global-setup.ts starts it)');
    // 1 s to expire: on this switch most transfers take longer, so many time out
    const test = customTest(
      'expiring',
      'Expiring transfers',
      { rate: 4, duration: '10s', expiration: '1s' },
      [{ kind: 'success-rate', min: 0.995 }],
    );
    const r = await runOnSwitch(test);
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
