import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1ConfigMap, V1Deployment, V1Service } from '@kubernetes/client-node';
import type { SuiteDefinition } from '@mlperf/core';
import { ExitCode, MlperfError } from '@mlperf/core';
import { stringify } from 'yaml';
import { testContext } from '../k6/context.js';
import type { K6ScaleAdvice } from '../k6/scale.js';
import { standardTestFileName } from '../standard-suite.js';
import { dfspSimServiceUrl, renderDfspSimManifests } from './dfsp-sim-manifests.js';
import { type K8sManifestOptions, type TestRunResource, renderTestRun } from './manifests.js';

export type ManifestObject = V1ConfigMap | V1Deployment | V1Service | TestRunResource;

export interface TestManifestFile {
  /** `01-baseline-100tps.yaml` for the standard tests, `<id>.yaml` otherwise. */
  file: string;
  testId: string;
  testRunName: string;
  /** In apply order: the DFSP simulator, the script ConfigMap, the TestRun. */
  objects: ManifestObject[];
  advice: K6ScaleAdvice;
  /** The file's text: a comment header and the objects as YAML documents. */
  yaml: string;
}

export interface SuiteManifestOptions extends K8sManifestOptions {
  /** Only these test ids (default: every test of the suite). */
  tests?: string[];
}

/** Several YAML documents in one file, as `kubectl apply -f` reads them. */
export function toYamlDocuments(objects: object[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

function header(
  title: string,
  file: string,
  name: string,
  advice: K6ScaleAdvice,
  parallelism: number,
  simUrl: string,
): string[] {
  return [
    `# mlperf: ${title} on k6-operator (TestRun k6.io/v1alpha1)`,
    `#   run:    kubectl apply -f tests/${file}`,
    `#   watch:  kubectl get testrun ${name} -w   (stage: created, started, finished | error)`,
    `#   logs:   kubectl logs -f -l k6_cr=${name},runner=true`,
    `#   rerun:  kubectl delete testrun ${name} && kubectl apply -f tests/${file}`,
    `# Scale-out (${parallelism} runner pod${parallelism === 1 ? '' : 's'} here):`,
    ...advice.notes.map((n) => `#   - ${n}`),
    '# Needs: k6-operator installed (CRD testruns.k6.io), and the hub sending every DFSP callback',
    `# to the DFSP simulator (${simUrl}); see packages/scenarios/K8S.md.`,
  ];
}

/** The manifest files of a suite's tests: DFSP simulator + script ConfigMap + TestRun each, self-contained. */
export function renderSuiteManifests(
  suite: SuiteDefinition,
  options: SuiteManifestOptions,
): TestManifestFile[] {
  const ids = options.tests ?? suite.tests.map((t) => t.id);
  const sim = renderDfspSimManifests(suite.dfsps, options);
  const simUrl = dfspSimServiceUrl(options.dfspSim, options.namespace);
  return ids.map((id) => {
    const ctx = testContext(suite, id);
    const r = renderTestRun(ctx, options);
    const file = standardTestFileName(id);
    const objects: ManifestObject[] = [...sim, r.configMap, r.testRun];
    const name = r.testRun.metadata.name;
    const head = header(`${ctx.test.name} (${id})`, file, name, r.advice, r.testRun.spec.parallelism, simUrl);
    return {
      file,
      testId: id,
      testRunName: name,
      objects,
      advice: r.advice,
      yaml: `${head.join('\n')}\n${toYamlDocuments(objects)}`,
    };
  });
}

/** Writes `renderSuiteManifests` into `outDir` (created if missing); returns the paths written. */
export function writeSuiteManifests(suite: SuiteDefinition, outDir: string, options: SuiteManifestOptions) {
  const files = renderSuiteManifests(suite, options);
  try {
    mkdirSync(outDir, { recursive: true });
    for (const f of files) writeFileSync(join(outDir, f.file), f.yaml);
  } catch (err) {
    throw new MlperfError('MANIFESTS_UNWRITABLE', `--out ${outDir}: ${(err as Error).message}`, {
      hint: 'choose a directory you can write to with --out',
      exitCode: ExitCode.badInput,
      cause: err,
    });
  }
  return files.map((f) => ({ ...f, path: join(outDir, f.file) }));
}
