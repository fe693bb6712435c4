import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { CorridorSecond, LatencySnapshot, TestDefinition, TimeseriesRecord } from '@mlperf/core';
import { rateAt, timeStages } from '@mlperf/core';
import { K6_METRICS } from './options.js';

/** A `k6 run --out json` line of type Point. */
interface K6Point {
  type: 'Point';
  metric: string;
  data: { time: string; value: number; tags: Record<string, string> | null };
}

interface Bucket {
  stageVotes: Map<number, number>;
  started: number;
  iterations: number;
  dropped: number;
  succeeded: number;
  failed: Record<string, number>;
  inFlight?: number;
  e2e: number[];
  ack: number[];
  corridors: Map<
    string,
    { started: number; succeeded: number; failed: Record<string, number>; e2e: number[] }
  >;
}

const newBucket = (): Bucket => ({
  stageVotes: new Map(),
  started: 0,
  iterations: 0,
  dropped: 0,
  succeeded: 0,
  failed: {},
  e2e: [],
  ack: [],
  corridors: new Map(),
});

/** k6 writes nanoseconds; Date.parse wants at most milliseconds. */
function parseTime(t: string): number {
  return Date.parse(t.replace(/(\.\d{3})\d*(Z|[+-]\d\d:\d\d)$/, '$1$2'));
}

/** Count, min, mean, nearest-rank percentiles and max of the latencies of one second (ms). */
export function latencySnapshot(values: number[]): LatencySnapshot | undefined {
  if (values.length === 0) return undefined;
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => v[Math.max(0, Math.ceil(q * v.length) - 1)] as number;
  return {
    count: v.length,
    min: v[0] as number,
    mean: v.reduce((s, x) => s + x, 0) / v.length,
    p50: at(0.5),
    p90: at(0.9),
    p95: at(0.95),
    p99: at(0.99),
    max: v[v.length - 1] as number,
  };
}

export interface K6TimeseriesOptions {
  /** Unix ms of the run start; default: the first point's second. */
  startMs?: number;
  /** The test that ran: gives the planned rate and the stage of each second. */
  test?: TestDefinition;
  /** Seconds a second stays open for late points before it is written. Default 5. */
  lagS?: number;
}

/**
 * Turns k6's `--out json` points into mlperf's per-second timeseries: transfers started (the
 * prepare acknowledgements, or iterations for scripts without them), dropped iterations,
 * outcomes of `transfer_success` by `error_type`, in-flight VUs, e2e and ack latency, per corridor.
 * Seconds are emitted in order, each once; a point later than `lagS` is counted in `late`.
 */
export class K6TimeseriesBuilder {
  private readonly buckets = new Map<number, Bucket>();
  private readonly options: K6TimeseriesOptions;
  private readonly emit: (r: TimeseriesRecord) => void;
  private readonly timed;
  private startMs: number | undefined;
  private nextS = 0;
  private lastInFlight = 0;
  private sawAck = false;
  late = 0;

  constructor(emit: (r: TimeseriesRecord) => void, options: K6TimeseriesOptions = {}) {
    this.emit = emit;
    this.options = options;
    this.startMs = options.startMs;
    this.timed = options.test ? timeStages(options.test.stages) : undefined;
  }

  /** Feeds one NDJSON line; Metric declarations and unrelated metrics are ignored. */
  pushLine(line: string): void {
    if (!line.includes('"Point"')) return;
    const p = JSON.parse(line) as K6Point;
    if (p.type !== 'Point') return;
    const t = parseTime(p.data.time);
    if (this.startMs === undefined) this.startMs = Math.floor(t / 1000) * 1000;
    const s = Math.floor((t - this.startMs) / 1000);
    if (s < this.nextS) {
      this.late++;
      return;
    }
    let b = this.buckets.get(s);
    if (!b) {
      b = newBucket();
      this.buckets.set(s, b);
    }
    this.add(b, p);
    this.flushBefore(s - (this.options.lagS ?? 5));
  }

  private add(b: Bucket, p: K6Point): void {
    const tags = p.data.tags ?? {};
    const stage = tags.stage_index === undefined ? undefined : Number(tags.stage_index);
    if (stage !== undefined) b.stageVotes.set(stage, (b.stageVotes.get(stage) ?? 0) + 1);
    const corridor = tags.corridor;
    const c = corridor === undefined ? undefined : this.corridor(b, corridor);
    const v = p.data.value;
    switch (p.metric) {
      case K6_METRICS.ack:
        this.sawAck = true;
        b.started++;
        b.ack.push(v);
        if (c) c.started++;
        break;
      case 'iterations':
        b.iterations += v;
        break;
      case 'dropped_iterations':
        b.dropped += v;
        break;
      case 'vus':
        b.inFlight = v;
        break;
      case K6_METRICS.success: {
        if (v !== 0) {
          b.succeeded++;
          if (c) c.succeeded++;
        } else {
          const type = tags.error_type ?? 'unknown';
          b.failed[type] = (b.failed[type] ?? 0) + 1;
          if (c) c.failed[type] = (c.failed[type] ?? 0) + 1;
        }
        break;
      }
      case K6_METRICS.e2e:
        b.e2e.push(v);
        c?.e2e.push(v);
        break;
      default:
        break;
    }
  }

  private corridor(b: Bucket, name: string) {
    let c = b.corridors.get(name);
    if (!c) {
      c = { started: 0, succeeded: 0, failed: {}, e2e: [] };
      b.corridors.set(name, c);
    }
    return c;
  }

  private flushBefore(limitS: number): void {
    while (this.nextS < limitS) this.flushOne();
  }

  private flushOne(): void {
    const s = this.nextS++;
    const b = this.buckets.get(s) ?? newBucket();
    this.buckets.delete(s);
    const startMs = this.startMs ?? 0;
    const planned = this.timed ? rateAt(this.timed, s * 1000) : undefined;
    let stage = planned?.stage ?? 0;
    let votes = -1;
    for (const [st, n] of b.stageVotes) if (n > votes) [stage, votes] = [st, n];
    const started = this.sawAck ? b.started : b.iterations;
    if (b.inFlight !== undefined) this.lastInFlight = b.inFlight;
    const corridors: Record<string, CorridorSecond> = {};
    for (const [name, c] of b.corridors) {
      const cs: CorridorSecond = {
        offered: c.started,
        started: c.started,
        dropped: 0,
        succeeded: c.succeeded,
        failed: c.failed,
      };
      const e2e = latencySnapshot(c.e2e);
      if (e2e) cs.e2e = e2e;
      corridors[name] = cs;
    }
    const latency: TimeseriesRecord['latency'] = {};
    const e2e = latencySnapshot(b.e2e);
    const ack = latencySnapshot(b.ack);
    if (e2e) latency.e2e = e2e;
    if (ack) latency.ack = ack;
    this.emit({
      t: startMs + s * 1000,
      s,
      stage,
      offeredRate: planned?.rate ?? 0,
      offered: started + b.dropped,
      started,
      dropped: b.dropped,
      succeeded: b.succeeded,
      failed: b.failed,
      inFlight: this.lastInFlight,
      latency,
      corridors,
    });
  }

  /** Writes every second still open, up to the last one that received a point. */
  finish(): void {
    const last = Math.max(-1, ...this.buckets.keys());
    this.flushBefore(last + 1);
  }
}

/** Streams a k6 `--out json` file (gzipped when it ends in .gz) into per-second records. */
export async function k6NdjsonToTimeseries(
  path: string,
  emit: (r: TimeseriesRecord) => void,
  options: K6TimeseriesOptions = {},
): Promise<{ late: number }> {
  const file = createReadStream(path);
  const input = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  const builder = new K6TimeseriesBuilder(emit, options);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) if (line) builder.pushLine(line);
  builder.finish();
  return { late: builder.late };
}
