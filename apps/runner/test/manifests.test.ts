import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './_cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mlperf-cli-manifests-'));
  dirs.push(d);
  return d;
};

describe('mlperf manifests', () => {
  it('writes the five Phase-07 manifests and prints the scale-out advice', async () => {
    const out = join(tmp(), 'tests');
    const r = await cli('manifests', '--out', out, '--namespace', 'perf');
    expect(r.code).toBe(0);
    expect(r.stdout.replaceAll(out, 'tests')).toMatchInlineSnapshot(`
      "Wrote 5 manifests to tests/

        file                       peak TPS  runners  CPU/runner  memory/runner
        01-baseline-100tps.yaml         100        1  250m        328Mi
        02-scale-500tps.yaml            500        1  1250m       1128Mi
        03-target-1000tps.yaml         1000        2  1250m       1128Mi
        04-endurance-1000tps.yaml      1000        2  1250m       1128Mi
        05-stress-test.yaml           20000       25  2000m       1728Mi

      Run one: kubectl apply -f tests/01-baseline-100tps.yaml
      Needs k6-operator in the cluster and the hub sending DFSP callbacks to the DFSP simulator (see K8S.md)."
    `);
    expect(readdirSync(out).sort()).toEqual([
      '01-baseline-100tps.yaml',
      '02-scale-500tps.yaml',
      '03-target-1000tps.yaml',
      '04-endurance-1000tps.yaml',
      '05-stress-test.yaml',
    ]);
    const target = readFileSync(join(out, '03-target-1000tps.yaml'), 'utf8');
    expect(target).toContain('kind: TestRun');
    expect(target).toContain('MLPERF_HUB_URL');
    expect(target).toContain('value: http://moja-ml-api-adapter-service.mojaloop');
  });

  it('takes a profile, a test list, a hub URL, an image and remote write', async () => {
    const out = tmp();
    const r = await cli(
      'manifests',
      '--out',
      out,
      '--profile',
      'quick',
      '--test',
      'target-1000tps',
      '--hub-url',
      'http://hub:3000',
      '--runner-image',
      'grafana/k6:1.0.0',
      '--parallelism',
      '4',
      '--prometheus-rw',
      'http://prom:9090/api/v1/write',
    );
    expect(r.code).toBe(0);
    const text = readFileSync(join(out, '03-target-1000tps.yaml'), 'utf8');
    expect(text).toContain('parallelism: 4');
    expect(text).toContain('image: grafana/k6:1.0.0');
    expect(text).toContain('arguments: -o experimental-prometheus-rw');
    expect(text).toContain('"duration": "30s"');
    expect(readdirSync(out)).toEqual(['03-target-1000tps.yaml']);
  });

  it('rejects an unknown test, a bad parallelism and a bad hub URL with exit 2', async () => {
    const out = tmp();
    expect(await cli('manifests', '--out', out, '--test', 'nope')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('USAGE: --test: nope not in suite "mojaloop-1000tps"'),
    });
    expect((await cli('manifests', '--out', out, '--parallelism', '0')).code).toBe(2);
    expect((await cli('manifests', '--out', out, '--hub-url', 'ml-api-adapter')).stderr).toContain(
      '--hub-url: "ml-api-adapter" is not an http(s) URL',
    );
  });
});
