// The k6 NDJSON reader as it was before the byte scanner (scan.ts), kept only to compare speeds in
// k6-ndjson.bench.ts. Not used by anything else.
import {
  CORRIDOR,
  ERROR_TYPE,
  NameCache,
  POINT,
  PREFIX,
  STATUS,
  VALUE,
  numberAt,
  tagAt,
  unescapeJson,
} from './point.js';
import { Role, type SecondsAccumulator } from '../../src/k6/seconds.js';
import { ThresholdAggregate } from '../../src/k6/thresholds.js';
import { TimeReader } from './time.js';

const E2E = /(^|_)(e2e|transfer)(_|$).*duration|duration.*(e2e|transfer)/;
const SUCCESS = /(^|_)(transfer_)?success/;
/** The rendered scripts' prepare acknowledgement trend. */
export const ACK_METRIC = 'transfer_prepare_ack_duration';

// What a metric's points do, beside a Role: remembered for the next point, counted as checks.
const SKIP = -1;
const ITER_DURATION = -2;
const CHECKS = -3;
const THRESHOLD_ONLY = -4;

/** Metric roles and whole-run aggregates shared by every file of one import. */
export class ImportState {
  readonly roles = new Map<string, number>();
  readonly thresholds = new Map<string, ThresholdAggregate[]>();
  readonly checks = { passes: 0, fails: 0 };
  e2eMetric: string | undefined;
  outcomeMetric: string | undefined;
  badLines = 0;
  firstBad: string[] = [];

  constructor(
    readonly acc: SecondsAccumulator,
    options: { outcomeMetric?: string; e2eMetric?: string },
  ) {
    if (options.outcomeMetric) this.setOutcome(options.outcomeMetric);
    if (options.e2eMetric) this.setE2e(options.e2eMetric);
  }

  private setOutcome(name: string): void {
    this.outcomeMetric = name;
    this.acc.flags.outcomeMetric = true;
  }

  private setE2e(name: string): void {
    this.e2eMetric = name;
    this.acc.flags.e2eMetric = true;
  }

  /** The role of a metric, decided the first time it is met. */
  role(metric: string): number {
    const known = this.roles.get(metric);
    if (known !== undefined) return known;
    let r: number = SKIP;
    if (metric === 'iterations') r = Role.Iteration;
    else if (metric === 'iteration_duration') r = ITER_DURATION;
    else if (metric === 'dropped_iterations') r = Role.Dropped;
    else if (metric === 'vus') r = Role.Vus;
    else if (metric === 'vus_max') r = Role.VusMax;
    else if (metric === 'checks') r = CHECKS;
    else if (metric === 'http_req_failed') r = Role.HttpFailed;
    else if (metric === 'http_req_duration') r = Role.HttpDuration;
    else if (metric === ACK_METRIC) r = Role.Ack;
    else if (metric === this.outcomeMetric) r = Role.Outcome;
    else if (metric === this.e2eMetric) r = Role.E2e;
    else if (this.outcomeMetric === undefined && SUCCESS.test(metric)) {
      this.setOutcome(metric);
      r = Role.Outcome;
    } else if (this.e2eMetric === undefined && E2E.test(metric)) {
      this.setE2e(metric);
      r = Role.E2e;
    }
    if (r === Role.HttpFailed) this.acc.flags.httpFailed = true;
    if (r === Role.Vus || r === Role.VusMax || r === Role.Dropped) this.acc.flags.k6Gauges = true;
    if (r === SKIP && this.thresholds.has(metric)) r = THRESHOLD_ONLY;
    this.roles.set(metric, r);
    return r;
  }

  /** A `{"type":"Metric",...}` declaration: its thresholds are evaluated over the whole run. */
  declare(o: { name?: string; type?: string; thresholds?: unknown }): void {
    const list = Array.isArray(o.thresholds)
      ? o.thresholds.filter((t): t is string => typeof t === 'string')
      : [];
    if (!o.name || list.length === 0 || this.thresholds.has(o.name)) return;
    const type = o.type === 'counter' || o.type === 'gauge' || o.type === 'rate' ? o.type : 'trend';
    this.thresholds.set(o.name, [new ThresholdAggregate(o.name, type, list, {})]);
    if (this.roles.get(o.name) === SKIP) this.roles.set(o.name, THRESHOLD_ONLY);
  }

  bad(file: string, line: number, why: string): void {
    this.badLines++;
    if (this.firstBad.length < 3) this.firstBad.push(`${file}:${line}: ${why}`);
  }
}

/** Reads the lines of one file into the shared state; its own clock and pairing memory. */
export class FileReader {
  private readonly times = new TimeReader();
  private readonly names = new NameCache();
  private readonly tags = new NameCache(unescapeJson);
  private iterDur = 0;
  private iterAt = Number.NaN;
  private httpDur = 0;
  private httpAt = Number.NaN;
  private httpStatus: string | undefined;
  lines = 0;
  points = 0;
  /** Unix ms of the latest point of this file. */
  maxMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly name: string,
    private readonly st: ImportState,
  ) {}

  chunk(buf: Buffer): void {
    let start = 0;
    const len = buf.length;
    while (start < len) {
      let nl = buf.indexOf(10, start);
      if (nl < 0) nl = len;
      if (nl > start) this.line(buf, start, nl);
      start = nl + 1;
    }
  }

  private line(buf: Buffer, start: number, end: number): void {
    this.lines++;
    if (buf[end - 1] === 13) end--;
    if (end - start > 40 && buf.compare(PREFIX, 0, PREFIX.length, start, start + PREFIX.length) === 0) {
      const ns = start + PREFIX.length;
      const q = buf.indexOf(34, ns);
      if (q > ns && q < end) {
        const metric = this.names.get(buf, ns, q);
        const role = this.st.role(metric);
        if (role === SKIP) return;
        if (buf.compare(POINT, 0, POINT.length, q, q + POINT.length) === 0) {
          const t = q + POINT.length;
          const ms = this.times.at(buf, t, end);
          const vi = buf.indexOf(VALUE, t + 20);
          const value = vi > 0 && vi < end ? numberAt(buf, vi + VALUE.length, end) : undefined;
          if (!Number.isNaN(ms) && value !== undefined) {
            this.point(metric, role, ms, value, buf, vi, end, start);
            return;
          }
        }
      }
    }
    this.slow(buf.toString('utf8', start, end));
  }

  private slow(text: string): void {
    let o: { type?: string; metric?: string; data?: Record<string, unknown> };
    try {
      o = JSON.parse(text);
    } catch {
      this.st.bad(this.name, this.lines, 'not valid JSON (truncated line?)');
      return;
    }
    if (o?.type === 'Metric' && o.data) {
      this.st.declare(o.data as { name?: string });
      return;
    }
    const d = o?.data as
      | { time?: unknown; value?: unknown; tags?: Record<string, unknown> | null }
      | undefined;
    if (o?.type !== 'Point' || typeof o.metric !== 'string' || !d) return;
    const ms = typeof d.time === 'string' ? this.times.parse(d.time) : Number.NaN;
    if (Number.isNaN(ms) || typeof d.value !== 'number') {
      this.st.bad(this.name, this.lines, `a ${o.metric} point without a readable time or value`);
      return;
    }
    const role = this.st.role(o.metric);
    if (role === SKIP) return;
    // Re-encode the tags as k6 does, so the byte searches of the fast path apply.
    const line = Buffer.from(JSON.stringify({ value: d.value, tags: d.tags ?? {} }));
    this.point(o.metric, role, ms, d.value, line, 0, line.length, 0);
  }

  private point(
    metric: string,
    role: number,
    ms: number,
    value: number,
    buf: Buffer,
    vi: number,
    end: number,
    _start: number,
  ): void {
    this.points++;
    if (ms > this.maxMs) this.maxMs = ms;
    const aggs = this.st.thresholds.get(metric);
    if (aggs) for (const a of aggs) if (a.filters.length === 0) a.add(value); // (no submetric filters in NDJSON declarations)
    const acc = this.st.acc;
    switch (role) {
      case ITER_DURATION:
        this.iterDur = value;
        this.iterAt = ms;
        return;
      case CHECKS:
        if (value !== 0) this.st.checks.passes++;
        else this.st.checks.fails++;
        return;
      case THRESHOLD_ONLY:
        return;
      case Role.Iteration:
        acc.add(Role.Iteration, ms - (this.iterAt === ms ? this.iterDur : 0), ms, value);
        return;
      case Role.Dropped:
      case Role.Vus:
      case Role.VusMax:
        acc.add(role as Role, ms, ms, value);
        return;
    }
    const co = tagAt(buf, CORRIDOR, vi, end);
    const corridor = co ? this.tags.get(buf, co[0], co[1]) : undefined;
    if (role === Role.HttpDuration || role === Role.E2e || role === Role.Ack) {
      if (role === Role.HttpDuration) {
        this.httpDur = value;
        this.httpAt = ms;
        const st = tagAt(buf, STATUS, vi, end);
        this.httpStatus = st ? this.tags.get(buf, st[0], st[1]) : undefined;
      }
      acc.add(role as Role, ms - value, ms, value, corridor);
      return;
    }
    // Outcomes: the transfer started when its (last) request did.
    const sinceHttp = ms - this.httpAt;
    const startMs = sinceHttp >= 0 && sinceHttp < 1000 ? this.httpAt - this.httpDur : ms;
    const failed = role === Role.HttpFailed ? value !== 0 : value === 0;
    const near = sinceHttp >= 0 && sinceHttp < 1000;
    acc.add(
      role as Role,
      startMs,
      ms,
      value,
      corridor,
      failed ? this.errorType(buf, vi, end, near) : undefined,
    );
  }

  /** Error type of a failed outcome: its `error_type` tag, else the HTTP status (`http:500`, `connection`). */
  private errorType(buf: Buffer, vi: number, end: number, nearHttp: boolean): string | undefined {
    const et = tagAt(buf, ERROR_TYPE, vi, end);
    if (et) return this.tags.get(buf, et[0], et[1]);
    const st = tagAt(buf, STATUS, vi, end);
    const status = st ? this.tags.get(buf, st[0], st[1]) : nearHttp ? this.httpStatus : undefined;
    if (status === undefined || status.startsWith('2')) return undefined;
    return status === '0' ? 'connection' : `http:${status}`;
  }
}
