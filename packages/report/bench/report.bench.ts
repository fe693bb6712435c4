// Report for a generated 2-hour 1000 TPS endurance run: build time (target < 3 s) and size (< 2 MB).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageResults, renderTestReport } from '@mlperf/report';
import { enduranceAnalysis } from '@mlperf/testkit/runs';
import { makeRun, writeAnalysis } from '@mlperf/testkit/runs';

const SECONDS = 2 * 3600;
const base = mkdtempSync(join(tmpdir(), 'mlperf-report-bench-'));
try {
  const dir = makeRun(base, {
    testId: 'endurance-1000tps',
    kind: 'endurance',
    seconds: SECONDS,
    tps: 1000,
    errorEvery: 97,
  });
  writeAnalysis(dir, enduranceAnalysis(SECONDS));
  const ndjson = statSync(join(dir, 'timeseries.ndjson')).size;
  const times: number[] = [];
  let bytes = 0;
  let charts = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = renderTestReport(dir);
    times.push(performance.now() - t0);
    bytes = r.bytes;
    charts = r.charts.length;
  }
  times.sort((a, b) => a - b);
  const median = times[2] as number;
  console.log(
    `input: ${SECONDS} s of timeseries at 1000 TPS (${(ndjson / 1e6).toFixed(1)} MB ndjson), 2 Prometheus exports`,
  );
  console.log(
    `build time: median ${(median / 1000).toFixed(2)} s, worst ${((times.at(-1) as number) / 1000).toFixed(2)} s, ${((times[0] as number) / 1000).toFixed(2)} s best of 5 (target < 3 s): ${median < 3000 ? 'OK' : 'OVER'}`,
  );
  console.log(
    `report size: ${(bytes / 1e6).toFixed(2)} MB, ${charts} charts (target < 2 MB): ${bytes < 2e6 ? 'OK' : 'OVER'}`,
  );
  const p0 = performance.now();
  const pkg = await packageResults([dir], join(base, 'results.tar.gz'));
  console.log(
    `package: ${pkg.entries.length} files -> ${(pkg.bytes / 1e6).toFixed(2)} MB tar.gz in ${((performance.now() - p0) / 1000).toFixed(2)} s (secrets scan included)`,
  );
  if (median >= 3000 || bytes >= 2e6) process.exitCode = 1;
} finally {
  rmSync(base, { recursive: true, force: true });
}
