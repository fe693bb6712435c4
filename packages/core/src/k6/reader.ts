import { NameCache, unescapeJson } from './point.js';
import { PointScanner } from './scan.js';
import { Role, type SecondsAccumulator } from './seconds.js';
import { ThresholdAggregate } from './thresholds.js';
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

/** Whether the line ending at `nl` ends as k6 ends a point: `}}}` or `"tags":null}}`. */
function endsPoint(b: Buffer, nl: number): boolean {
  const e = b[nl - 1] === 13 ? nl - 1 : nl;
  return b[e - 1] === 125 && b[e - 2] === 125 && (b[e - 3] === 125 || b[e - 3] === 108);
}

/** The tags of the point being read, from scanned bytes or a parsed object. */
interface PointTags {
  get(key: string): string | undefined;
}

/** Tags of the line just scanned: the ones the importer reads are decoded from their noted bytes. */
class ScannedTags implements PointTags {
  buf: Buffer = Buffer.alloc(0);
  constructor(
    private readonly sc: PointScanner,
    private readonly values: NameCache,
  ) {}

  get(key: string): string | undefined {
    const sc = this.sc;
    if (key === 'corridor')
      return sc.corridorS < 0 ? undefined : this.values.get(this.buf, sc.corridorS, sc.corridorE);
    if (key === 'status')
      return sc.statusS < 0 ? undefined : this.values.get(this.buf, sc.statusS, sc.statusE);
    if (key === 'error_type')
      return sc.errorS < 0 ? undefined : this.values.get(this.buf, sc.errorS, sc.errorE);
    // Any other tag (submetric filters): the scanned object is valid JSON.
    if (sc.tagsE <= sc.tagsS) return undefined;
    const tags = JSON.parse(this.buf.toString('utf8', sc.tagsS, sc.tagsE)) as Record<string, unknown>;
    const v = tags[key];
    return typeof v === 'string' ? v : undefined;
  }
}

class ObjectTags implements PointTags {
  constructor(private readonly tags: Record<string, unknown>) {}
  get(key: string): string | undefined {
    const v = this.tags[key];
    return typeof v === 'string' ? v : undefined;
  }
}

/** Reads the lines of one file into the shared state; its own clock and pairing memory. */
export class FileReader {
  private readonly times = new TimeReader();
  private readonly names = new NameCache();
  private readonly values = new NameCache(unescapeJson);
  private readonly sc = new PointScanner();
  private readonly scanned = new ScannedTags(this.sc, this.values);
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

  /**
   * Reads whole lines: k6's own Point layout by the byte scanner, anything else by JSON.parse. A
   * point of a metric the import does not read is skipped once its name is known (its line only
   * checked to end as k6 ends a point; a damaged one goes to JSON.parse).
   */
  chunk(buf: Buffer): void {
    const len = buf.length;
    const sc = this.sc;
    this.scanned.buf = buf;
    let i = 0;
    while (i < len) {
      let e = sc.head(buf, i, len);
      if (e >= 0) {
        const metric = this.names.get(buf, sc.nameS, sc.nameE);
        const role = this.st.role(metric);
        if (role === SKIP) {
          e = buf.indexOf(10, e);
          if (e < 0) e = len;
          if (endsPoint(buf, e)) {
            this.lines++;
            i = e + 1;
            continue;
          }
        } else {
          e = sc.rest(buf, len);
          if (e >= 0) {
            this.lines++;
            this.scannedPoint(metric, role, buf);
            i = e + 1;
            continue;
          }
        }
      }
      let nl = buf.indexOf(10, i);
      if (nl < 0) nl = len;
      if (nl > i) {
        this.lines++;
        this.slow(buf.toString('utf8', i, buf[nl - 1] === 13 ? nl - 1 : nl));
      }
      i = nl + 1;
    }
  }

  private scannedPoint(metric: string, role: number, buf: Buffer): void {
    const ms = this.times.at(buf, this.sc.timeS, this.sc.timeE);
    if (Number.isNaN(ms))
      this.st.bad(this.name, this.lines, `a ${metric} point without a readable time or value`);
    else this.point(metric, role, ms, this.sc.value, this.scanned);
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
    const d = o?.data as { time?: unknown; value?: unknown; tags?: unknown } | undefined;
    if (o?.type !== 'Point' || typeof o.metric !== 'string' || !d) return;
    const role = this.st.role(o.metric);
    if (role === SKIP) return;
    const ms = typeof d.time === 'string' ? this.times.parse(d.time) : Number.NaN;
    if (Number.isNaN(ms) || typeof d.value !== 'number') {
      this.st.bad(this.name, this.lines, `a ${o.metric} point without a readable time or value`);
      return;
    }
    const tags = d.tags && typeof d.tags === 'object' ? (d.tags as Record<string, unknown>) : {};
    this.point(o.metric, role, ms, d.value, new ObjectTags(tags));
  }

  private point(metric: string, role: number, ms: number, value: number, tags: PointTags): void {
    this.points++;
    if (ms > this.maxMs) this.maxMs = ms;
    const aggs = this.st.thresholds.get(metric);
    if (aggs) for (const a of aggs) if (a.filters.length === 0 || a.matches((k) => tags.get(k))) a.add(value);
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
    const corridor = tags.get('corridor');
    if (role === Role.HttpDuration || role === Role.E2e || role === Role.Ack) {
      if (role === Role.HttpDuration) {
        this.httpDur = value;
        this.httpAt = ms;
        this.httpStatus = tags.get('status');
      }
      acc.add(role as Role, ms - value, ms, value, corridor);
      return;
    }
    // Outcomes: the transfer started when its (last) request did.
    const sinceHttp = ms - this.httpAt;
    const near = sinceHttp >= 0 && sinceHttp < 1000;
    const startMs = near ? this.httpAt - this.httpDur : ms;
    const failed = role === Role.HttpFailed ? value !== 0 : value === 0;
    acc.add(role as Role, startMs, ms, value, corridor, failed ? this.errorType(tags, near) : undefined);
  }

  /** Error type of a failed outcome: its `error_type` tag, else the HTTP status (`http:500`, `connection`). */
  private errorType(tags: PointTags, nearHttp: boolean): string | undefined {
    const et = tags.get('error_type');
    if (et !== undefined) return et;
    const status = tags.get('status') ?? (nearHttp ? this.httpStatus : undefined);
    if (status === undefined || status.startsWith('2')) return undefined;
    return status === '0' ? 'connection' : `http:${status}`;
  }
}
