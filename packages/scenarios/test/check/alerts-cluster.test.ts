import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standardDfsps } from '@mlperf/core';
import { runChecks } from '../../src/check/index.js';
import type { CheckInput } from '../../src/check/index.js';
import { kubeNode, kubePod, startFakeKubeApi } from './fake-services.js';
import { PROMETHEUS_BIN, startPrometheusWithRules, waitForAlerts } from './prometheus.js';

const base: CheckInput = {
  suiteName: 's',
  dfsps: standardDfsps(),
  plan: { name: 's', durationMs: 1000, upperBound: false, tests: [], liquidity: [] },
  target: { kind: 'url', health: [], metrics: [] },
};

describe.skipIf(!PROMETHEUS_BIN)('no-firing-alerts against a real Prometheus', () => {
  let prom: Awaited<ReturnType<typeof startPrometheusWithRules>>;
  beforeAll(async () => {
    prom = await startPrometheusWithRules(
      [
        'groups:',
        '  - name: mojaloop',
        '    rules:',
        '      - alert: CentralLedgerDown',
        '        expr: vector(1)',
        '        labels: { severity: critical, container: central-ledger }',
        '      - alert: KafkaLagGrowing',
        '        expr: vector(1)',
        '        for: 1h',
        '        labels: { severity: warning }',
        '      - alert: Watchdog',
        '        expr: vector(1)',
      ].join('\n'),
    );
    await waitForAlerts(prom.url, 3);
  });
  afterAll(async () => {
    await prom?.stop();
  });

  it('fails on a firing alert, names it, counts the pending one, ignores Watchdog', async () => {
    const r = await runChecks({
      ...base,
      only: ['no-firing-alerts'],
      target: { ...base.target, prometheusUrl: prom.url },
    });
    expect(r.checks[0]).toMatchObject({
      status: 'fail',
      reason: 'firing: CentralLedgerDown{central-ledger} (critical)',
      numbers: [
        { label: 'firing', value: 1 },
        { label: 'pending', value: 1 },
      ],
    });
    expect(r.exitCode).toBe(1);
  });

  it('fails as unavailable (exit 3) when Alertmanager cannot be reached', async () => {
    const r = await runChecks({
      ...base,
      only: ['no-firing-alerts'],
      target: { ...base.target, alertmanagerUrl: 'http://127.0.0.1:1' },
    });
    expect(r.checks[0]).toMatchObject({ status: 'fail', unavailable: true });
    expect(r.exitCode).toBe(3);
  });
});

describe('cluster-capacity against a FAKE Kubernetes API server', () => {
  let api: Awaited<ReturnType<typeof startFakeKubeApi>>;
  const nodes = [
    kubeNode('node-1', '8', '32Gi'),
    kubeNode('node-2', '8', '32Gi'),
    kubeNode('node-3', '8000m', '32Gi', false),
  ];
  const pods = [
    kubePod('node-1', '6', '8Gi'),
    kubePod('node-2', '4500m', '8Gi'),
    kubePod('node-3', '8', '8Gi'),
  ];
  beforeAll(async () => {
    api = await startFakeKubeApi({ nodes, pods });
  });
  afterAll(async () => {
    await api.close();
  });
  const kube = () => ({ server: api.url, context: 'perf', headers: { authorization: 'Bearer test-token' } });

  it('passes with allocatable vs requested of Ready nodes only', async () => {
    const r = await runChecks({
      ...base,
      only: ['cluster-capacity'],
      target: { ...base.target, kube: kube() },
    });
    expect(r.checks[0]).toMatchObject({ status: 'pass', reason: '2 nodes, 5.5 cores and 48 GiB free' });
    expect(r.checks[0]?.numbers).toContainEqual({ label: 'requested CPU', value: 10.5, unit: 'cores' });
  });

  it('fails when the k6 runners need more than is free', async () => {
    const need = { cpuCores: 8, memoryBytes: 8 * 2 ** 30, source: '4 k6 runners x 2 CPU / 2Gi' };
    const r = await runChecks({
      ...base,
      only: ['cluster-capacity'],
      clusterNeed: need,
      target: { ...base.target, kube: kube() },
    });
    expect(r.checks[0]).toMatchObject({
      status: 'fail',
      reason: 'free 5.5 cores / 48 GiB < needed 8 cores / 8 GiB (4 k6 runners x 2 CPU / 2Gi)',
    });
  });

  it('fails as unavailable with bad credentials or an unreachable server', async () => {
    let r = await runChecks({
      ...base,
      only: ['cluster-capacity'],
      target: { ...base.target, kube: { server: api.url } },
    });
    expect(r.checks[0]).toMatchObject({
      status: 'fail',
      unavailable: true,
      reason: expect.stringContaining('HTTP 401'),
    });
    r = await runChecks({
      ...base,
      only: ['cluster-capacity'],
      target: { ...base.target, kube: { server: 'http://127.0.0.1:1' } },
    });
    expect(r.exitCode).toBe(3);
  });
});

describe('loadKubeAccess', () => {
  it('reads the current context of a token kubeconfig, and names the contexts when one is unknown', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { loadKubeAccess } = await import('../../src/check/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'mlperf-kube-'));
    try {
      const file = join(dir, 'config');
      writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          'current-context: perf',
          'contexts:',
          '  - name: perf',
          '    context: { cluster: c1, user: u1 }',
          'clusters:',
          '  - name: c1',
          '    cluster: { server: "https://10.0.0.1:6443", certificate-authority-data: "' +
            Buffer.from('CA PEM').toString('base64') +
            '" }',
          'users:',
          '  - name: u1',
          '    user: { token: test-token }',
        ].join('\n'),
      );
      expect(loadKubeAccess(file)).toEqual({
        server: 'https://10.0.0.1:6443',
        context: 'perf',
        headers: { authorization: 'Bearer test-token' },
        ca: 'CA PEM',
      });
      expect(() => loadKubeAccess(file, 'prod')).toThrow(/context "prod" not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('no-firing-alerts against a FAKE Prometheus API that requires a token', () => {
  it('sends the Authorization header it is given, and fails as unavailable without it', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      const ok = req.headers.authorization === 'Bearer prom-token';
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(ok ? JSON.stringify({ status: 'success', data: { alerts: [] } }) : '{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      let r = await runChecks({
        ...base,
        only: ['no-firing-alerts'],
        target: {
          ...base.target,
          prometheusUrl: url,
          prometheusHeaders: { authorization: 'Bearer prom-token' },
        },
      });
      expect(r.checks[0]).toMatchObject({ status: 'pass', reason: 'no firing or pending alerts' });
      r = await runChecks({
        ...base,
        only: ['no-firing-alerts'],
        target: { ...base.target, prometheusUrl: url },
      });
      expect(r.checks[0]).toMatchObject({
        status: 'fail',
        unavailable: true,
        reason: expect.stringContaining('HTTP 401'),
      });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
