import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, errorMessage, MlperfError } from '@mlperf/core';
import { HUB_PROFILE_NAMES } from '@mlperf/hub';
import { abortOnSignals, runTest } from '@mlperf/scenarios';
import { defineCommand } from 'citty';
import { LiveProgress } from '../live/progress.js';
import { watchKeyQueries } from '../live/prometheus.js';
import { grafanaArgs, runDashboards } from '../suite/dashboards.js';
import { formatPrefixes } from '../suite/metric-names.js';
import { watchHub } from '../suite/hub-watch.js';
import { exportRunMetrics, noPrometheusLines, noteNoPrometheus } from '../suite/metrics.js';
import { hubVersions } from '../suite/versions.js';
import { openTarget, targetArgs } from '../suite/target.js';
import { probeOptions } from '../suite/wire.js';
import { runSummary } from '../live/summary.js';
import { executorArgs, runWithK6Executor } from './_executors.js';
import { judgeRun } from './_verdict.js';
import { numberFlag, resolveSuiteFromFlags, suiteSourceArgs } from './_suite-source.js';

const MAX_HUB_LOG_LINES = 10_000;

function writeHubLog(dir: string, lines: string[]): void {
  writeFileSync(join(dir, 'logs', 'hub.log'), `${lines.join('\n')}\n`);
}

export const runCommand = defineCommand({
  meta: {
    name: 'run',
    description:
      'Run one test against the embedded hub or a real Mojaloop, live, write its results directory, then judge it as `mlperf analyze` does. Exit 0 pass, 1 fail, 2 bad input, 3 target unavailable, 4 inconclusive (generator or host was the limit, or evidence missing).',
  },
  args: {
    test: {
      type: 'positional',
      required: true,
      description: 'Test id, e.g. target-1000tps',
      valueHint: 'test',
    },
    ...suiteSourceArgs,
    target: {
      type: 'string',
      default: 'embedded',
      description:
        '`embedded` (start the built-in hub in its own process) or the ml-api-adapter URL of a real hub',
      valueHint: 'embedded|url',
    },
    'admin-url': {
      type: 'string',
      description: 'central-ledger admin API of a real hub: registers the DFSP callback endpoints',
      valueHint: 'url',
    },
    'hub-profile': {
      type: 'string',
      description: `Embedded hub profile: ${HUB_PROFILE_NAMES.join(', ')}`,
      valueHint: 'name',
    },
    out: { type: 'string', default: 'results', description: 'Base directory for results', valueHint: 'dir' },
    'callback-host': {
      type: 'string',
      description: 'Interface the DFSP callback server binds (default 127.0.0.1)',
      valueHint: 'host',
    },
    'callback-port': targetArgs['callback-port'],
    'callback-wait': targetArgs['callback-wait'],
    'lookup-wait': targetArgs['lookup-wait'],
    'metric-prefix': targetArgs['metric-prefix'],
    metrics: targetArgs.metrics,
    'callback-url': {
      type: 'string',
      description: 'Address the hub uses to reach the callback server, when it differs from the bound one',
      valueHint: 'url',
    },
    'max-in-flight': {
      type: 'string',
      description: 'Cap on transfers in flight (overflow is counted as dropped)',
      valueHint: 'n',
    },
    'engine-workers': {
      type: 'string',
      description:
        'Load engine worker threads (default: half the cores; more than one needs the run to register the callbacks)',
      valueHint: 'n',
    },
    prometheus: targetArgs.prometheus,
    'no-private-prometheus': targetArgs['no-private-prometheus'],
    ...grafanaArgs,
    'abort-on-target-down': {
      type: 'boolean',
      description: 'Stop (exit 3) when the target only answers with connection errors',
    },
    ...executorArgs,
  },
  async run({ args }) {
    const { suite, warnings } = await resolveSuiteFromFlags(args, 'full');
    for (const w of warnings) console.error(`warning: ${w.path}: ${w.message}`);
    if (!suite.tests.some((t) => t.id === args.test)) {
      throw new MlperfError('TEST_UNKNOWN', `test "${args.test}" is not in suite "${suite.name}"`, {
        hint: `use one of: ${suite.tests.map((t) => t.id).join(', ')}`,
        exitCode: ExitCode.badInput,
      });
    }
    const embedded = args.target === 'embedded';
    const hubProfile = args['hub-profile'];
    if (hubProfile !== undefined && !(HUB_PROFILE_NAMES as readonly string[]).includes(hubProfile)) {
      throw new MlperfError('USAGE', `--hub-profile: "${hubProfile}" is not a hub profile`, {
        hint: `use one of: ${HUB_PROFILE_NAMES.join(', ')}`,
      });
    }
    if (hubProfile !== undefined && !embedded) {
      throw new MlperfError('USAGE', '--hub-profile only applies to --target embedded', {
        hint: 'drop --hub-profile, or run against the embedded hub',
      });
    }
    const maxInFlight = numberFlag('--max-in-flight', args['max-in-flight'], { integer: true });
    const engineWorkers = numberFlag('--engine-workers', args['engine-workers'], { integer: true, min: 1 });
    if (args.executor === 'k8s' && embedded)
      return runWithK6Executor(args, { suite, testId: args.test, out: args.out, hubUrl: '', embedded });
    const hubLog: string[] = [];
    const k6 = args.executor === 'k6' || args.executor === 'k8s';
    const target = await openTarget(
      suite,
      {
        target: args.target,
        ...(args['admin-url'] ? { 'admin-url': args['admin-url'] } : {}),
        ...(hubProfile ? { 'hub-profile': hubProfile } : {}),
        ...(args.prometheus ? { prometheus: args.prometheus } : {}),
        ...(args['callback-port'] !== undefined ? { 'callback-port': args['callback-port'] } : {}),
        ...(args['callback-wait'] !== undefined ? { 'callback-wait': args['callback-wait'] } : {}),
        ...(args['lookup-wait'] !== undefined ? { 'lookup-wait': args['lookup-wait'] } : {}),
        ...(args['metric-prefix'] !== undefined ? { 'metric-prefix': args['metric-prefix'] } : {}),
        ...(args.metrics !== undefined ? { metrics: args.metrics } : {}),
        'no-private-prometheus': args['no-private-prometheus'] === true || k6,
      },
      {
        hubLog: (line) => {
          if (hubLog.length < MAX_HUB_LOG_LINES) hubLog.push(line);
        },
      },
    );
    if (target.hub) await target.hub.reset();
    if (k6) {
      try {
        return await runWithK6Executor(args, {
          suite,
          testId: args.test,
          out: args.out,
          hubUrl: target.url,
          embedded,
          ...(target.adminUrl ? { adminUrl: target.adminUrl } : {}),
          ...(!embedded && target.enginePort !== undefined ? { callbackPort: target.enginePort } : {}),
        });
      } finally {
        await target.close();
      }
    }
    const signals = abortOnSignals((sig) =>
      console.error(`\n${sig}: stopping arrivals, draining in-flight transfers (again to quit at once)`),
    );
    const hubGone = watchHub(target.hub);
    const progress = new LiveProgress({
      tty: process.stdout.isTTY === true,
      ...(suite.bands ? { bands: suite.bands } : {}),
    });
    if (target.prometheusNote) {
      const test = suite.tests.filter((t) => t.id === args.test);
      for (const line of noPrometheusLines(target.prometheusNote, test)) console.error(line);
    }
    if (!embedded) {
      console.error(
        `note: Mojaloop metric names: ${formatPrefixes(target.metricPrefixes.prefixes)}, ${target.metricPrefixes.source}`,
      );
    }
    const watch = target.prometheus
      ? watchKeyQueries(target.prometheus, (v) => progress.prometheus(v))
      : undefined;
    let dir = '';
    try {
      const result = await runTest({
        suite,
        test: args.test,
        target: {
          url: target.url,
          ...(target.adminUrl ? { adminUrl: target.adminUrl } : {}),
          kind: target.kind,
          ...(target.hubProfile ? { hubProfile: target.hubProfile } : {}),
          ...(target.check.prometheusUrl ? { prometheusUrl: target.check.prometheusUrl } : {}),
        },
        out: args.out,
        versions: await hubVersions(target),
        callback: {
          ...(args['callback-host'] ? { host: args['callback-host'] } : {}),
          ...(target.enginePort !== undefined ? { port: target.enginePort } : {}),
          ...(args['callback-url'] ? { publicUrl: args['callback-url'] } : {}),
        },
        ...probeOptions(target),
        ...(maxInFlight !== undefined ? { maxInFlight } : {}),
        ...(engineWorkers !== undefined ? { engineWorkers } : {}),
        abortOnTargetDown: args['abort-on-target-down'] === true,
        idKind: args.ids === 'ulid' ? 'ulid' : 'uuid',
        signal: AbortSignal.any([signals.signal, hubGone.signal]),
        onStart: (info) => {
          dir = info.dir;
          console.log(
            `${args.test}: ${embedded ? 'embedded hub' : args.target}, results in ${info.dir}, engine metrics at ${info.metricsUrl}`,
          );
        },
        onSecond: (live) => progress.second(live),
      });
      await watch?.stop();
      progress.end();
      hubGone.dispose();
      if (hubGone.signal.aborted) console.error(`HUB_EXITED: ${errorMessage(hubGone.signal.reason)}`);
      for (const line of runSummary(args.test, result)) console.log(line);
      if (target.prometheus)
        await exportRunMetrics(target.prometheus, result.dir, target.metricPrefixes.prefixes);
      else if (target.prometheusNote) noteNoPrometheus(result.dir, target.prometheusNote);
      await runDashboards(result.dir, args['grafana-url']);
      const verdict = judgeRun(result.dir);
      if (hubGone.signal.aborted) return ExitCode.unavailable;
      return result.exitCode === ExitCode.unavailable ? ExitCode.unavailable : verdict;
    } finally {
      hubGone.dispose();
      await watch?.stop();
      progress.end();
      signals.dispose();
      await target.close();
      if (dir && hubLog.length) writeHubLog(dir, hubLog);
    }
  },
});
