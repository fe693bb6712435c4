import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectResults, packageResults } from '@mlperf/report';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passAnalysis } from '@mlperf/testkit/runs';
import { makeRun, writeAnalysis } from '@mlperf/testkit/runs';
import { MANIFEST_SHA256 } from '../src/package/package.js';
import { scrubText } from '../src/package/secrets.js';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'mlperf-pkg-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtbHBlcmYifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

async function listEntries(file: string): Promise<{ path: string; type: string }[]> {
  const out: { path: string; type: string }[] = [];
  await tar.t({ file, onReadEntry: (e) => out.push({ path: e.path, type: e.type }) });
  return out;
}

describe('mlperf package', () => {
  it('writes a tar.gz with sorted entries and SHA-256 manifest; extracted again, every hash verifies', async () => {
    const suite = join(base, 'suite-20261127');
    mkdirSync(suite);
    const a = makeRun(suite, { testId: 'baseline-100tps', seconds: 30, tps: 100 });
    writeAnalysis(a, passAnalysis('baseline-100tps'));
    makeRun(suite, { testId: 'target-1000tps', seconds: 30, tps: 1000 });
    writeFileSync(
      join(a, 'logs', 'hub.log'),
      `GET /transfers Authorization: Bearer ${TOKEN}\nok\nfetch http://admin:hunter22@grafana:3000/api\n`,
    );
    writeFileSync(
      join(a, 'dashboards', 'overview-peak.png'),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 9]),
    );
    symlinkSync('/etc/hostname', join(a, 'logs', 'escape.log'));
    symlinkSync(join(a, 'run.json'), join(a, 'logs', 'run-link.json'));
    const out = join(base, 'mojaloop-1000tps-results.tar.gz');
    const r = await packageResults([suite], out);

    expect(r.excluded).toEqual([
      { path: 'suite-20261127/baseline-100tps/logs/escape.log', reason: 'symlink leaves the results tree' },
    ]);
    expect(r.scrubbed).toEqual([{ path: 'suite-20261127/baseline-100tps/logs/hub.log', redactions: 2 }]);
    expect(r.entries.some((e) => e.path.endsWith('.tar.gz'))).toBe(false);
    expect(r.entries.some((e) => e.path.endsWith('.write-probe'))).toBe(false);

    const listed = await listEntries(out);
    expect(listed.slice(0, 2).map((e) => e.path)).toEqual(['manifest.json', MANIFEST_SHA256]);
    const data = listed.slice(2).map((e) => e.path);
    expect(data).toEqual([...data].sort());
    expect(listed.every((e) => e.type === 'File')).toBe(true);

    const x = join(base, 'extracted');
    mkdirSync(x);
    await tar.x({ file: out, cwd: x });
    const sums = readFileSync(join(x, MANIFEST_SHA256), 'utf8').trim().split('\n');
    expect(sums.length).toBe(data.length);
    for (const line of sums) {
      const [hash, path] = line.split('  ') as [string, string];
      expect(
        createHash('sha256')
          .update(readFileSync(join(x, path)))
          .digest('hex'),
        path,
      ).toBe(hash);
    }
    const manifest = JSON.parse(readFileSync(join(x, 'manifest.json'), 'utf8'));
    expect(manifest.entries.map((e: { path: string }) => e.path)).toEqual(data);
    const log = readFileSync(join(x, 'suite-20261127/baseline-100tps/logs/hub.log'), 'utf8');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain('hunter22');
    expect(log).toContain('Authorization: Bearer [REDACTED]');
    expect(readFileSync(join(x, 'suite-20261127/baseline-100tps/logs/run-link.json'), 'utf8')).toContain(
      '"kind": "mlperf-run"',
    );
    expect(statSync(join(x, 'suite-20261127/baseline-100tps/dashboards/overview-peak.png')).size).toBe(10);
  });

  it('refuses credential files, leaving no partial archive; private keys in text are redacted whole', async () => {
    const dir = makeRun(base, { testId: 'with-env', seconds: 5, tps: 10 });
    writeFileSync(join(dir, '.env'), 'GRAFANA_API_KEY=x\n');
    const out = join(base, 'refused.tar.gz');
    await expect(packageResults([dir], out)).rejects.toMatchObject({
      code: 'PACKAGE_SECRET_FILE',
      exitCode: 2,
    });
    expect(readdirSync(base).filter((f) => f.startsWith('refused'))).toEqual([]);
    rmSync(join(dir, '.env'));
    writeFileSync(
      join(dir, 'logs', 'leak.log'),
      '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n',
    );
    const r = await packageResults([dir], out);
    expect(r.scrubbed).toEqual([{ path: 'with-env/logs/leak.log', redactions: 1 }]);
  });

  it('rejects missing inputs and duplicate names with hints', async () => {
    await expect(packageResults([join(base, 'nope')], join(base, 'x.tar.gz'))).rejects.toMatchObject({
      code: 'RESULTS_NOT_FOUND',
      exitCode: 2,
    });
    await expect(packageResults([], join(base, 'x.tar.gz'))).rejects.toMatchObject({
      code: 'PACKAGE_NO_INPUT',
    });
  });

  it('scrubs the usual token shapes', () => {
    const s = scrubText(
      'x.log',
      `{"password":"p4ss","apiKey": "k-123", "tokenCount": 3}\nx-api-key: glsa_abcdefgh12345\nAKIAABCDEFGHIJKLMNOP`,
      {},
    );
    expect(s.text).toBe(
      `{"password":"[REDACTED]","apiKey": "[REDACTED]", "tokenCount": 3}\nx-api-key: [REDACTED]\n[REDACTED]`,
    );
    expect(scrubText('y', 'value is supersecretvalue here', { MY_TOKEN: 'supersecretvalue' }).text).toBe(
      'value is [REDACTED] here',
    );
  });
});

describe('mlperf collect', () => {
  it('gathers what the Phase-07 plan lists and says what is missing', () => {
    const dir = makeRun(base, { testId: 'collect', seconds: 60, tps: 100, errorEvery: 10 });
    writeAnalysis(dir, passAnalysis('collect'));
    const logs = join(base, 'svc-logs');
    mkdirSync(logs);
    writeFileSync(join(logs, 'central-ledger.log'), 'connected with password=abc123\n');
    const c = collectResults(dir, { logsFrom: [logs] });
    expect(c.items.map((i) => [i.item, i.present])).toEqual([
      ['K6 summary report', true],
      ['Prometheus metrics export', true],
      ['Grafana dashboard snapshots', false],
      ['Service logs', true],
      ['Resource utilization data', true],
    ]);
    expect(c.items[2]?.note).toContain('mlperf dashboards capture');
    expect(readFileSync(join(dir, 'logs', 'central-ledger.log'), 'utf8')).toBe(
      'connected with password=[REDACTED]\n',
    );
    expect(readFileSync(join(dir, 'summary.txt'), 'utf8')).toContain('✓ Success rate > 99.5%: 99.99%');
    const csv = readFileSync(join(dir, 'resources.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('unix_s,metric,series,value');
    expect(csv[1]).toMatch(/^\d+,container_cpu,"container=central-ledger;pod=central-ledger-0",0\.5$/);
  });
});
