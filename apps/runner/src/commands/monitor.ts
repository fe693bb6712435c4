import { analyzeRun } from '@mlperf/analysis';
import { ExitCode, MlperfError } from '@mlperf/core';
import { newestRunDirectory, runMonitor } from '@mlperf/scenarios';
import { defineCommand } from 'citty';
import { stripControl } from '../_terminal.js';

/** `name=url` pairs of --health. */
export function parseServiceUrls(
  flag: string,
  values: string | string[] | undefined,
): { service: string; url: string }[] {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return list
    .flatMap((v) => v.split(','))
    .filter((v) => v.trim() !== '')
    .map((v) => {
      const i = v.indexOf('=');
      const service = i > 0 ? v.slice(0, i).trim() : '';
      const url = i > 0 ? v.slice(i + 1).trim() : '';
      if (!service || !/^https?:\/\//.test(url)) {
        throw new MlperfError('USAGE', `${flag}: "${v}" is not <service>=<http(s) URL>`, {
          hint: `e.g. ${flag} central-ledger=http://central-ledger:3001/health`,
          exitCode: ExitCode.badInput,
        });
      }
      return { service, url };
    });
}

const CLEAR = '\u001b[H\u001b[2J';
const ttyFrame = (s: string) =>
  s.startsWith(CLEAR) ? CLEAR + stripControl(s.slice(CLEAR.length)) : stripControl(s);

export const monitorCommand = defineCommand({
  meta: {
    name: 'monitor',
    description:
      'Follow a running suite or test from a second terminal: progress, key metrics with bands, errors of the last 5 min, service health, live issues.',
  },
  args: {
    dir: {
      type: 'positional',
      required: false,
      description:
        'Suite directory (suite.json) or results directory (run.json); the newest under --results when omitted',
      valueHint: 'dir',
    },
    results: {
      type: 'string',
      description: 'Where to look for the newest run (default ./results)',
      valueHint: 'dir',
    },
    prometheus: {
      type: 'string',
      description: 'Prometheus URL for CPU, memory and scrape health',
      valueHint: 'url',
    },
    health: {
      type: 'string',
      description: 'Health endpoints to poll: <service>=<url>, comma-separated',
      valueHint: 'list',
    },
    interval: { type: 'string', description: 'Seconds between refreshes (default 2)', valueHint: 's' },
    once: { type: 'boolean', description: 'Print one snapshot and exit' },
    plain: { type: 'boolean', description: 'Print one line per refresh even on a terminal' },
  },
  async run({ args }) {
    const base = args.results ?? 'results';
    const dir = args.dir ?? newestRunDirectory(base);
    if (!dir) {
      throw new MlperfError('MONITOR_NOTHING', `no suite or results directory under ${base}`, {
        hint: 'start one with `mlperf suite run` or `mlperf run`, or pass its directory',
      });
    }
    const interval = args.interval === undefined ? 2 : Number(args.interval);
    if (!(interval > 0)) {
      throw new MlperfError('USAGE', `--interval: "${args.interval}" is not a number of seconds > 0`, {
        hint: 'e.g. --interval 5',
      });
    }
    const ac = new AbortController();
    const stop = () => ac.abort();
    process.once('SIGINT', stop);
    const tty = Boolean(process.stdout.isTTY) && !args.plain;
    try {
      await runMonitor({
        dir,
        tty,
        // plain lines through console.log (captured by tests and loggers); frames with only our own
        // clear-screen sequence (the data in them is stripped like every other output)
        write: (s) => (tty ? process.stdout.write(ttyFrame(s)) : console.log(s.replace(/\n$/, ''))),
        intervalMs: interval * 1000,
        once: args.once === true,
        signal: ac.signal,
        ...(args.prometheus ? { prometheusUrl: args.prometheus } : {}),
        health: parseServiceUrls('--health', args.health),
        // a finished run is judged by the one criteria engine, as `mlperf analyze` would (not written)
        judge: (runDir) => analyzeRun(runDir, { write: false }),
      });
    } finally {
      process.removeListener('SIGINT', stop);
    }
    return ExitCode.ok;
  },
});
