import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeData, analyzeRun, analyzeSuite, runDataOf } from '@mlperf/analysis';
import {
  type CostModel,
  planSuite,
  readResults,
  type SuiteDefinition,
  type TestDefinition,
} from '@mlperf/core';
import { renderReport, renderSuiteReport } from '@mlperf/report';
import {
  type CheckInput,
  type ClusterNeed,
  HubAdmin,
  k6ScaleAdvice,
  type LikelyCause,
  type LiveSecond,
  parseQuantity,
  readSuiteManifest,
  runChecks,
  runTest,
  type RunTestOptions,
  type SuiteRunDeps,
} from '@mlperf/scenarios';
import { runDashboards } from './dashboards.js';
import { hubVersions } from './versions.js';
import { exportLive, exportRunMetrics, noteNoPrometheus } from './metrics.js';
import type { OpenTarget } from './target.js';

/** Finding kinds that name a cause (the others describe the symptom the live view already saw). */
const CAUSES = new Set([
  'db-pool-exhausted',
  'kafka-lag',
  'cpu-throttling',
  'memory-near-limit',
  'event-loop-lag',
  'generator-saturated',
  'k6-saturated',
  'resource-exhaustion',
  'memory-leak',
]);

/** The check's input for a suite against a target: the plan, what the k6 runners need, the probe. */
export function checkInput(
  suite: SuiteDefinition,
  target: OpenTarget,
  options: { cost?: CostModel; probe?: boolean } = {},
): CheckInput {
  const plan = planSuite(suite, options.cost ? { cost: options.cost } : {});
  const input: CheckInput = {
    suiteName: suite.name,
    ...(suite.profile ? { profile: suite.profile.name } : {}),
    dfsps: suite.dfsps,
    plan: {
      name: plan.name,
      durationMs: plan.durationMs,
      upperBound: plan.upperBound,
      tests: plan.tests.map((t) => ({
        testId: t.testId,
        peakRate: t.peakRate,
        upperBound: t.upperBound,
        durationMs: t.durationMs,
      })),
      liquidity: plan.liquidity.map((l) => ({
        dfsp: l.dfsp,
        needed: l.needed,
        upperBound: l.upperBound,
        currency: l.currency,
      })),
      ...(plan.cost
        ? { cost: { total: plan.cost.total, currency: plan.cost.currency, nodeHours: plan.cost.nodeHours } }
        : {}),
    },
    target: target.check,
    targetUrl: target.url,
    endpointsAtStart: target.adminUrl !== undefined,
  };
  if (target.check.kube) input.clusterNeed = clusterNeed(suite.tests);
  if (options.probe !== false) input.firstTransfer = () => firstTransfer(suite, target);
  return input;
}

/** What the k6 runner pods of the biggest bounded test request (k6ScaleAdvice). */
function clusterNeed(tests: TestDefinition[]): ClusterNeed | undefined {
  const bounded = tests.filter((t) => !t.stages.some((s) => s.kind === 'open-ramp'));
  let best: ClusterNeed | undefined;
  for (const t of bounded) {
    const a = k6ScaleAdvice(t);
    const need = {
      cpuCores: a.totalCpu,
      memoryBytes: parseQuantity(a.resources.requests.memory) * a.parallelism,
      source: `${t.id}: ${a.parallelism} k6 runner${a.parallelism === 1 ? '' : 's'} x ${a.resources.requests.cpu} CPU / ${a.resources.requests.memory}`,
    };
    if (!best || need.cpuCores > best.cpuCores) best = need;
  }
  return best;
}

/** The Phase-07 plan's "First test completed successfully": a few real transfers, one per corridor's worth, at 2 TPS. */
async function firstTransfer(suite: SuiteDefinition, target: OpenTarget) {
  const probe: TestDefinition = {
    id: 'first-transfer',
    name: 'First transfer',
    kind: 'custom',
    stages: [{ kind: 'constant', rate: 2, duration: '2s' }],
    criteria: [],
  };
  const dir = mkdtempSync(join(tmpdir(), 'mlperf-probe-'));
  try {
    const r = await runTest({
      suite: { ...suite, tests: [probe] },
      test: probe.id,
      target: {
        url: target.url,
        kind: target.kind,
        ...(target.adminUrl ? { adminUrl: target.adminUrl } : {}),
      },
      out: dir,
      minFreeBytes: 0,
      ...(target.enginePort !== undefined ? { callback: { port: target.enginePort } } : {}),
      ...probeOptions(target),
    });
    const failed = Object.entries(r.totals.failed);
    const ok = r.totals.started > 0 && r.totals.succeeded === r.totals.started;
    const numbers = [
      { label: 'transfers', value: r.totals.started },
      { label: 'committed', value: r.totals.succeeded },
    ];
    return {
      ok,
      detail: ok
        ? `${r.totals.succeeded} of ${r.totals.started} transfers committed end to end`
        : `${r.totals.succeeded} of ${r.totals.started} committed${failed.length ? `; failed: ${failed.map(([k, v]) => `${k} x${v}`).join(', ')}` : ''}`,
      numbers,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The callback probe's bound and its notes (printed on stderr: stdout may be JSON), and the lookup wait. */
export function probeOptions(
  target: OpenTarget,
): Pick<RunTestOptions, 'callbackProbe' | 'onNote' | 'lookupWaitMs'> {
  const lookup = target.lookupWaitMs !== undefined ? { lookupWaitMs: target.lookupWaitMs } : {};
  if (target.kind === 'embedded') return lookup;
  return {
    ...lookup,
    callbackProbe: target.callbackWaitMs !== undefined ? { waitMs: target.callbackWaitMs } : {},
    onNote: (line) => console.error(`note: ${line}`),
  };
}

export interface WireOptions {
  target: OpenTarget;
  /** Also capture the dashboards from this Grafana after each test. */
  grafanaUrl?: string;
  cost?: CostModel;
  probe?: boolean;
  /** One progress line per test second (the live view). */
  onSecond?: (testId: string, live: LiveSecond) => void;
}

/** The real dependencies of `runSuite`: the engine, the analyzer, the report and the hub admin API. */
export function wireSuite(options: WireOptions): SuiteRunDeps {
  const { target } = options;
  const admin = target.adminUrl ? new HubAdmin(target.adminUrl) : undefined;
  const client = target.prometheus;
  let versions: Promise<Record<string, string>> | undefined;
  const targetVersions = () => {
    versions ??= hubVersions(target);
    return versions;
  };
  return {
    reset: async (suite) => {
      if (!admin) return;
      await admin.reset(suite.dfsps);
    },
    check: async (suite) => {
      const report = await runChecks(
        checkInput(suite, target, {
          ...(options.cost ? { cost: options.cost } : {}),
          probe: options.probe ?? true,
        }),
      );
      // the probe moved positions: back to the suite's opening state before any load
      if (admin && options.probe !== false) await admin.reset(suite.dfsps);
      return report;
    },
    runTest: async ({ suite, test, suiteDir, signal, onStart }) => {
      const r = await runTest({
        suite,
        test: test.id,
        target: {
          url: target.url,
          kind: target.kind,
          ...(target.adminUrl ? { adminUrl: target.adminUrl } : {}),
          ...(target.hubProfile ? { hubProfile: target.hubProfile } : {}),
          ...(target.check.prometheusUrl ? { prometheusUrl: target.check.prometheusUrl } : {}),
        },
        out: suiteDir,
        signal,
        versions: await targetVersions(),
        ...(target.enginePort !== undefined ? { callback: { port: target.enginePort } } : {}),
        ...probeOptions(target),
        onStart: (info) => onStart(info.dir),
        ...(options.onSecond ? { onSecond: (live: LiveSecond) => options.onSecond?.(test.id, live) } : {}),
      });
      if (client) await exportRunMetrics(client, r.dir, target.metricPrefixes.prefixes);
      else noteNoPrometheus(r.dir, target.prometheusNote ?? 'no Prometheus watched this run');
      await runDashboards(r.dir, options.grafanaUrl);
      return { runDir: r.dir, status: r.status, ...(r.reason ? { reason: r.reason } : {}) };
    },
    analyzeRun: async (dir) => analyzeRun(dir),
    reportRun: async (dir) => {
      const r = renderReport(dir);
      return r.kind === 'test' ? r.report.path : r.suite.suiteReport;
    },
    analyzeSuite: async (dir) => {
      return analyzeSuite(dir, { suite: readSuiteManifest(dir).definition });
    },
    reportSuite: async (dir) => renderSuiteReport(dir, { renderTests: false }).suiteReport,
    explainIssue: async (_issue, runDir) => {
      const data = runDataOf(readResults(runDir));
      if (client) {
        const end = Date.now() / 1000;
        data.metrics = await exportLive(
          client,
          Math.max(data.startMs / 1000, end - 300),
          end,
          target.metricPrefixes.prefixes,
        );
      }
      const a = analyzeData(data);
      return a.findings
        .filter((f) => CAUSES.has(f.kind))
        .slice(0, 2)
        .map(
          (f): LikelyCause => ({
            kind: f.kind,
            title: f.title,
            confidence: f.confidence,
            evidence: f.summary,
            ...(f.subject ? { subject: f.subject } : {}),
            ...(f.fix?.action ? { fix: f.fix.action } : {}),
            ...(f.fix?.runbookScript ? { runbookScript: f.fix.runbookScript } : {}),
          }),
        );
    },
  };
}

/** Packs the suite directory into `<suite dir>/<suite name>-results.tar.gz` (built outside, then moved in). */
export async function packageInto(
  dir: string,
  name: string,
  pack: (dirs: string[], output: string) => Promise<unknown>,
): Promise<string> {
  const tmp = mkdtempSync(join(tmpdir(), 'mlperf-package-'));
  const file = `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}-results.tar.gz`;
  try {
    await pack([dir], join(tmp, file));
    // copy, not rename: the temp dir may be on another file system
    copyFileSync(join(tmp, file), join(dir, file));
    return join(dir, file);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
