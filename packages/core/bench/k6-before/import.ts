import { existsSync, statSync } from 'node:fs';
import { ExitCode, MlperfError } from '../../src/errors.js';
import type { TimeseriesRecord } from '../../src/results/types.js';
import { type ChunkSource, lineChunks } from './lines.js';
import { ACK_METRIC, FileReader, ImportState } from './reader.js';
import { SecondsAccumulator } from '../../src/k6/seconds.js';
import type { K6ThresholdResult } from '../../src/k6/thresholds.js';

export interface K6NdjsonOptions {
  /** Rate metric of transfer outcomes (1 = success); default the first `*success*` Rate met. */
  outcomeMetric?: string;
  /** Trend of transfer end-to-end latency; default the first `*e2e*|*transfer*duration` Trend met. */
  e2eMetric?: string;
  /** Seconds a second stays open for points of slower files before it is reduced. Default 10. */
  lagS?: number;
}

/** What k6's `--out json` output said, per second of transfer start, with what could not be read. */
export interface K6NdjsonImport {
  /** One record per second from the first transfer start (s = 0), transfers in the second they started. */
  records: TimeseriesRecord[];
  /** Unix ms of the first transfer start and the last point. */
  startMs: number;
  endMs: number;
  /** Exact: last point minus first start, seconds. */
  durationS: number;
  thresholds: K6ThresholdResult[];
  checks: { passes: number; fails: number };
  /** Where latency and outcomes came from, in words for the report. */
  latencySource: string;
  outcomeSource: string | undefined;
  lines: number;
  points: number;
  /** Points that came after their second was reduced (merged, nothing lost). */
  latePoints: number;
  /** Per file: what was lost (damaged gzip, bad lines). Empty when everything was read. */
  damage: string[];
  problems: string[];
}

function checkFile(path: string): void {
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new MlperfError('K6_INPUT_NOT_FOUND', `${path}: no such file`, {
      hint: 'pass the file written by `k6 run --out json=<file>` (plain or .gz)',
      exitCode: ExitCode.badInput,
    });
  }
}

interface Source {
  src: ChunkSource;
  it: AsyncGenerator<Buffer>;
  reader: FileReader;
  done: boolean;
}

/**
 * Imports one or many k6 `--out json` files (plain or gzip; the files of parallel runners are read
 * side by side and merged by time). Memory: the open seconds (`lagS`) and per-second records.
 */
export async function importK6Ndjson(
  paths: string | string[],
  options: K6NdjsonOptions = {},
): Promise<K6NdjsonImport> {
  const list = Array.isArray(paths) ? paths : [paths];
  for (const p of list) checkFile(p);
  const acc = new SecondsAccumulator({
    outcomeMetric: false,
    httpFailed: false,
    e2eMetric: false,
    k6Gauges: false,
  });
  const st = new ImportState(acc, options);
  const lagMs = (options.lagS ?? 10) * 1000;
  const sources: Source[] = list.map((path) => {
    const src: ChunkSource = { path, gzip: false };
    return { src, it: lineChunks(src), reader: new FileReader(path, st), done: false };
  });
  for (;;) {
    const live = sources.filter((s) => !s.done);
    if (live.length === 0) break;
    // The file furthest behind in time goes next, so the others' seconds stay open until it catches up.
    let next = live[0] as Source;
    for (const s of live) if (s.reader.maxMs < next.reader.maxMs) next = s;
    const r = await next.it.next();
    if (r.done) next.done = true;
    else next.reader.chunk(r.value);
    const behind = Math.min(...sources.filter((s) => !s.done).map((s) => s.reader.maxMs));
    if (Number.isFinite(behind)) acc.flushBelow(Math.floor((behind - lagMs) / 1000));
  }
  const records = acc.finish();
  return result(st, acc, sources, records);
}

function result(
  st: ImportState,
  acc: SecondsAccumulator,
  sources: Source[],
  records: TimeseriesRecord[],
): K6NdjsonImport {
  const startMs = Number.isFinite(acc.firstStartMs) ? acc.firstStartMs : 0;
  const endMs = Number.isFinite(acc.lastEndMs) ? acc.lastEndMs : startMs;
  const durationS = Math.max(0, (endMs - startMs) / 1000);
  const damage = sources.flatMap((s) =>
    s.src.damage ? [`${s.src.path}: ${s.src.damage}; read ${s.reader.lines} lines before it`] : [],
  );
  if (st.badLines) damage.push(`${st.badLines} unreadable line(s) skipped (${st.firstBad.join('; ')})`);
  const problems: string[] = [];
  if (!st.outcomeMetric && !acc.flags.httpFailed)
    problems.push(
      'no transfer outcomes in the k6 output (no success Rate metric, no http_req_failed): success is unknown',
    );
  if (st.checks.fails > 0)
    problems.push(`${st.checks.fails} of ${st.checks.passes + st.checks.fails} k6 checks failed`);
  const latencySource = st.e2eMetric
    ? `k6 Trend ${st.e2eMetric}, timed by the script from each iteration's own start (k6 starts iterations on the arrival-rate schedule while VUs are free; not corrected for coordinated omission)`
    : 'k6 http_req_duration (one HTTP request, from when it was sent; not corrected for coordinated omission)';
  return {
    records,
    startMs,
    endMs,
    durationS: Math.round(durationS * 1000) / 1000,
    thresholds: [...st.thresholds.values()].flat().flatMap((a) => a.results(durationS)),
    checks: { ...st.checks },
    latencySource,
    outcomeSource: st.outcomeMetric ?? (acc.flags.httpFailed ? 'http_req_failed' : undefined),
    lines: sources.reduce((a, s) => a + s.reader.lines, 0),
    points: sources.reduce((a, s) => a + s.reader.points, 0),
    latePoints: acc.latePoints,
    damage,
    problems,
  };
}

export { ACK_METRIC };
