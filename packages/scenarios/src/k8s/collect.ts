import { readFileSync, writeFileSync } from 'node:fs';
import type { TestDefinition, TimeseriesRecord } from '@mlperf/core';
import { ExitCode, MlperfError, type ResultsWriter } from '@mlperf/core';
import type { SimSecond } from '../dfsp-sim/seconds.js';
import { prometheusExporter } from '../k6/prometheus.js';
import { thresholdsPassed } from '../k6/run-manifest.js';
import { extractSummaries, type K6HandleSummary, toSummaryExport } from '../k6/summary.js';
import { mergeSummaries } from '../k6/summary-merge.js';
import { k8sTotals } from '../k6/totals.js';
import type { Cluster } from './cluster.js';
import { DFSP_SIM_DEFAULTS } from './dfsp-sim-manifests.js';
import type { K8sManifestOptions } from './manifests.js';
import { type K8sRun, sleep } from './run-state.js';
import { simSecondsToTimeseries } from './timeseries.js';

/**
 * After the TestRun finished: waits for the log streams (30 s at most), merges the runners'
 * summaries into k6-summary.json, exports metrics over the run window, imports the simulator's
 * seconds into timeseries.ndjson and ends the results directory `completed`. Whether every k6
 * threshold held.
 */
export async function collectResults(run: K8sRun, runners: Set<string>, since: number): Promise<boolean> {
  const { writer, note, options } = run;
  const endMs = Date.now();
  const t0 = Date.now();
  await Promise.race([Promise.all([...run.streams.values()].map((s) => s.done)), sleep(30_000)]);
  note(`log streams closed after ${Date.now() - t0} ms`);
  const summaries = await collectSummaries(run.cluster, runners, run.streams, writer, note);
  const merged = mergeSummaries(summaries);
  writer.writeK6Summary(toSummaryExport(merged));
  const startMs = run.startedAtMs ?? since;
  const exportMetrics =
    options.exportMetrics ?? (options.prometheus && prometheusExporter(options.prometheus));
  if (exportMetrics) {
    const metrics = await exportMetrics({
      start: new Date(startMs),
      end: new Date(endMs),
      dir: writer.dir,
      runId: run.runId,
    });
    if (metrics) writer.updateManifest({ metrics });
  }
  const records = await importSimSeconds(
    run.cluster,
    writer,
    run.manifestOptions,
    run.ctx.test,
    startMs,
    endMs,
    note,
  );
  const passed = thresholdsPassed(merged);
  writer.finish('completed', {
    totals: k8sTotals(records, merged),
    ...(summaries.length < runners.size
      ? { reason: `${runners.size - summaries.length} runner(s) printed no summary` }
      : {}),
  });
  note(`finished: ${summaries.length} runner summaries merged; thresholds ${passed ? 'passed' : 'crossed'}`);
  return passed;
}

/**
 * Per-second outcomes and latency from the DFSP simulator (through the API server's service
 * proxy) into timeseries.ndjson: k6's own points stay in the runner pods. Never fatal.
 */
async function importSimSeconds(
  cluster: Cluster,
  writer: ResultsWriter,
  o: K8sManifestOptions,
  test: TestDefinition,
  startMs: number,
  endMs: number,
  note: (m: string) => void,
): Promise<TimeseriesRecord[]> {
  const name = o.dfspSim?.name ?? DFSP_SIM_DEFAULTS.name;
  let records: TimeseriesRecord[] = [];
  const port = o.dfspSim?.port ?? DFSP_SIM_DEFAULTS.port;
  let source: string;
  try {
    const seconds = await cluster.proxyGetJson(
      name,
      port,
      `seconds-${Math.floor(startMs / 1000) * 1000}-${Math.ceil(endMs) + 1000}`,
    );
    records = simSecondsToTimeseries(seconds as SimSecond[], startMs, endMs, test);
    for (const r of records) writer.appendSecond(r);
    source = `dfsp-sim (${records.length} s)`;
  } catch (err) {
    source = `unavailable: ${(err as Error).message}`;
  }
  note(`timeseries: ${source}`);
  const executor = writer.current.executor;
  writer.updateManifest({
    executor: { ...executor, settings: { ...executor.settings, timeseries: source } },
  });
  return records;
}

async function collectSummaries(
  cluster: Cluster,
  runners: Set<string>,
  streams: Map<string, { path: string }>,
  writer: ResultsWriter,
  note: (m: string) => void,
): Promise<K6HandleSummary[]> {
  const all: K6HandleSummary[] = [];
  for (const r of [...runners].sort()) {
    const path = streams.get(r)?.path ?? writer.logPath(`${r}.log`);
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // never streamed
    }
    let found = extractSummaries(text, `logs/${r}.log`);
    if (found.length === 0) {
      text = await cluster.readLog(r, 'k6').catch(() => text);
      writeFileSync(path, text);
      found = extractSummaries(text, `logs/${r}.log`);
    }
    if (found.length === 0) note(`runner ${r} printed no summary`);
    for (const s of found) {
      writeFileSync(writer.logPath(`k6-summary-${r}.json`), `${JSON.stringify(s)}\n`);
      all.push(s);
    }
  }
  if (all.length === 0) {
    throw new MlperfError('K6_NO_SUMMARY', `none of the ${runners.size} runner pods printed a k6 summary`, {
      hint: 'the runners were killed before the end of the test; see their logs in logs/',
      exitCode: ExitCode.unavailable,
    });
  }
  return all;
}
