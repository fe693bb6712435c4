// A child process that runs a long test against the hub at argv[2], writing to argv[3]; used to
// check what SIGINT / SIGTERM / SIGKILL leave behind; argv[4], when given, is the number of engine
// workers. Prints `dir <path>` once the run started.
import { abortOnSignals, runTest } from '@mlperf/scenarios';
import { suiteWith } from './suite.js';

const [url, out, workers] = process.argv.slice(2) as [string, string, string | undefined];
const { signal } = abortOnSignals();
const r = await runTest({
  suite: suiteWith([{ kind: 'constant', rate: 100, duration: '60s' }]),
  test: 'probe',
  target: { url, adminUrl: url },
  out,
  minFreeBytes: 0,
  signal,
  ...(workers ? { engineWorkers: Number(workers) } : {}),
  onStart: (i) => process.stdout.write(`dir ${i.dir}\n`),
});
process.stdout.write(`status ${r.status}\n`);
process.exit(r.exitCode);
