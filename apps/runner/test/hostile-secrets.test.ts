import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanTemp, tempDir } from '@mlperf/testkit/synth';
import { makeRun } from '@mlperf/testkit/runs';
import { cli } from './_cli.js';

let base: string;
beforeAll(() => {
  base = tempDir('hostile-secrets');
});
afterAll(cleanTemp);

/** Every shape of credential a hostile (or careless) log holds, and the part that must vanish. */
const LEAKS: [string, string][] = [
  ['Bearer abc123', 'abc123'],
  ['aws_secret_access_key=wJalrXUtnFEMIK7MDENG', 'wJalrXUtnFEMIK7MDENG'],
  ['AWS_SECRET_ACCESS_KEY="bPxRfiCYEXAMPLEKEY"', 'bPxRfiCYEXAMPLEKEY'],
  ['AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
  ['ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_abcdefghijklmnop'],
  ['MLPERF_GRAFANA_API_KEY=eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFs', 'eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFs'],
  ['{"authHeader": "Bearer zyx987"}', 'zyx987'],
  ['{"token":"Bearer qwe456"}', 'qwe456'],
  ['SERVICE_PASSWORD=hunter2', 'hunter2'],
  ['https://admin:pa55word@grafana.local/api', 'pa55word'],
  ['-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIabc\n-----END EC PRIVATE KEY-----', 'MHcCAQEEIabc'],
];
const LOG = `${LEAKS.map(([line]) => line).join('\n')}\n`;

describe('secrets never leave through package or collect --logs', () => {
  it('mlperf package: the extracted archive holds none of the secrets, and says what it scrubbed', async () => {
    const dir = makeRun(base, { testId: 'leaky', seconds: 5, tps: 10 });
    writeFileSync(join(dir, 'logs', 'hub.log'), LOG);
    const out = join(base, 'leaky.tar.gz');
    const r = await cli('package', dir, '--output', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`scrubbed ${LEAKS.length} secret(s) from leaky/logs/hub.log`);
    const x = join(base, 'x1');
    mkdirSync(x);
    execFileSync('tar', ['-xzf', out, '-C', x]);
    const text = readFileSync(join(x, 'leaky', 'logs', 'hub.log'), 'utf8');
    for (const [, secret] of LEAKS) expect(text).not.toContain(secret);
    expect(text.split('\n')[0]).toBe('Bearer [REDACTED]');
  });

  it('mlperf collect --logs: scrubs the same way and never follows a link out of the logs directory', async () => {
    const dir = makeRun(base, { testId: 'collected', seconds: 5, tps: 10 });
    const logs = join(base, 'svc-logs');
    mkdirSync(join(logs, 'ledger'), { recursive: true });
    writeFileSync(join(logs, 'ledger', 'central-ledger.log'), LOG);
    const outside = join(base, 'outside-secret.txt');
    writeFileSync(outside, 'the contents of a file outside the logs\n');
    symlinkSync(outside, join(logs, 'escape.log'));
    const r = await cli('collect', dir, '--logs', logs);
    expect(r.code, r.stderr).toBe(0);
    const copied = readdirSync(join(dir, 'logs'));
    expect(copied).toContain('ledger_central-ledger.log');
    expect(copied).not.toContain('escape.log');
    const text = readFileSync(join(dir, 'logs', 'ledger_central-ledger.log'), 'utf8');
    for (const [, secret] of LEAKS) expect(text).not.toContain(secret);
    for (const f of copied)
      expect(readFileSync(join(dir, 'logs', f), 'utf8')).not.toContain('outside the logs');
  });
});
