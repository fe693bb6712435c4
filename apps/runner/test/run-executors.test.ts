import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './_cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mlperf-cli-exec-'));
  dirs.push(d);
  return d;
};

describe('mlperf run --executor k6|k8s', () => {
  it('k8s needs a hub URL the pods can reach, and a cluster (exit 2, exit 3)', async () => {
    const r = await cli('run', 'baseline-100tps', '--executor', 'k8s');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--executor k8s needs --target');
    const dir = tmp();
    writeFileSync(
      join(dir, 'kubeconfig'),
      'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:1\n    insecure-skip-tls-verify: true\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\nusers:\n- name: u\n  user: {}\n',
    );
    const down = await cli(
      'run',
      'baseline-100tps',
      '--executor',
      'k8s',
      '--target',
      'http://hub',
      '--kubeconfig',
      join(dir, 'kubeconfig'),
      '--out',
      dir,
    );
    expect(down.code).toBe(3);
    expect(down.stderr).toContain(
      'K8S_UNREACHABLE: list testruns.k6.io in namespace default: no Kubernetes API server answers at http://127.0.0.1:1',
    );
  });
});

describe('mlperf suite run / check --executor', () => {
  it('suite run --executor k8s needs a hub URL the pods can reach (exit 2)', async () => {
    const out = tmp();
    const r = await cli(
      'suite',
      'run',
      '--executor',
      'k8s',
      '--out',
      out,
      '--skip-check',
      '--profile',
      'quick',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--executor k8s needs --target');
  }, 60_000);
});
