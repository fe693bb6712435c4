// PromQL library figures: validator throughput, private Prometheus start-up, catalogue export.
// Run: pnpm bench promql
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CATALOGUE, exportQueries, startPrivatePrometheus, validateQuery } from '@mlperf/core/promql';
import { generate } from '../test/promql/differential/generator.js';

const queries = CATALOGUE.map((q) => q.promql);
for (let i = 0; i < 200; i++) validateQuery(queries[i % queries.length] as string);
const rounds = 20_000;
let t = performance.now();
for (let i = 0; i < rounds; i++) validateQuery(queries[i % queries.length] as string);
let ms = performance.now() - t;
console.log(
  `validateQuery: ${Math.round((rounds / ms) * 1000)} queries/s (${((ms / rounds) * 1000).toFixed(1)} us each, catalogue mix)`,
);

// The differential test's mix (valid and mutated expressions, seed 17) and long expressions.
const mixed = generate(17, 3000);
t = performance.now();
for (const q of mixed) validateQuery(q);
ms = performance.now() - t;
console.log(
  `validateQuery: ${Math.round((mixed.length / ms) * 1000)} queries/s (differential mix, ${mixed.length} expressions)`,
);
const long: [string, string][] = [
  ['sum of 1000 terms', Array.from({ length: 1000 }, (_, i) => `m${i}`).join(' + ')],
  ['5,000 nested parentheses', `${'('.repeat(5000)}up${')'.repeat(5000)}`],
  [
    '100 KB expression',
    Array.from({ length: 7000 }, (_, i) => `rate(x${i}[5m])`)
      .join(' + ')
      .slice(0, 100_000)
      .replace(/ \+ [^+]*$/, ''),
  ],
];
for (const [label, q] of long) {
  t = performance.now();
  const errors = validateQuery(q).filter((d) => d.severity === 'error').length;
  console.log(
    `validateQuery: ${label} (${q.length} chars) in ${(performance.now() - t).toFixed(1)} ms, ${errors} errors`,
  );
}

const metrics = createServer((_req, res) => {
  res
    .writeHead(200)
    .end(
      `# TYPE mlperf_transfers_total counter\nmlperf_transfers_total{outcome="success"} ${Date.now() / 10}\n`,
    );
});
await new Promise<void>((r) => metrics.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(metrics.address() as AddressInfo).port}/metrics`;
t = performance.now();
const prom = await startPrivatePrometheus({
  scrapeTargets: [{ job: 'engine', url }],
  waitForFirstScrape: false,
});
const ready = performance.now() - t;
if (!prom.running) {
  console.log(`private Prometheus: not started (${prom.reason})`);
} else {
  const first = performance.now();
  while ((await prom.client.targets()).data.activeTargets[0]?.health !== 'up')
    await new Promise((r) => setTimeout(r, 50));
  console.log(
    `private Prometheus ${prom.version}: ready in ${ready.toFixed(0)} ms, first scrape ${(performance.now() - first + ready).toFixed(0)} ms after start`,
  );
  await new Promise((r) => setTimeout(r, 3000));
  const dir = await mkdtemp(join(tmpdir(), 'mlperf-bench-export-'));
  const end = Date.now() / 1000;
  t = performance.now();
  const report = await exportQueries({
    client: prom.client,
    queries: CATALOGUE,
    start: end - 3600,
    end,
    dir,
  });
  ms = performance.now() - t;
  console.log(
    `exportQueries: ${CATALOGUE.length} catalogue queries over 1 h at step ${report.step}s in ${ms.toFixed(0)} ms`,
  );
  await rm(dir, { recursive: true, force: true });
  await prom.stop();
}
await new Promise<void>((r) => metrics.close(() => r()));
