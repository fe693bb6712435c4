import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Band,
  type BandMetric,
  isResultsDirectory,
  MlperfError,
  type RunManifest,
  type TimeseriesRecord,
  errorMessage,
} from '@mlperf/core';
import { httpGet } from '../check/http.js';
import { promInstant } from '../check/prom-api.js';
import { remainingMs } from '../suite-run/orchestrator.js';
import { isSuiteDirectory, plannedMs, readSuiteManifest } from '../suite-run/suite-file.js';
import type { SuiteRunManifest } from '../suite-run/types.js';
import { bandOf } from './bands.js';
import { type LiveIssue, LiveIssueDetector } from './live-issues.js';
import { TimeseriesTail } from './tail.js';

export interface KeyMetricValue {
  metric: BandMetric;
  label: string;
  value?: number;
  unit: 'tps' | 'ratio' | 'ms';
  band?: Band;
  /** Window or source, e.g. `last 10 s`, `Prometheus`. */
  source: string;
}

export interface MonitorSnapshot {
  at: number;
  suite?: {
    name: string;
    status: SuiteRunManifest['status'];
    phase?: string;
    phaseUntil?: string;
    done: number;
    total: number;
    elapsedMs: number;
    remainingMs: number;
    tests: { testId: string; name: string; status: string; verdict?: string }[];
    statusReason?: string;
  };
  run?: {
    dir: string;
    testId: string;
    name: string;
    status: RunManifest['status'];
    elapsedS: number;
    plannedS: number;
    stage?: string;
    offeredRate?: number;
    /** Once the run has ended: the verdict of the one criteria engine (`MonitorSources.judge`). */
    verdict?: string;
    headline?: string;
  };
  metrics: KeyMetricValue[];
  /** Failed transfers of the last 5 minutes by error type. */
  errors: Record<string, number>;
  services: { service: string; healthy: boolean; detail: string }[];
  issues: LiveIssue[];
  /** True when nothing is running any more (the monitor may stop). */
  finished: boolean;
  notes: string[];
}

export interface MonitorSources {
  prometheusUrl?: string;
  health?: { service: string; url: string }[];
  /**
   * Judges a finished run (the CLI injects @mlperf/analysis, the one criteria engine); called once
   * per run directory after its run.json says it ended.
   */
  judge?: (runDir: string) => { verdict: string; headline: string };
}

const WINDOW_S = 10;
const RATE_WINDOW_S = 60;
const ERRORS_WINDOW_S = 300;

/**
 * Follows a suite directory or a single results directory and builds what `mlperf monitor` shows.
 * Keeps at most 5 minutes of seconds in memory.
 */
export class MonitorState {
  private tail: TimeseriesTail | undefined;
  private tailDir: string | undefined;
  private records: TimeseriesRecord[] = [];
  private detector = new LiveIssueDetector();
  private ownIssues: LiveIssue[] = [];
  private bands: RunManifest['definition']['bands'];
  /** What suite.json says about the target, used when no source is given on the command line. */
  private suiteTarget: SuiteRunManifest['target'] | undefined;

  constructor(
    readonly dir: string,
    private readonly sources: MonitorSources = {},
  ) {
    if (!isSuiteDirectory(dir) && !isResultsDirectory(dir)) {
      throw new MlperfError(
        'MONITOR_NOT_A_RUN',
        `${dir}: neither a suite directory (suite.json) nor a results directory (run.json)`,
        {
          hint: 'pass what `mlperf suite run` or `mlperf run` printed, or omit it to follow the newest under ./results',
        },
      );
    }
  }

  async refresh(now = Date.now()): Promise<MonitorSnapshot> {
    const snap: MonitorSnapshot = {
      at: now,
      metrics: [],
      errors: {},
      services: [],
      issues: [],
      finished: false,
      notes: [],
    };
    let runDir: string | undefined = this.dir;
    let suiteIssues: LiveIssue[] | undefined;
    if (isSuiteDirectory(this.dir)) {
      const m = readSuiteManifest(this.dir);
      this.suiteTarget = m.target;
      const current =
        m.tests.find((t) => t.status === 'running') ?? [...m.tests].reverse().find((t) => t.runDir);
      runDir = current?.runDir ? join(this.dir, current.runDir) : undefined;
      suiteIssues = current?.liveIssues;
      snap.suite = {
        name: m.suiteName,
        status: m.status,
        ...(m.current
          ? { phase: m.current.testId ? `${m.current.phase} ${m.current.testId}` : m.current.phase }
          : {}),
        ...(m.current?.until ? { phaseUntil: m.current.until } : {}),
        done: m.tests.filter((t) => t.status !== 'pending' && t.status !== 'running').length,
        total: m.tests.length,
        elapsedMs:
          (m.timings.endedAt ? Date.parse(m.timings.endedAt) : now) - Date.parse(m.timings.startedAt),
        remainingMs: m.status === 'running' ? remainingMs(m, now) : 0,
        tests: m.tests.map((t) => ({
          testId: t.testId,
          name: t.name,
          status: t.status,
          ...(t.verdict ? { verdict: t.verdict } : {}),
        })),
        ...(m.statusReason ? { statusReason: m.statusReason } : {}),
      };
      snap.finished = m.status !== 'running';
    }
    if (runDir && existsSync(join(runDir, 'run.json'))) {
      this.follow(runDir);
      const manifest = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunManifest;
      const last = this.records.at(-1);
      const started = Date.parse(manifest.startedAt);
      const ended = manifest.endedAt ? Date.parse(manifest.endedAt) : now;
      const stage = last ? manifest.stages.find((s) => s.index === last.stage) : manifest.stages.at(-1);
      snap.run = {
        dir: runDir,
        testId: manifest.testId,
        name: manifest.testName,
        status: manifest.status,
        elapsedS: Math.max(0, Math.round((ended - started) / 1000)),
        plannedS: Math.round(plannedS(manifest)),
        ...(stage ? { stage: stage.name } : {}),
        ...(last ? { offeredRate: last.offeredRate } : {}),
      };
      if (!snap.suite) snap.finished = manifest.status !== 'running';
      if (manifest.status !== 'running') Object.assign(snap.run, this.judged(runDir));
      this.keyMetrics(snap, manifest);
    }
    snap.issues = suiteIssues ?? this.ownIssues;
    await this.external(snap);
    return snap;
  }

  private verdicts = new Map<string, { verdict?: string; headline?: string }>();

  private judged(runDir: string): { verdict?: string; headline?: string } {
    const known = this.verdicts.get(runDir);
    if (known || !this.sources.judge) return known ?? {};
    let v: { verdict?: string; headline?: string };
    try {
      v = this.sources.judge(runDir);
    } catch (err) {
      v = { headline: `could not judge: ${errorMessage(err)}` };
    }
    this.verdicts.set(runDir, v);
    return v;
  }

  private follow(runDir: string): void {
    if (this.tailDir === runDir) {
      this.push(this.tail?.read() ?? []);
      return;
    }
    this.tailDir = runDir;
    this.tail = new TimeseriesTail(runDir);
    this.records = [];
    this.detector = new LiveIssueDetector();
    this.ownIssues = [];
    this.push(this.tail.read());
  }

  private push(rs: TimeseriesRecord[]): void {
    for (const r of rs) {
      this.records.push(r);
      this.ownIssues.push(...this.detector.push(r));
    }
    if (this.records.length > ERRORS_WINDOW_S) this.records.splice(0, this.records.length - ERRORS_WINDOW_S);
  }

  private keyMetrics(snap: MonitorSnapshot, manifest: RunManifest): void {
    const bands = manifest.definition.bands;
    this.bands = bands;
    const recent = this.records.slice(-WINDOW_S);
    const minute = this.records.slice(-RATE_WINDOW_S);
    const planned = recent.length > 0 ? avg(recent.map((r) => r.offeredRate)) : 0;
    const add = (
      metric: BandMetric,
      label: string,
      unit: KeyMetricValue['unit'],
      value: number | undefined,
      source: string,
    ) => {
      const k: KeyMetricValue = { metric, label, unit, source };
      if (value !== undefined && Number.isFinite(value)) {
        k.value = value;
        const b = bandOf(metric, value, { plannedTps: planned, ...(bands ? { bands } : {}) });
        if (b) k.band = b;
      }
      snap.metrics.push(k);
    };
    add(
      'tps',
      'TPS Achieved',
      'tps',
      recent.length ? avg(recent.map((r) => r.succeeded)) : undefined,
      `last ${recent.length} s`,
    );
    const { ok, failed } = sums(minute);
    const finished = ok + failed;
    add(
      'success-rate',
      'Success Rate',
      'ratio',
      finished ? ok / finished : undefined,
      `last ${minute.length} s`,
    );
    add('p95-latency', 'P95 Latency', 'ms', p95(recent), `last ${recent.length} s`);
    add(
      'error-rate',
      'Error Rate',
      'ratio',
      finished ? failed / finished : undefined,
      `last ${minute.length} s`,
    );
    for (const r of this.records)
      for (const [k, v] of Object.entries(r.failed)) snap.errors[k] = (snap.errors[k] ?? 0) + v;
    const engine = this.records.at(-1)?.engine;
    if (engine)
      snap.notes.push(
        `generator: CPU ${(engine.cpu * 100).toFixed(0)}%, event-loop lag p99 ${engine.eventLoopLagP99Ms.toFixed(1)} ms`,
      );
  }

  private async external(snap: MonitorSnapshot): Promise<void> {
    // a suite's own target: the hub it tests and the Prometheus it started, while they run
    const running = snap.suite?.status === 'running';
    const prom = this.sources.prometheusUrl ?? (running ? this.suiteTarget?.prometheusUrl : undefined);
    const bands = this.bands;
    if (prom) {
      const [cpu, mem, up] = await Promise.all([
        promInstant(
          prom,
          'max(sum by (container) (rate(container_cpu_usage_seconds_total{container!=""}[1m])) / on (container) sum by (container) (container_spec_cpu_quota{container!=""} / container_spec_cpu_period{container!=""}))',
        ),
        promInstant(
          prom,
          'max(sum by (container) (container_memory_working_set_bytes{container!=""}) / on (container) sum by (container) (container_spec_memory_limit_bytes{container!=""} > 0))',
        ),
        promInstant(prom, 'up'),
      ]);
      for (const [metric, label, r] of [
        ['cpu', 'CPU Usage', cpu],
        ['memory', 'Memory Usage', mem],
      ] as const) {
        const v = r.samples[0]?.value;
        const k: KeyMetricValue = { metric, label, unit: 'ratio', source: 'Prometheus, busiest container' };
        if (v !== undefined) {
          k.value = v;
          const b = bandOf(metric, v, bands ? { bands } : {});
          if (b) k.band = b;
        }
        snap.metrics.push(k);
        if (r.problem) snap.notes.push(r.problem);
      }
      for (const s of up.samples) {
        const name = s.labels.job ?? s.labels.instance ?? 'target';
        snap.services.push({
          service: name,
          healthy: s.value === 1,
          detail: s.value === 1 ? 'scrape up' : 'scrape down',
        });
      }
    } else {
      snap.metrics.push(
        { metric: 'cpu', label: 'CPU Usage', unit: 'ratio', source: 'needs --prometheus' },
        { metric: 'memory', label: 'Memory Usage', unit: 'ratio', source: 'needs --prometheus' },
      );
    }
    const own =
      running && this.suiteTarget?.url
        ? [{ service: 'ml-api-adapter', url: `${this.suiteTarget.url}/health` }]
        : [];
    for (const h of this.sources.health ?? own) {
      const a = await httpGet(h.url, { timeoutMs: 2000 });
      snap.services.push({
        service: h.service,
        healthy: a.ok,
        detail: a.error ?? (a.ok ? `HTTP ${a.status} in ${Math.round(a.ms)} ms` : `HTTP ${a.status}`),
      });
    }
  }
}

function plannedS(m: RunManifest): number {
  return plannedMs(m.definition.test) / 1000;
}

function sums(rs: TimeseriesRecord[]): { ok: number; failed: number } {
  let ok = 0;
  let failed = 0;
  for (const r of rs) {
    ok += r.succeeded;
    for (const v of Object.values(r.failed)) failed += v;
  }
  return { ok, failed };
}

/** Count-weighted mean of the per-second p95s: an approximation, labelled as such by the renderer. */
function p95(rs: TimeseriesRecord[]): number | undefined {
  let n = 0;
  let sum = 0;
  for (const r of rs) {
    const e = r.latency.e2e;
    if (!e || e.count === 0) continue;
    n += e.count;
    sum += e.p95 * e.count;
  }
  return n === 0 ? undefined : sum / n;
}

function avg(xs: number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The newest suite or results directory under `base` (what `mlperf monitor` follows by default). */
export function newestRunDirectory(base: string): string | undefined {
  if (!existsSync(base)) return undefined;
  let best: { dir: string; mtime: number } | undefined;
  for (const name of readdirSync(base)) {
    const dir = join(base, name);
    if (!(isSuiteDirectory(dir) || isResultsDirectory(dir))) continue;
    const file = join(dir, isSuiteDirectory(dir) ? 'suite.json' : 'run.json');
    const mtime = statSync(file).mtimeMs;
    if (!best || mtime > best.mtime) best = { dir, mtime };
  }
  return best?.dir;
}
