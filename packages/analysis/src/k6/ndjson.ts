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

const PREFIX = '{"metric":"';

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
  lines = 0;
  points = 0;

  line(buf: Buffer, start: number, end: number): void {
    this.lines++;
    let p: Point | undefined;
    if (buf.toString('latin1', start, start + PREFIX.length) === PREFIX) {
      const q = buf.indexOf(34, start + PREFIX.length);
      const metric = buf.toString('latin1', start + PREFIX.length, q);
      if (!this.wanted(metric)) return;
      p = this.fast(buf.toString('utf8', start, end), metric);
    }
    if (!p) p = this.slow(buf.toString('utf8', start, end));
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

  private fast(text: string, metric: string): Point | undefined {
    if (text.indexOf('"type":"Point"') < 0)
      return text.indexOf('"type":"Metric"') >= 0 ? undefined : this.slow(text);
    const ti = text.indexOf('"time":"');
    const vi = text.indexOf('"value":', ti);
    if (ti < 0 || vi < 0) return this.slow(text);
    let ve = vi + 8;
    while (ve < text.length && text.charCodeAt(ve) !== 44 && text.charCodeAt(ve) !== 125) ve++;
    const value = Number(text.slice(vi + 8, ve));
    if (!Number.isFinite(value)) return this.slow(text);
    const p: Point = { metric, sec: this.second(text.slice(ti + 8, ti + 27)), value };
    const status = tag(text, '"status":"');
    if (status !== undefined) p.status = status;
    const corridor = tag(text, '"corridor":"');
    if (corridor !== undefined)
      p.corridor = corridor.includes('\\') ? (JSON.parse(`"${corridor}"`) as string) : corridor;
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

function tag(text: string, key: string): string | undefined {
  const i = text.indexOf(key);
  if (i < 0) return undefined;
  const e = text.indexOf('"', i + key.length);
  return e < 0 ? undefined : text.slice(i + key.length, e);
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
