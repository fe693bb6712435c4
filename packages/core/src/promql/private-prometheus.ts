import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, createWriteStream, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { ExitCode, MlperfError } from '../errors.js';
import { PrometheusClient } from './client.js';
import { formatPromDuration, toSeconds } from './duration.js';
import { type RuleGroup, ruleFileYaml } from './recording-rules.js';

export interface ScrapeTarget {
  job: string;
  /** Full metrics URL, e.g. http://127.0.0.1:4000/metrics. */
  url: string;
}

export interface PrivatePrometheusOptions {
  scrapeTargets: ScrapeTarget[];
  /** Default `1s`. */
  scrapeInterval?: string;
  /** Path of the prometheus binary; else MLPERF_PROMETHEUS_BIN, else `prometheus` on PATH. */
  binary?: string;
  /** Rule groups to load (e.g. `validationRecordingRules()`). */
  recordingRules?: readonly RuleGroup[];
  /** Use this data dir and keep it on stop (restarts continue its data); default: a temp dir, removed on stop. */
  dataDir?: string;
  /** Accept k6 remote write on /api/v1/write. */
  remoteWriteReceiver?: boolean;
  /** --enable-feature=native-histograms (k6 native histograms). */
  nativeHistograms?: boolean;
  readyTimeoutMs?: number;
  /**
   * Wait until every target has been scraped once (default true). Prometheus applies new targets
   * only after about 5 s, so load started earlier would be missing from its data.
   */
  waitForFirstScrape?: boolean;
  /** Where Prometheus' own log goes (e.g. results/<run>/logs/prometheus.log); default a temp file. */
  logFile?: string;
  /** Restart it (same port and data) when it dies, up to 5 times; the gap shows as missing data. */
  restartOnCrash?: boolean;
  /** Port to listen on (127.0.0.1); default a free one. */
  port?: number;
}

export interface RunningPrometheus {
  running: true;
  url: string;
  client: PrometheusClient;
  pid: number;
  version: string;
  configFile: string;
  dataDir: string;
  logFile: string;
  /** Stops Prometheus (SIGTERM, then SIGKILL after 5 s) and removes temp files. */
  stop(): Promise<void>;
  /** Times it died and (with `restartOnCrash`) came back, unix seconds. */
  crashes: readonly { downAt: number; upAt?: number }[];
  /** Kills it abruptly (SIGKILL), keeping the data dir: a crash, for fault tests. */
  kill(): Promise<void>;
}

export interface DegradedPrometheus {
  running: false;
  /** Why no Prometheus runs. */
  reason: string;
  /** What the run does without it. */
  skipped: string[];
  install: string;
  stop(): Promise<void>;
}

export type PrivatePrometheus = RunningPrometheus | DegradedPrometheus;

const PROMETHEUS_INSTALL_HINT =
  'apt-get install prometheus (Debian/Ubuntu), or set MLPERF_PROMETHEUS_BIN to a prometheus binary';

/** Finds the prometheus binary: explicit path, MLPERF_PROMETHEUS_BIN, then PATH. */
export function findPrometheusBinary(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const candidates = explicit
    ? [explicit]
    : env.MLPERF_PROMETHEUS_BIN
      ? [env.MLPERF_PROMETHEUS_BIN]
      : (env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((d) => join(d, 'prometheus'));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** The prometheus.yml for a private instance. */
export function privatePrometheusConfig(
  targets: readonly ScrapeTarget[],
  scrapeInterval: string,
  ruleFiles: string[],
): string {
  const interval = formatPromDuration(toSeconds(scrapeInterval, 'scrape interval'));
  const lines = [
    '# Written by mlperf for a private Prometheus.',
    'global:',
    `  scrape_interval: ${interval}`,
    `  scrape_timeout: ${interval}`,
    `  evaluation_interval: ${interval}`,
  ];
  if (ruleFiles.length > 0) lines.push('rule_files:', ...ruleFiles.map((f) => `  - ${JSON.stringify(f)}`));
  lines.push('scrape_configs:');
  const jobs = new Map<string, URL[]>();
  for (const t of targets) {
    let u: URL;
    try {
      u = new URL(t.url);
    } catch {
      throw new MlperfError(
        'PROMETHEUS_BAD_TARGET',
        `scrape target ${t.job} has no valid URL: ${JSON.stringify(t.url)}`,
        {
          hint: 'give the full metrics URL, e.g. http://127.0.0.1:4000/metrics',
        },
      );
    }
    if (!/^[a-zA-Z_][a-zA-Z0-9_-]*$/.test(t.job)) {
      throw new MlperfError(
        'PROMETHEUS_BAD_TARGET',
        `scrape job name ${JSON.stringify(t.job)} is not valid`,
        { hint: 'use letters, digits, _ and -' },
      );
    }
    jobs.set(t.job, [...(jobs.get(t.job) ?? []), u]);
  }
  for (const [job, urls] of jobs) {
    const byPath = new Map<string, URL[]>();
    for (const u of urls)
      byPath.set(`${u.protocol}${u.pathname}${u.search}`, [
        ...(byPath.get(`${u.protocol}${u.pathname}${u.search}`) ?? []),
        u,
      ]);
    let i = 0;
    for (const group of byPath.values()) {
      const first = group[0] as URL;
      lines.push(`  - job_name: ${JSON.stringify(byPath.size > 1 ? `${job}-${i++}` : job)}`);
      lines.push(
        `    scheme: ${first.protocol.replace(':', '')}`,
        `    metrics_path: ${JSON.stringify(first.pathname)}`,
      );
      const params = [...first.searchParams.entries()];
      if (params.length) {
        lines.push('    params:');
        for (const [k, v] of params) lines.push(`      ${JSON.stringify(k)}: [${JSON.stringify(v)}]`);
      }
      lines.push(
        '    static_configs:',
        `      - targets: [${group.map((u) => JSON.stringify(u.host)).join(', ')}]`,
      );
      if (byPath.size > 1) lines.push(`        labels: { job: ${JSON.stringify(job)} }`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const live = new Set<ChildProcess>();
/** Temp work dirs not yet removed by stop(): an exit (a second Ctrl-C) removes them too. */
const workDirs = new Set<string>();
let exitHook = false;
function onExit(): void {
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
    for (const d of workDirs) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
  });
}
function killOnExit(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  onExit();
}

/**
 * Starts Debian's `prometheus` on a free loopback port, scraping `scrapeTargets`, with its own
 * config and temp data dir, and waits for /-/ready. Without a binary it returns a degraded
 * result saying what is skipped and how to install it.
 */
export async function startPrivatePrometheus(options: PrivatePrometheusOptions): Promise<PrivatePrometheus> {
  const binary = findPrometheusBinary(options.binary);
  if (!binary) {
    return {
      running: false,
      reason: options.binary
        ? `no executable prometheus at ${options.binary}`
        : 'no prometheus binary on PATH (or MLPERF_PROMETHEUS_BIN)',
      skipped: [
        'Prometheus scraping of the hub and the engine',
        'the validation-query catalogue during the run (live view) and its export to metrics/',
        'hub-side and resource metrics (CPU, memory, Kafka lag, DB connections) in the analysis',
      ],
      install: PROMETHEUS_INSTALL_HINT,
      stop: async () => {},
    };
  }
  const scrapeInterval = options.scrapeInterval ?? '1s';
  const workDir = await mkdtemp(join(tmpdir(), 'mlperf-prometheus-'));
  workDirs.add(workDir);
  onExit();
  const dataDir = options.dataDir ?? join(workDir, 'data');
  await mkdir(dataDir, { recursive: true });
  const ruleFiles: string[] = [];
  if (options.recordingRules && options.recordingRules.length > 0) {
    const rulesPath = join(workDir, 'mlperf-rules.yml');
    await writeFile(rulesPath, ruleFileYaml(options.recordingRules));
    ruleFiles.push(rulesPath);
  }
  const configFile = join(workDir, 'prometheus.yml');
  await writeFile(configFile, privatePrometheusConfig(options.scrapeTargets, scrapeInterval, ruleFiles));
  const logFile = options.logFile ?? join(workDir, 'prometheus.log');
  await mkdir(dirname(logFile), { recursive: true });
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch({ binary, port, configFile, dataDir, logFile, workDir, options });
    } catch (err) {
      lastError = err;
      if (options.port !== undefined || !(err instanceof MlperfError && err.code === 'PROMETHEUS_PORT_TAKEN'))
        break;
    }
  }
  await rm(workDir, { recursive: true, force: true });
  workDirs.delete(workDir);
  throw lastError;
}

async function allScraped(client: PrometheusClient, expected: number): Promise<boolean> {
  try {
    const { data } = await client.targets({ state: 'active' });
    const scraped = data.activeTargets.filter((t) => t.health !== 'unknown');
    return scraped.length >= expected;
  } catch {
    return false;
  }
}

interface Proc {
  child: ChildProcess;
  exited: Promise<number | null>;
  exitCode?: number | null;
}

interface LaunchArgs {
  binary: string;
  port: number;
  configFile: string;
  dataDir: string;
  logFile: string;
  workDir: string;
  options: PrivatePrometheusOptions;
}

async function launch(a: LaunchArgs): Promise<RunningPrometheus> {
  const features = a.options.nativeHistograms ? ['--enable-feature=native-histograms'] : [];
  const args = [
    `--config.file=${a.configFile}`,
    `--storage.tsdb.path=${a.dataDir}`,
    `--web.listen-address=127.0.0.1:${a.port}`,
    '--storage.tsdb.retention.time=2d',
    '--web.enable-lifecycle',
    ...(a.options.remoteWriteReceiver ? ['--web.enable-remote-write-receiver'] : []),
    ...features,
  ];
  const log = createWriteStream(a.logFile, { flags: 'a' });
  const spawnOnce = (): Proc => {
    const child = spawn(a.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    killOnExit(child);
    const proc: Proc = {
      child,
      exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    };
    void proc.exited.then((code) => {
      proc.exitCode = code;
    });
    return proc;
  };
  let proc = spawnOnce();
  const child = proc.child;
  const exited = proc.exited;
  const url = `http://127.0.0.1:${a.port}`;
  const client = new PrometheusClient({ url, timeoutMs: 2000 });
  const deadline = Date.now() + (a.options.readyTimeoutMs ?? 30_000);
  while (!(await client.ready())) {
    const exitCode = proc.exitCode;
    if (exitCode !== undefined || Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      const tail = (await readFile(a.logFile, 'utf8').catch(() => ''))
        .split('\n')
        .filter(Boolean)
        .slice(-5)
        .join('\n');
      const taken = /address already in use/.test(tail);
      throw new MlperfError(
        taken ? 'PROMETHEUS_PORT_TAKEN' : 'PROMETHEUS_START_FAILED',
        exitCode !== undefined
          ? `prometheus exited (code ${exitCode}) before it was ready:\n${tail}`
          : `prometheus was not ready within ${a.options.readyTimeoutMs ?? 30_000} ms`,
        {
          hint: `see ${a.logFile}; check the binary with \`${a.binary} --version\``,
          exitCode: ExitCode.unavailable,
        },
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const version = (await client.buildInfo().catch(() => undefined))?.data.version ?? 'unknown';
  if (a.options.waitForFirstScrape !== false && a.options.scrapeTargets.length > 0) {
    const expected = new Set(a.options.scrapeTargets.map((t) => t.url)).size;
    while (!(await allScraped(client, expected))) {
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  let stopped = false;
  const crashes: { downAt: number; upAt?: number }[] = [];
  const supervise = (p: Proc) => {
    void p.exited.then(() => {
      if (stopped || !a.options.restartOnCrash || crashes.length >= 5) return;
      const crash: { downAt: number; upAt?: number } = { downAt: Date.now() / 1000 };
      crashes.push(crash);
      setTimeout(() => {
        if (stopped) return;
        proc = spawnOnce();
        supervise(proc);
        void client.waitReady(a.options.readyTimeoutMs ?? 30_000).then(
          () => {
            crash.upAt = Date.now() / 1000;
          },
          () => {},
        );
      }, 500);
    });
  };
  supervise(proc);
  const finish = async (signal: NodeJS.Signals) => {
    if (stopped) return;
    stopped = true;
    const current = proc;
    if (current.exitCode === undefined) {
      current.child.kill(signal);
      const timer = setTimeout(() => current.child.kill('SIGKILL'), 5000);
      await current.exited;
      clearTimeout(timer);
    }
    log.end();
  };
  return {
    running: true,
    url,
    client: new PrometheusClient({ url }),
    get pid() {
      return proc.child.pid ?? -1;
    },
    crashes,
    version,
    configFile: a.configFile,
    dataDir: a.dataDir,
    logFile: a.logFile,
    kill: () => finish('SIGKILL'),
    stop: async () => {
      await finish('SIGTERM');
      rmSync(a.workDir, { recursive: true, force: true });
      workDirs.delete(a.workDir);
    },
  };
}
