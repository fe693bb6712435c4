import { ExitCode, MlperfError } from '@mlperf/core';
import { parseMetricPrefix } from '@mlperf/core/promql';
import {
  captureDashboards,
  DEFAULT_DASHBOARDS,
  exportDashboards,
  GRAFANA_KEY_ENV,
  standardDashboards,
} from '@mlperf/report';
import { defineCommand } from 'citty';

const MOMENTS = ['start', 'peak', 'end', 'errors'] as const;

const exportCommand = defineCommand({
  meta: { name: 'export', description: 'Write the Grafana dashboards (JSON) and a provisioning file' },
  args: {
    out: { type: 'string', default: 'dashboards', description: 'directory to write into' },
    'metric-prefix': {
      type: 'string',
      description:
        "Mojaloop metric prefix: one for both services (moja_) or central-ledger=moja_cl_,ml-api-adapter=moja_ml_ (default: the services' own defaults)",
      valueHint: 'prefix',
    },
  },
  run({ args }) {
    const prefix = args['metric-prefix'];
    const r = exportDashboards(
      args.out,
      prefix === undefined ? DEFAULT_DASHBOARDS : standardDashboards({ prefixes: parseMetricPrefix(prefix) }),
    );
    for (const f of r.files) console.log(f);
    console.log(r.provisioning);
    return ExitCode.ok;
  },
});

const captureCommand = defineCommand({
  meta: {
    name: 'capture',
    description: `Screenshot the dashboards at the test's start, peak and end (API key from $${GRAFANA_KEY_ENV[0]})`,
  },
  args: {
    'grafana-url': {
      type: 'string',
      required: true,
      description: 'Grafana base URL, e.g. http://localhost:3000',
    },
    test: { type: 'string', required: true, description: 'results directory of the test' },
    dashboard: {
      type: 'string',
      description: `one dashboard uid (default all: ${DEFAULT_DASHBOARDS.map((d) => d.uid).join(', ')})`,
    },
    moments: {
      type: 'string',
      description:
        'comma-separated start, peak, end, errors (default: start, peak, end, and errors when the error rate passed 0.5%)',
    },
    chromium: {
      type: 'string',
      description: 'Chromium binary (default $MLPERF_CHROMIUM or /usr/bin/chromium)',
    },
  },
  async run({ args }) {
    const moments = args.moments?.split(',').map((m) => m.trim());
    const bad = (moments ?? []).filter((m) => !(MOMENTS as readonly string[]).includes(m));
    if (bad.length > 0) {
      throw new MlperfError('USAGE', `--moments ${args.moments}: unknown ${bad.join(', ')}`, {
        hint: `use any of ${MOMENTS.join(', ')}`,
        exitCode: ExitCode.badInput,
      });
    }
    const dashboards = args.dashboard
      ? DEFAULT_DASHBOARDS.filter((d) => d.uid === args.dashboard)
      : DEFAULT_DASHBOARDS;
    if (dashboards.length === 0) {
      throw new MlperfError('USAGE', `--dashboard ${args.dashboard}: unknown dashboard`, {
        hint: `use one of ${DEFAULT_DASHBOARDS.map((d) => d.uid).join(', ')}`,
        exitCode: ExitCode.badInput,
      });
    }
    const caps = await captureDashboards({
      grafanaUrl: args['grafana-url'],
      runDir: args.test,
      dashboards,
      ...(moments ? { moments: moments as (typeof MOMENTS)[number][] } : {}),
      ...(args.chromium ? { chromiumPath: args.chromium } : {}),
    });
    for (const c of caps) console.log(c.file);
    return ExitCode.ok;
  },
});

export const dashboardsCommand = defineCommand({
  meta: {
    name: 'dashboards',
    description: 'Grafana dashboards: export them for provisioning, capture screenshots of a test',
  },
  subCommands: { export: exportCommand, capture: captureCommand },
});
