import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { customTest, runOnSwitch } from './custom-test.js';
import { dbNow, ledgerStatesSince, scriptsPresent, switchHealthy, unfinishedSince } from './switch.js';

/** central-ledger's count of GET /transfers/{id} it answered (its get handler's histogram). */
async function getsAnswered(): Promise<number> {
  const text = await fetch('http://127.0.0.1:3101/metrics').then((r) => r.text());
  let n = 0;
  for (const m of text.matchAll(/^moja_cl_transfer_get_count\{[^}]*success="true"[^}]*\} (\d+)/gm))
    n += Number(m[1]);
  return n;
}

describe.skipIf(!scriptsPresent())('transfers whose callback misses the timeout, on the real switch', () => {
  it('are looked up (GET /transfers/{id}) and counted as the ledger has them', async () => {
    if (!(await switchHealthy())) throw new Error('the switch is not up (global-setup.ts starts it)');
    // a 50 ms timeout (30 s expiration, grace -29.95 s): shorter than this switch's quickest
    // prepare-to-commit (300 ms was not: on a quiet machine every callback came in time)
    const stage = { rate: 4, duration: '8s', expiration: '30s' };
    const test = customTest('late-callbacks', 'Callbacks after the timeout', stage);
    const gets0 = await getsAnswered();
    const since = await dbNow();
    const r = await runOnSwitch(test, { timeoutGraceMs: -29_950, lookupWaitMs: 20_000 });
    console.log(`late callbacks: ${JSON.stringify(r.totals)}`);
    const lk = r.totals.lookups;
    expect(lk?.sent ?? 0).toBeGreaterThan(0);
    expect(lk?.committed ?? 0).toBeGreaterThan(0);
    // the switch answered the GETs itself
    expect(await getsAnswered()).toBeGreaterThan(gets0);
    // what mlperf counts is what central-ledger holds
    await expect.poll(() => unfinishedSince(since), { timeout: 60_000, interval: 2000 }).toBe(0);
    const states = await ledgerStatesSince(since);
    expect(states.COMMITTED ?? 0, JSON.stringify(states)).toBe(r.totals.succeeded);
    const failed = Object.values(r.totals.failed).reduce((a, b) => a + b, 0);
    expect(r.totals.succeeded + failed).toBe(r.totals.started);
    const log = readFileSync(join(r.dir, 'logs', 'engine.log'), 'utf8');
    expect(log).toMatch(/lookups: \d+ transfers looked up at their timeout/);
  });
});
