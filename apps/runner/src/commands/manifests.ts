import { ExitCode, MlperfError } from '@mlperf/core';
import { type SuiteManifestOptions, writeSuiteManifests } from '@mlperf/scenarios';
import { defineCommand } from 'citty';
import { numberFlag, resolveSuiteFromFlags, suiteSourceArgs } from './_suite-source.js';
import { table } from './_text.js';

/** ml-api-adapter of a Mojaloop installed with Helm as release `moja` in namespace `mojaloop`. */
export const DEFAULT_HUB_URL = 'http://moja-ml-api-adapter-service.mojaloop';

export const manifestsCommand = defineCommand({
  meta: {
    name: 'manifests',
    description:
      'Write k6-operator manifests: tests/01-baseline-100tps.yaml ... 05-stress-test.yaml (DFSP simulator, script ConfigMap, TestRun), for `kubectl apply -f`.',
  },
  args: {
    ...suiteSourceArgs,
    out: { type: 'string', description: 'Directory to write into (default: tests)', valueHint: 'dir' },
    test: { type: 'string', description: 'Only these tests (comma-separated ids)', valueHint: 'ids' },
    'hub-url': {
      type: 'string',
      description: `ml-api-adapter URL as pods reach it (default ${DEFAULT_HUB_URL})`,
      valueHint: 'url',
    },
    namespace: {
      type: 'string',
      description: 'Namespace of every object (default: the one kubectl applies to)',
    },
    'runner-image': {
      type: 'string',
      description: 'k6 runner image (default grafana/k6:0.45.0)',
      valueHint: 'image',
    },
    parallelism: {
      type: 'string',
      description: 'Runner pods (default: from the scale advice)',
      valueHint: 'n',
    },
    'prometheus-rw': {
      type: 'string',
      description:
        'Prometheus remote-write URL: k6 metrics as native histograms (e.g. http://prometheus:9090/api/v1/write)',
      valueHint: 'url',
    },
    'dfsp-sim-image': {
      type: 'string',
      description: 'Image with the mlperf CLI for the DFSP simulator',
      valueHint: 'image',
    },
    separate: { type: 'boolean', description: 'One runner pod per node' },
  },
  async run({ args }) {
    const { suite } = await resolveSuiteFromFlags(args, 'full');
    const parallelism = numberFlag('--parallelism', args.parallelism, { integer: true, min: 1 });
    const tests = args.test
      ?.split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    const unknown = tests?.filter((t) => !suite.tests.some((x) => x.id === t)) ?? [];
    if (unknown.length) {
      throw new MlperfError('USAGE', `--test: ${unknown.join(', ')} not in suite "${suite.name}"`, {
        hint: `use one of: ${suite.tests.map((t) => t.id).join(', ')}`,
        exitCode: ExitCode.badInput,
      });
    }
    const hubUrl = args['hub-url'] ?? DEFAULT_HUB_URL;
    if (!/^https?:\/\/[^/]/.test(hubUrl)) {
      throw new MlperfError('USAGE', `--hub-url: "${hubUrl}" is not an http(s) URL`, {
        hint: `e.g. --hub-url ${DEFAULT_HUB_URL}`,
        exitCode: ExitCode.badInput,
      });
    }
    const options: SuiteManifestOptions = { hubUrl, generator: 'mlperf manifests' };
    if (tests) options.tests = tests;
    if (args.namespace) options.namespace = args.namespace;
    if (args['runner-image']) options.runnerImage = args['runner-image'];
    if (parallelism !== undefined) options.parallelism = parallelism;
    if (args['prometheus-rw']) options.prometheusRemoteWriteUrl = args['prometheus-rw'];
    if (args['dfsp-sim-image'] || args['admin-url']) {
      options.dfspSim = {
        ...(args['dfsp-sim-image'] ? { image: args['dfsp-sim-image'] } : {}),
        ...(args['admin-url'] ? { adminUrl: String(args['admin-url']) } : {}),
      };
    }
    if (args.separate) options.separate = true;
    const out = args.out ?? 'tests';
    const files = writeSuiteManifests(suite, out, options);
    const rows = files.map((f) => {
      const tr = f.objects.find((o) => o.kind === 'TestRun') as { spec: { parallelism: number } };
      return [
        f.file,
        String(f.advice.peakRate),
        String(tr.spec.parallelism),
        f.advice.resources.requests.cpu,
        f.advice.resources.requests.memory,
      ];
    });
    console.log(`Wrote ${files.length} manifest${files.length === 1 ? '' : 's'} to ${out}/\n`);
    console.log(
      table(['file', 'peak TPS', 'runners', 'CPU/runner', 'memory/runner'], rows, [1, 2]).join('\n'),
    );
    console.log(`\nRun one: kubectl apply -f ${files[0]?.path ?? `${out}/<file>`}`);
    console.log(
      'Needs k6-operator in the cluster and the hub sending DFSP callbacks to the DFSP simulator (see K8S.md).',
    );
    return ExitCode.ok;
  },
});
