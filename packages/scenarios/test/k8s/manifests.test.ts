import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as acorn from 'acorn';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { k6ScaleAdvice, standardSuite, writeSuiteManifests } from '@mlperf/scenarios';
import { loadTestRunValidator } from './crd-schema.js';
import { renderSuiteManifests } from '../../src/k8s/suite-manifests.js';
import type { TestRunResource } from '../../src/k8s/manifests.js';

const suite = standardSuite();
const validate = loadTestRunValidator();
const options = { hubUrl: 'http://moja-ml-api-adapter-service.mojaloop', namespace: 'perf' };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('k6-operator manifests', () => {
  it('writes the Phase-07 plan files tests/01-baseline-100tps.yaml ... 05-stress-test.yaml', () => {
    const out = mkdtempSync(join(tmpdir(), 'mlperf-manifests-'));
    dirs.push(out);
    writeSuiteManifests(suite, join(out, 'tests'), options);
    expect(readdirSync(join(out, 'tests')).sort()).toEqual([
      '01-baseline-100tps.yaml',
      '02-scale-500tps.yaml',
      '03-target-1000tps.yaml',
      '04-endurance-1000tps.yaml',
      '05-stress-test.yaml',
    ]);
    const text = readFileSync(join(out, 'tests', '03-target-1000tps.yaml'), 'utf8');
    expect(text.split('\n').slice(0, 11).join('\n')).toMatchInlineSnapshot(`
      "# mlperf: Target Test (1000 TPS) (target-1000tps) on k6-operator (TestRun k6.io/v1alpha1)
      #   run:    kubectl apply -f tests/03-target-1000tps.yaml
      #   watch:  kubectl get testrun k6-target-1000tps -w   (stage: created, started, finished | error)
      #   logs:   kubectl logs -f -l k6_cr=k6-target-1000tps,runner=true
      #   rerun:  kubectl delete testrun k6-target-1000tps && kubectl apply -f tests/03-target-1000tps.yaml
      # Scale-out (2 runner pods here):
      #   - peak 1000 TPS x ~50 ms per transfer: 75 VUs pre-allocated, up to 1000
      #   - 2 runner pods (at most 800 TPS and 3000 VUs each)
      #   - each runner: 1250m CPU (400 transfers/s per vCPU), 1128Mi memory; 2.50 vCPU in total
      # Needs: k6-operator installed (CRD testruns.k6.io), and the hub sending every DFSP callback
      # to the DFSP simulator (http://mlperf-dfsp-sim.perf.svc:8080); see packages/scenarios/K8S.md."
    `);
  });

  it('every file parses back into Deployment, Service, ConfigMap and a TestRun valid against the k6-operator CRD', () => {
    for (const f of renderSuiteManifests(suite, {
      ...options,
      prometheusRemoteWriteUrl: 'http://prometheus:9090/api/v1/write',
      runId: 'r1',
    })) {
      const docs = parseAllDocuments(f.yaml).map(
        (d) => d.toJS() as { kind: string; metadata: { name: string; namespace: string } },
      );
      expect(docs.map((d) => d.kind)).toEqual(['Deployment', 'Service', 'ConfigMap', 'TestRun']);
      expect(docs.every((d) => d.metadata.namespace === 'perf')).toBe(true);
      const testRun = docs[3] as unknown as TestRunResource;
      expect(validate(testRun), f.file).toEqual([]);
      const cm = docs[2] as unknown as { metadata: { name: string }; data: Record<string, string> };
      expect(testRun.spec.script.configMap).toEqual({ name: cm.metadata.name, file: 'test.js' });
      const script = cm.data['test.js'] ?? '';
      expect(() => acorn.parse(script, { ecmaVersion: 2015, sourceType: 'module' })).not.toThrow();
      expect(script).toContain(`"testId": "${f.testId}"`);
      expect(testRun.spec.arguments).toBe('--tag testid=r1 -o experimental-prometheus-rw');
      const env = Object.fromEntries(testRun.spec.runner.env.map((e) => [e.name, e.value ?? e.valueFrom]));
      expect(env).toMatchObject({
        MLPERF_HUB_URL: 'http://moja-ml-api-adapter-service.mojaloop',
        MLPERF_DFSP_SIM_URL: 'http://mlperf-dfsp-sim.perf.svc:8080',
        K6_PROMETHEUS_RW_SERVER_URL: 'http://prometheus:9090/api/v1/write',
        K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM: 'true',
        MLPERF_HUB_AUTHORIZATION: {
          secretKeyRef: { name: 'mlperf-dfsp-sim', key: 'hub-authorization', optional: true },
        },
      });
      expect(testRun.spec.parallelism).toBe(
        k6ScaleAdvice(suite.tests.find((t) => t.id === f.testId)!).parallelism,
      );
    }
  });

  it('the CRD check rejects what k6-operator would reject (control)', () => {
    const [f] = renderSuiteManifests(suite, { ...options, tests: ['baseline-100tps'] });
    const good = f?.objects[3] as TestRunResource;
    expect(validate({ ...good, spec: { ...good.spec, parallelism: '2' } })).toEqual([
      '/spec/parallelism must be integer',
    ]);
    expect(validate({ ...good, spec: { ...good.spec, runners: 2 } })).toEqual([
      '/spec must NOT have additional properties',
    ]);
    const { script: _, ...noScript } = good.spec;
    expect(validate({ ...good, spec: noScript })).toEqual(["/spec must have required property 'script'"]);
    const badCpu = structuredClone(good);
    badCpu.spec.runner.resources.requests.cpu = 'two';
    expect(validate(badCpu).some((e) => e.startsWith('/spec/runner/resources/requests/cpu'))).toBe(true);
    expect(validate({ ...good, status: { stage: 'running' } })).toEqual([
      '/status/stage must be equal to one of the allowed values',
    ]);
  });

  it('renders the DFSP simulator as one Deployment replica behind a Service, registering every DFSP callback', () => {
    const [f] = renderSuiteManifests(suite, {
      ...options,
      tests: ['baseline-100tps'],
      dfspSim: { image: 'registry.example/mlperf:1', adminUrl: 'http://central-ledger.mojaloop:3001' },
    });
    const [dep, svc] = (f?.objects ?? []) as unknown as [
      { spec: { replicas: number; template: { spec: { containers: { image: string; args: string[] }[] } } } },
      { spec: { ports: { port: number }[] } },
    ];
    expect(dep.spec.replicas).toBe(1);
    const c = dep.spec.template.spec.containers[0];
    expect(c?.image).toBe('registry.example/mlperf:1');
    expect(c?.args).toEqual([
      'dfsp-sim',
      '--host',
      '0.0.0.0',
      '--port',
      '8080',
      '--hub-url',
      'http://moja-ml-api-adapter-service.mojaloop',
      '--dfsps',
      'perffsp-1,perffsp-2,perffsp-3,perffsp-4,perffsp-5,perffsp-6,perffsp-7,perffsp-8',
      '--admin-url',
      'http://central-ledger.mojaloop:3001',
      '--public-url',
      'http://mlperf-dfsp-sim.perf.svc:8080',
    ]);
    expect(svc.spec.ports[0]?.port).toBe(8080);
  });

  it('never writes a secret value into a manifest', () => {
    for (const f of renderSuiteManifests(suite, options)) {
      expect(f.yaml).not.toMatch(/Bearer|password|token:/i);
    }
  });
});

describe('k6 scale advice', () => {
  const advice = (id: string) => k6ScaleAdvice(suite.tests.find((t) => t.id === id)!);

  it('sizes runner pods and CPU for each planned peak', () => {
    expect(
      suite.tests.map((t) => {
        const a = advice(t.id);
        return [t.id, a.peakRate, a.parallelism, a.resources.requests.cpu, a.totalCpu];
      }),
    ).toEqual([
      ['baseline-100tps', 100, 1, '250m', 0.25],
      ['scale-500tps', 500, 1, '1250m', 1.25],
      ['target-1000tps', 1000, 2, '1250m', 2.5],
      ['endurance-1000tps', 1000, 2, '1250m', 2.5],
      ['stress-test', 20000, 25, '2000m', 50],
    ]);
  });

  it('adds runners when the VU pool, not the rate, is the limit', () => {
    const slow = {
      ...suite.tests[0]!,
      criteria: [{ kind: 'latency' as const, percentile: 95 as const, maxMs: 10_000 }],
    };
    // A script that holds its VU for the whole 10 s transfer.
    const a = k6ScaleAdvice(slow, { expectedLatencyMs: 10_000 });
    expect(a.maxVUs).toBe(4000);
    expect(a.parallelism).toBe(2);
    expect(a.notes[1]).toContain('sized by VUs');
  });
});
