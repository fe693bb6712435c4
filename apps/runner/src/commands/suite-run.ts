import type { LiveValue } from '@mlperf/core/promql';
import { relative, resolve } from 'node:path';
import { ExitCode, MlperfError } from '@mlperf/core';
import { packageResults } from '@mlperf/report';
import {
  abortOnSignals,
  formatSuiteEvent,
  readSuiteManifest,
  runSuite,
  type SuiteRunManifest,
} from '@mlperf/scenarios';
import { defineCommand } from 'citty';
import { LiveProgress } from '../live/progress.js';
import { watchKeyQueries } from '../live/prometheus.js';
import { openTarget, targetArgs } from '../suite/target.js';
import { grafanaArgs } from '../suite/dashboards.js';
import { noPrometheusLines } from '../suite/metrics.js';
import { packageInto, wireSuite } from '../suite/wire.js';
import { executorArgs, suiteRunTestFor } from './_executors.js';
import { costArgs, costFrom, resolveSuiteFromFlags, suiteSourceArgsFor } from './_suite-source.js';

export const suiteRunCommand = defineCommand({
  meta: {
    name: 'run',
    description:
      'Run the whole suite (run-full-suite.sh): reset, check, baseline -> scale -> target -> endurance and target -> stress, each gated on the previous test, then analysis, reports and the package. Exit 0 every test passed, 1 a test failed (or the suite was interrupted), 2 bad input, 3 target unavailable, 4 inconclusive (a test could not be judged).',
  },
  args: {
    ...suiteSourceArgsFor('full'),
    ...targetArgs,
    ...costArgs,
    out: {
      type: 'string',
      description: 'Where the suite directory is created (default ./results)',
      valueHint: 'dir',
    },
    resume: {
      type: 'string',
      description: 'Resume this suite directory: completed tests are skipped',
      valueHint: 'dir',
    },
    'continue-on-fail': { type: 'boolean', description: 'Run every test even when one fails its criteria' },
    force: { type: 'boolean', description: 'Start the load even when the pre-test check fails' },
    'skip-check': { type: 'boolean', description: 'Do not run the pre-test check' },
    'no-probe': { type: 'boolean', description: 'Do not send first transfers in the check' },
    ...grafanaArgs,
    ...executorArgs,
  },
  async run({ args }) {
    let suite: SuiteRunManifest['definition'];
    let hubProfile = args['hub-profile'];
    if (args.resume) {
      if (args.suite || args.profile || args['time-scale'] || args['rate-cap']) {
        throw new MlperfError(
          'USAGE',
          '--resume runs the suite exactly as it started; --suite, --profile, --time-scale and --rate-cap do not apply',
          {
            hint: `mlperf suite run --resume ${args.resume}`,
            exitCode: ExitCode.badInput,
          },
        );
      }
      const before = readSuiteManifest(args.resume);
      suite = before.definition;
      // the embedded hub comes back with the profile it had, unless told otherwise
      if (!args.target && !hubProfile && before.target.kind === 'embedded')
        hubProfile = before.target.hubProfile;
    } else {
      suite = (await resolveSuiteFromFlags(args, 'full')).suite;
    }
    const target = await openTarget(suite, { ...args, ...(hubProfile ? { 'hub-profile': hubProfile } : {}) });
    const signals = abortOnSignals((sig) =>
      console.error(`\n${sig}: stopping the current test and saving the suite (again to quit at once)`),
    );
    let progress: LiveProgress | undefined;
    let latest: LiveValue[] = [];
    const newProgress = () => {
      const p = new LiveProgress({
        tty: process.stdout.isTTY === true,
        ...(suite.bands ? { bands: suite.bands } : {}),
      });
      p.prometheus(latest);
      return p;
    };
    // the Phase-07 plan's "run these queries during testing", on the live line
    const watch = target.prometheus
      ? watchKeyQueries(target.prometheus, (v) => {
          latest = v;
          progress?.prometheus(v);
        })
      : undefined;
    try {
      if (target.prometheusNote)
        for (const line of noPrometheusLines(target.prometheusNote, suite.tests)) console.log(line);
      console.log(
        `Target: ${target.kind === 'embedded' ? `embedded hub (${target.hubProfile}) at ${target.url}` : target.url}${target.check.prometheusUrl ? `, Prometheus ${target.check.prometheusUrl}` : ''}`,
      );
      const cost = costFrom(args, suite.cost);
      const deps = wireSuite({
        target,
        ...(cost ? { cost } : {}),
        probe: !args['no-probe'],
        ...(args['grafana-url'] ? { grafanaUrl: args['grafana-url'] } : {}),
        onSecond: (_testId, live) => {
          progress ??= newProgress();
          progress.second(live);
        },
      });
      if (args.executor === 'k6' || args.executor === 'k8s') deps.runTest = suiteRunTestFor(args, target);
      deps.packageSuite = (dir) =>
        packageInto(dir, suite.name, (dirs, output) => packageResults(dirs, output));
      deps.onEvent = (e) => {
        if (e.kind === 'test-end' || e.kind === 'live-issue' || e.kind === 'phase') {
          progress?.end();
          if (e.kind !== 'live-issue') progress = undefined;
        }
        for (const line of formatSuiteEvent(e)) console.log(line);
      };
      const result = await runSuite(
        suite,
        {
          outDir: args.out ?? 'results',
          ...(args.resume ? { resume: args.resume } : {}),
          ...(args['continue-on-fail'] ? { continueOnFail: true } : {}),
          ...(args.force ? { force: true } : {}),
          ...(args['skip-check'] ? { skipCheck: true } : {}),
          target: {
            kind: target.kind,
            url: target.url,
            ...(target.hubProfile ? { hubProfile: target.hubProfile } : {}),
            ...(target.check.prometheusUrl ? { prometheusUrl: target.check.prometheusUrl } : {}),
          },
          signal: signals.signal,
        },
        deps,
      );
      const m = result.manifest;
      const rel = (p: string) => {
        const abs = resolve(result.suiteDir, p);
        const r = relative(process.cwd(), abs);
        return r === '' ? '.' : r.startsWith('..') ? abs : r;
      };
      console.log('');
      console.log(
        `Suite ${m.suiteName}: ${m.status}${m.verdict ? `, verdict ${m.verdict}` : ''}${m.statusReason ? ` (${m.statusReason})` : ''}`,
      );
      if (m.headline) console.log(m.headline);
      console.log(`Suite directory: ${rel('.')}`);
      if (m.package) console.log(`Package: ${rel(m.package)}`);
      if (m.report) console.log(`Suite report: ${rel(m.report)}`);
      return result.exitCode;
    } finally {
      await watch?.stop();
      progress?.end();
      signals.dispose();
      await target.close();
    }
  },
});
