import { ExitCode, MlperfError } from '@mlperf/core';
import { HubAdmin, startDfspSim } from '@mlperf/scenarios';
import { defineCommand } from 'citty';
import { numberFlag, resolveSuiteFromFlags, suiteSourceArgs } from './_suite-source.js';

const url = (flag: string, value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  if (!/^https?:\/\/[^/]/.test(value)) {
    throw new MlperfError('USAGE', `${flag}: "${value}" is not an http(s) URL`, {
      hint: `e.g. ${flag} http://127.0.0.1:3000`,
      exitCode: ExitCode.badInput,
    });
  }
  return value.replace(/\/+$/, '');
};

export const dfspSimCommand = defineCommand({
  meta: {
    name: 'dfsp-sim',
    description:
      'Serve the DFSP simulator for k6 runs: answers prepares as payee, receives callbacks as payer, lets k6 await outcomes (GET /outcomes/<id>), /metrics. Runs until Ctrl-C.',
  },
  args: {
    suite: suiteSourceArgs.suite,
    'hub-url': {
      type: 'string',
      description: 'ml-api-adapter URL the payee answers go to',
      valueHint: 'url',
      required: true,
    },
    host: { type: 'string', description: 'Interface to listen on (default 127.0.0.1; 0.0.0.0 in a pod)' },
    port: { type: 'string', description: 'Port (default 8080; 0 picks a free one)', valueHint: 'n' },
    dfsps: {
      type: 'string',
      description: "DFSP ids (comma-separated); default the suite's",
      valueHint: 'ids',
    },
    'admin-url': {
      type: 'string',
      description: "central-ledger admin URL: register every DFSP's transfer callbacks to this simulator",
      valueHint: 'url',
    },
    'public-url': {
      type: 'string',
      description: 'URL the hub reaches this simulator at (default: the one it listens on)',
      valueHint: 'url',
    },
    'payee-reject-ratio': {
      type: 'string',
      description: 'Share of prepares the payees reject with 5105 (default 0)',
    },
  },
  async run({ args }) {
    const hubUrl = url('--hub-url', args['hub-url']) as string;
    const adminUrl = url('--admin-url', args['admin-url']);
    const publicUrl = url('--public-url', args['public-url']);
    const port = args.port === '0' ? 0 : (numberFlag('--port', args.port, { integer: true, min: 1 }) ?? 8080);
    const reject = numberFlag('--payee-reject-ratio', args['payee-reject-ratio'], { min: 0 }) ?? 0;
    if (reject > 1) {
      throw new MlperfError('USAGE', `--payee-reject-ratio: ${reject} is more than 1`, {
        hint: 'a share between 0 and 1, e.g. 0.01',
        exitCode: ExitCode.badInput,
      });
    }
    const dfsps = args.dfsps
      ? args.dfsps
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean)
      : (
          await resolveSuiteFromFlags({ ...(args.suite ? { suite: args.suite } : {}) }, 'full')
        ).suite.dfsps.map((d) => d.id);
    const sim = await startDfspSim({
      hubUrl,
      port,
      host: args.host ?? '127.0.0.1',
      payeeRejectRatio: reject,
      ...(process.env.MLPERF_FULFILMENT_SECRET ? { secret: process.env.MLPERF_FULFILMENT_SECRET } : {}),
      log: (line) => console.error(line),
    });
    try {
      console.log(
        `DFSP simulator on ${sim.url} for ${dfsps.length} DFSPs (${dfsps.join(', ')}); payee answers to ${hubUrl}`,
      );
      if (adminUrl) {
        const base = publicUrl ?? sim.url;
        await new HubAdmin(adminUrl).registerCallbacks(dfsps, (d) => `${base}/${encodeURIComponent(d)}`);
        console.log(`registered the transfer callbacks of ${dfsps.length} DFSPs at ${base}/<dfsp>`);
      }
      console.log(
        `k6 awaits outcomes at ${publicUrl ?? sim.url}/outcomes/<transferId>; metrics at /metrics. Ctrl-C stops.`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    } finally {
      await sim.close();
    }
    console.log('DFSP simulator stopped');
    return ExitCode.ok;
  },
});
