/**
 * Runs one test, analyses it and renders its report, the way a team embeds mlperf in its tooling.
 *
 *   pnpm example                                          # embedded hub, standard suite, 1/60 time
 *   pnpm example --hub http://ml-api-adapter:3000 --admin http://central-ledger:3001
 *   pnpm example --suite examples/custom-suite.ts --test steady-200tps --out /tmp/results
 *
 * MLPERF_HUB_URL and MLPERF_ADMIN_URL stand in for --hub and --admin.
 */
import { parseArgs } from 'node:util';
import { analyzeRun } from '@mlperf/analysis';
import { loadSuiteFile, resolveProfile } from '@mlperf/core';
import { startHub } from '@mlperf/hub';
import { renderTestReport } from '@mlperf/report';
import { runTest, standardSuite } from '@mlperf/scenarios';

const { values } = parseArgs({
  options: {
    hub: { type: 'string' },
    admin: { type: 'string' },
    suite: { type: 'string' },
    test: { type: 'string', default: 'baseline-100tps' },
    out: { type: 'string', default: 'results' },
  },
});
const hubUrl = values.hub ?? process.env.MLPERF_HUB_URL;
const adminUrl = values.admin ?? process.env.MLPERF_ADMIN_URL;

const loaded = values.suite ? (await loadSuiteFile(values.suite)).suite : standardSuite();
const suite = resolveProfile(loaded, { profile: 'quick' }); // every duration divided by 60
// No hub URL: start the embedded hub with the suite's DFSPs, in a process of its own.
const hub = hubUrl ? undefined : await startHub({ dfsps: suite.dfsps, isolation: 'process' });
try {
  const run = await runTest({
    suite,
    test: values.test,
    target: hub
      ? { url: hub.url, adminUrl: hub.adminUrl, kind: 'embedded' }
      : { url: hubUrl!, adminUrl, kind: 'url' },
    out: values.out,
  });
  const analysis = analyzeRun(run.dir); // writes <dir>/analysis.json
  const report = renderTestReport(run.dir); // writes <dir>/analysis-report.html
  console.log(`${values.test}: ${analysis.verdict} - ${analysis.headline}`);
  console.log(`report: ${report.path}`);
} finally {
  await hub?.stop();
}
