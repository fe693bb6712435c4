import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ResultsWriter } from '@mlperf/core';
import { importK6Ndjson } from '@mlperf/core/k6';
import { CORRIDORS } from './make-run.js';

/** Real k6 v0.45 output: the repository's copy (fixtures/k6). */
export const K6_FIXTURES = fileURLToPath(new URL('../../../../fixtures/k6', import.meta.url));

/**
 * Turns real k6 output (`--out json` NDJSON + `--summary-export`) into a results directory through
 * mlperf's k6 importer, as the k6 executors do.
 */
export async function importK6(baseDir: string, fixturesDir = K6_FIXTURES): Promise<string> {
  const imp = await importK6Ndjson(`${fixturesDir}/out.ndjson.gz`);
  const summary = JSON.parse(readFileSync(`${fixturesDir}/summary-export.json`, 'utf8')) as unknown;
  const w = ResultsWriter.create(
    baseDir,
    {
      runId: 'k6-import',
      testId: 'k6-import',
      testName: 'k6 import (real k6 v0.45 output)',
      definition: {
        test: {
          id: 'k6-import',
          name: 'k6 import',
          kind: 'custom',
          stages: [{ kind: 'ramp', from: 50, to: 400, duration: '8s' }],
          criteria: [],
        },
        dfsps: [],
        corridors: CORRIDORS,
        transfer: { amount: '1', expiration: '30s' },
      },
      target: { kind: 'url', url: 'http://127.0.0.1:18081' },
      executor: { kind: 'k6', version: '0.45.0' },
      versions: { k6: '0.45.0' },
      host: { hostname: 'k6-host', platform: 'linux', cpus: 2, memoryBytes: 8e9 },
      startedAt: new Date(imp.startMs).toISOString(),
    },
    { dirName: 'k6-import', minFreeBytes: 0 },
  );
  for (const r of imp.records) w.appendSecond(r);
  w.writeK6Summary(summary);
  w.finish('failed', { reason: 'k6 exited 99: thresholds crossed' });
  return w.dir;
}
