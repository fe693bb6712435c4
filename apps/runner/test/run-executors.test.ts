import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readResults } from '@mlperf/core';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, repoRoot } from './_cli.js';

const FAKE_K6 = join(repoRoot, 'packages/scenarios/test/k6/fake-k6.mjs');
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
  it('fake k6: runs the test with k6 beside the embedded hub and writes the results directory', async () => {
    const out = tmp();
    const r = await cli(
      'run',
      'baseline-100tps',
      '--profile',
      'quick',
      '--executor',
      'k6',
      '--k6',
      FAKE_K6,
      '--out',
      out,
    );
    // The fake replays real k6 output: the verdict is the analysis of the directory (its criteria
    // fail), k6's own crossed thresholds are shown as information.
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Verdict: FAIL \(exit 1\)$/m);
    const [run] = readdirSync(out);
    const d = readResults(join(out, run ?? ''));
    expect(d.manifest).toMatchObject({
      status: 'completed',
      executor: { kind: 'k6' },
      target: { kind: 'url' },
    });
    expect(d.timeseries.length).toBeGreaterThan(10);
    expect(r.stdout).toContain(
      'baseline-100tps: completed (k6 exit 99; k6 thresholds crossed, whole run, information); results in',
    );
  }, 60_000);

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
