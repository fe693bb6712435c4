import { describe, expect, it } from 'vitest';
import { cli } from './_cli.js';

describe('mlperf check', () => {
  it('checks the embedded hub: every check named, a first real transfer, the estimate', async () => {
    const r = await cli('check', '--profile', 'quick', '--rate-cap', '50', '--json');
    expect(r.code, r.stdout).toBe(0);
    const report = JSON.parse(r.stdout) as {
      checks: { id: string; status: string; reason: string }[];
      exitCode: number;
    };
    expect(report.checks.map((c) => [c.id, c.status === 'fail' ? c.reason : 'ok'])).toEqual([
      ['services-healthy', 'ok'],
      ['uptime', 'ok'],
      ['resource-utilisation', 'ok'],
      ['no-firing-alerts', 'ok'],
      ['cluster-capacity', 'ok'],
      ['test-data', 'ok'],
      ['first-transfer', 'ok'],
      ['generator-capacity', 'ok'],
      ['estimate', 'ok'],
    ]);
    expect(report.checks.find((c) => c.id === 'first-transfer')?.reason).toBe(
      '4 of 4 transfers committed end to end',
    );
    expect(report.checks.find((c) => c.id === 'test-data')?.status).toBe('pass');
  }, 60_000);

  it('rejects a bad flag value with a hint', async () => {
    const r = await cli('check', '--target', 'not-a-url');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--target: "not-a-url" is not an http(s) URL');
  });

  it('fails as bad input with a kubeconfig that does not exist', async () => {
    const r = await cli('check', '--kubeconfig', '/nonexistent/kubeconfig', '--no-probe');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('KUBECONFIG_INVALID');
  });
});
