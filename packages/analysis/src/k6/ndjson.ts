import type { CorridorSecond, TimeseriesRecord } from '@mlperf/core';
import { snapshotOf } from '../stats/latency.js';
import { forEachLine } from './lines.js';

/** k6 metrics the importer reads; every other line is skipped without being parsed. */
const WANTED = new Set([
  'iterations',
  'dropped_iterations',
  'http_reqs',
  'http_req_failed',
  'http_req_duration',
  'vus',
]);
const E2E = /(^|_)(e2e|transfer)(_|$).*duration|duration.*(e2e|transfer)/;
const SUCCESS = /(^|_)(transfer_)?success/;

interface Bucket {
  iterations: number;
  dropped: number;
  vus: number;
  /** status -> count of http_reqs */
  http: Map<string, number>;
  httpFailed: [number, number];
  success: [number, number];
  httpLatency: number[];
  e2e: number[];
  corridors: Map<string, { ok: number; fail: number; httpFail: number; e2e: number[]; http: number[] }>;
}

function newBucket(): Bucket {
  return {
    iterations: 0,
    dropped: 0,
    vus: 0,
    http: new Map(),
    httpFailed: [0, 0],
    success: [0, 0],
    httpLatency: [],
    e2e: [],
    corridors: new Map(),
  };
}

interface Point {
  metric: string;
  sec: number;
  value: number;
  status?: string;
  corridor?: string;
}

const PREFIX_B = Buffer.from('{"metric":"');
const POINT_B = Buffer.from('","type":"Point","data":{"time":"');
const METRIC_B = Buffer.from('","type":"Metric"');
const VALUE_B = Buffer.from('"value":');
const STATUS_B = Buffer.from('"status":"');
const CORRIDOR_B = Buffer.from('"corridor":"');

/** Decodes short strings (metric names, tag values) once; later hits compare bytes without allocating. */
class NameCache {
  private readonly map = new Map<number, { bytes: Buffer; value: string }[]>();
  constructor(private readonly decode: (raw: string) => string) {}

  get(buf: Buffer, s: number, e: number): string {
    const len = e - s;
    const key =
      len * 16_777_216 + (buf[s] ?? 0) * 65_536 + (buf[s + (len >> 1)] ?? 0) * 256 + (buf[e - 1] ?? 0);
    let list = this.map.get(key);
    if (list) for (const n of list) if (buf.compare(n.bytes, 0, len, s, e) === 0) return n.value;
    const value = this.decode(buf.toString('utf8', s, e));
    if (!list) {
      list = [];
      this.map.set(key, list);
    }
    if (list.length < 8) list.push({ bytes: Buffer.from(buf.subarray(s, e)), value });
    return value;
  }
}

/** The bytes of a tag value (`"status":"202"` -> 202), searched from `from` within the line. */
function tagAt(buf: Buffer, key: Buffer, from: number, end: number): [number, number] | undefined {
  const i = buf.indexOf(key, from);
  if (i < 0 || i >= end) return undefined;
  const s = i + key.length;
  const q = buf.indexOf(34, s);
  return q < 0 || q > end ? undefined : [s, q];
}

/** Parses a JSON number from bytes without allocating; undefined for anything unusual (then JSON.parse decides). */
function parseNumber(buf: Buffer, i: number, end: number): number | undefined {
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
  }
  let int = 0;
  let digits = 0;
  let c = buf[i] ?? 0;
  while (i < end && c >= 48 && c <= 57) {
    int = int * 10 + (c - 48);
    digits++;
    c = buf[++i] ?? 0;
  }
  let frac = 0;
  let scale = 1;
  if (c === 46) {
    c = buf[++i] ?? 0;
    while (i < end && c >= 48 && c <= 57) {
      frac = frac * 10 + (c - 48);
      scale *= 10;
      digits++;
      c = buf[++i] ?? 0;
    }
  }
  if (digits === 0 || digits > 15 || (c !== 44 && c !== 125)) return undefined;
  const v = int + frac / scale;
  return neg ? -v : v;
}

/** Fast path for k6's own layout (`{"metric":"x","type":"Point","data":{"time":..,"value":..,"tags":{..}}}`); JSON.parse otherwise. */
export class K6NdjsonReader {
  private readonly buckets = new Map<number, Bucket>();
  private readonly secCache = new Map<string, number>();
  readonly records: TimeseriesRecord[] = [];
  readonly problems: string[] = [];
  private maxSec = Number.NEGATIVE_INFINITY;
  private minSec = Number.POSITIVE_INFINITY;
  private e2eMetric: string | undefined;
  private successMetric: string | undefined;
  private bad = 0;
  private lastTime: Buffer = Buffer.alloc(0);
  private lastSec = 0;
  private readonly names = new NameCache((raw) => raw);
  private readonly corridorNames = new NameCache((raw) =>
    raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw,
  );
  lines = 0;
  points = 0;

  line(buf: Buffer, start: number, end: number): void {
    this.lines++;
    let p: Point | undefined;
    if (
      end - start > PREFIX_B.length &&
      buf.compare(PREFIX_B, 0, PREFIX_B.length, start, start + PREFIX_B.length) === 0
    ) {
      const ns = start + PREFIX_B.length;
      const q = buf.indexOf(34, ns);
      if (q < 0 || q >= end) {
        this.addSlow(buf, start, end);
        return;
      }
      const metric = this.names.get(buf, ns, q);
      if (!this.wanted(metric)) return;
      if (buf.compare(POINT_B, 0, POINT_B.length, q, Math.min(end, q + POINT_B.length)) === 0)
        p = this.fast(buf, q + POINT_B.length, end, metric);
      else if (buf.compare(METRIC_B, 0, METRIC_B.length, q, Math.min(end, q + METRIC_B.length)) === 0) return;
    }
    if (p) this.add(p);
    else this.addSlow(buf, start, end);
  }

  private addSlow(buf: Buffer, start: number, end: number): void {
    const p = this.slow(buf.toString('utf8', start, end));
    if (p) this.add(p);
  }

  private wanted(metric: string): boolean {
    if (WANTED.has(metric)) return true;
    if (metric === this.e2eMetric || metric === this.successMetric) return true;
    if (this.e2eMetric === undefined && E2E.test(metric)) {
      this.e2eMetric = metric;
      return true;
    }
    if (this.successMetric === undefined && SUCCESS.test(metric) && metric !== 'http_req_failed') {
      this.successMetric = metric;
      return true;
    }
    return false;
  }

  private second(iso: string): number {
    const key = iso.slice(0, 19);
    let s = this.secCache.get(key);
    if (s === undefined) {
      s = Math.floor(Date.parse(`${key}Z`) / 1000);
      if (this.secCache.size > 64) this.secCache.clear();
      this.secCache.set(key, s);
    }
    return s;
  }

  /** `t` points at the time string, right after `..."data":{"time":"`. */
  private fast(buf: Buffer, t: number, end: number, metric: string): Point | undefined {
    if (t + 19 > end) return undefined;
    let sec: number;
    if (this.lastTime.length === 19 && buf.compare(this.lastTime, 0, 19, t, t + 19) === 0) sec = this.lastSec;
    else {
      sec = this.second(buf.toString('latin1', t, t + 19));
      this.lastTime = Buffer.from(buf.subarray(t, t + 19));
      this.lastSec = sec;
    }
    const vi = buf.indexOf(VALUE_B, t + 19);
    if (vi < 0 || vi >= end) return undefined;
    const value = parseNumber(buf, vi + VALUE_B.length, end);
    if (value === undefined) return undefined;
    const p: Point = { metric, sec, value };
    if (metric === 'http_reqs') {
      const st = tagAt(buf, STATUS_B, vi, end);
      if (st) p.status = this.names.get(buf, st[0], st[1]);
    }
    if (
      metric !== 'http_reqs' &&
      metric !== 'iterations' &&
      metric !== 'vus' &&
      metric !== 'dropped_iterations'
    ) {
      const co = tagAt(buf, CORRIDOR_B, vi, end);
      if (co) p.corridor = this.corridorNames.get(buf, co[0], co[1]);
    }
    return p;
  }

  private slow(text: string): Point | undefined {
    let o: {
      type?: string;
      metric?: string;
      data?: { time?: string; value?: number; tags?: Record<string, string> | null };
    };
    try {
      o = JSON.parse(text);
    } catch {
      this.bad++;
      if (this.bad <= 3) this.problems.push(`line ${this.lines}: not valid JSON (truncated?); skipped`);
      return undefined;
    }
    if (o.type !== 'Point' || !o.metric || !o.data?.time || typeof o.data.value !== 'number')
      return undefined;
    if (!this.wanted(o.metric)) return undefined;
    const p: Point = { metric: o.metric, sec: this.second(o.data.time), value: o.data.value };
    const tags = o.data.tags ?? {};
    if (tags.status !== undefined) p.status = tags.status;
    if (tags.corridor !== undefined) p.corridor = tags.corridor;
    return p;
  }

  private add(p: Point): void {
    this.points++;
    if (p.sec > this.maxSec) {
      this.maxSec = p.sec;
      this.flush(this.maxSec - 10);
    }
    if (p.sec < this.minSec) this.minSec = p.sec;
    let b = this.buckets.get(p.sec);
    if (!b) {
      b = newBucket();
      this.buckets.set(p.sec, b);
    }
    const corridor = p.corridor !== undefined ? corridorOf(b, p.corridor) : undefined;
    switch (p.metric) {
      case 'iterations':
        b.iterations += p.value;
        return;
      case 'dropped_iterations':
        b.dropped += p.value;
        return;
      case 'vus':
        b.vus = Math.max(b.vus, p.value);
        return;
      case 'http_reqs': {
        const s = p.status ?? '?';
        b.http.set(s, (b.http.get(s) ?? 0) + p.value);
        return;
      }
      case 'http_req_failed':
        b.httpFailed[p.value ? 1 : 0]++;
        if (corridor && p.value) corridor.httpFail++;
        return;
      case 'http_req_duration':
        b.httpLatency.push(p.value);
        corridor?.http.push(p.value);
        return;
    }
    if (p.metric === this.e2eMetric) {
      b.e2e.push(p.value);
      corridor?.e2e.push(p.value);
    } else if (p.metric === this.successMetric) {
      b.success[p.value ? 0 : 1]++;
      if (corridor) p.value ? corridor.ok++ : corridor.fail++;
    }
  }

  /** Turns every bucket up to `upTo` (inclusive) into a TimeseriesRecord. */
  flush(upTo = Number.POSITIVE_INFINITY): void {
    const done = [...this.buckets.keys()].filter((s) => s <= upTo).sort((a, b) => a - b);
    for (const sec of done) {
      this.records.push(this.toRecord(sec, this.buckets.get(sec) as Bucket));
      this.buckets.delete(sec);
    }
  }

  private toRecord(sec: number, b: Bucket): TimeseriesRecord {
    const useSuccess = this.successMetric !== undefined;
    const ok = useSuccess ? b.success[0] : b.httpFailed[0];
    const fail = useSuccess ? b.success[1] : b.httpFailed[1];
    const failed = errorTypes(b.http, fail);
    const lat = snapshotOf(this.e2eMetric !== undefined ? b.e2e : b.httpLatency);
    const corridors: Record<string, CorridorSecond> = {};
    for (const [name, c] of b.corridors) {
      const cOk = useSuccess ? c.ok : c.http.length - c.httpFail;
      const cFail = useSuccess ? c.fail : c.httpFail;
      const e2e = snapshotOf(this.e2eMetric !== undefined ? c.e2e : c.http);
      corridors[name] = {
        offered: cOk + cFail,
        started: cOk + cFail,
        dropped: 0,
        succeeded: cOk,
        failed: cFail ? { unclassified: cFail } : {},
        ...(e2e ? { e2e } : {}),
      };
    }
    const started = b.iterations || ok + fail;
    return {
      t: sec * 1000,
      s: 0,
      stage: 0,
      offeredRate: started + b.dropped,
      offered: started + b.dropped,
      started,
      dropped: b.dropped,
      succeeded: ok,
      failed,
      inFlight: b.vus,
      latency: lat ? { e2e: lat } : {},
      corridors,
    };
  }

  /** Ends the stream: flushes the rest and numbers the seconds from the first one, filling gaps with empty seconds. */
  finish(): TimeseriesRecord[] {
    this.flush();
    if (this.bad > 3) this.problems.push(`${this.bad} lines in all were not valid JSON`);
    this.records.sort((a, b) => a.t - b.t);
    const out: TimeseriesRecord[] = [];
    const t0 = this.records[0]?.t ?? 0;
    for (const r of this.records) {
      const prev = out[out.length - 1];
      if (prev && r.t === prev.t) {
        merge(prev, r);
        continue;
      }
      r.s = Math.round((r.t - t0) / 1000);
      out.push(r);
    }
    return out;
  }

  get latencyMetric(): string {
    return this.e2eMetric ?? 'http_req_duration';
  }

  get successSource(): string {
    return this.successMetric ?? 'http_req_failed';
  }
}

function merge(into: TimeseriesRecord, r: TimeseriesRecord): void {
  into.started += r.started;
  into.offered += r.offered;
  into.offeredRate += r.offeredRate;
  into.dropped += r.dropped;
  into.succeeded += r.succeeded;
  for (const [k, v] of Object.entries(r.failed)) into.failed[k] = (into.failed[k] ?? 0) + v;
}

function corridorOf(b: Bucket, name: string) {
  let c = b.corridors.get(name);
  if (!c) {
    c = { ok: 0, fail: 0, httpFail: 0, e2e: [], http: [] };
    b.corridors.set(name, c);
  }
  return c;
}

/** Failures by type from http_reqs statuses (`http:500`, `connection` for status 0); the rest `unclassified`. */
function errorTypes(http: Map<string, number>, failed: number): Record<string, number> {
  const out: Record<string, number> = {};
  let typed = 0;
  for (const [status, n] of http) {
    const code = Number(status);
    if (status === '0') out.connection = (out.connection ?? 0) + n;
    else if (code >= 400) out[`http:${status}`] = (out[`http:${status}`] ?? 0) + n;
    else continue;
    typed += n;
  }
  if (failed > typed) out.unclassified = failed - typed;
  return out;
}

export async function readK6Ndjson(path: string): Promise<K6NdjsonReader> {
  const reader = new K6NdjsonReader();
  await forEachLine(path, (buf, s, e) => reader.line(buf, s, e));
  return reader;
}
