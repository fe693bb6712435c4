import type { DfspDefinition } from '@mlperf/core';
import { type ClusterNeed, checkClusterCapacity } from './cluster.js';
import { generatorSelfTest, judgeGenerator, type SelfTestResult } from './generator.js';
import { checkAlerts, checkResourceUtilisation } from './resources.js';
import { checkServicesHealthy, checkUptime } from './services.js';
import { checkTestData, type LiquidityNeed } from './test-data.js';
import type { CheckId, CheckNumber, CheckReport, CheckResult, CheckTarget } from './types.js';

/** The part of core's `SuitePlan` the checks need (structurally compatible with it). */
export interface CheckPlan {
  name: string;
  durationMs: number;
  upperBound: boolean;
  tests: { testId: string; peakRate: number; upperBound: boolean; durationMs: number }[];
  liquidity: (LiquidityNeed & { currency?: string })[];
  cost?: { total: number; currency: string; nodeHours?: number };
}

export interface CheckInput {
  suiteName: string;
  profile?: string;
  dfsps: DfspDefinition[];
  plan: CheckPlan;
  target: CheckTarget;
  /** Target URL for the report (never with credentials). */
  targetUrl?: string;
  /** Run only these checks. */
  only?: CheckId[];
  /** What the k6 runners will request from the cluster (k8s executor). */
  clusterNeed?: ClusterNeed;
  /** The engine registers its own callback endpoints when a test starts (embedded hub). */
  endpointsAtStart?: boolean;
  /** One real transfer through the target (the Phase-07 plan's "First test completed successfully"). */
  firstTransfer?: () => Promise<{ ok: boolean; detail: string; numbers?: CheckNumber[] }>;
  /** Injected self-test (tests); default: `generatorSelfTest()`. */
  selfTest?: () => Promise<SelfTestResult>;
  now?: () => number;
  /** Called as each check finishes (live output). */
  onResult?: (r: CheckResult) => void;
}

/** Runs every pre-test check in the Phase-07 plan's order and sums them up with the exit code to use. */
export async function runChecks(input: CheckInput): Promise<CheckReport> {
  const now = input.now ?? Date.now;
  const wanted = (id: CheckId) => !input.only || input.only.includes(id);
  const checks: CheckResult[] = [];
  const run = async (id: CheckId, fn: () => Promise<Omit<CheckResult, 'durationMs'>>) => {
    if (!wanted(id)) return;
    const t0 = performance.now();
    let r: Omit<CheckResult, 'durationMs'>;
    try {
      r = await fn();
    } catch (err) {
      r = {
        id,
        title: id,
        status: 'fail',
        reason: `the check itself failed: ${(err as Error).message}`,
        numbers: [],
      };
    }
    const result = { ...r, durationMs: Math.round(performance.now() - t0) };
    checks.push(result);
    input.onResult?.(result);
  };
  const { target, plan } = input;

  await run('services-healthy', () => checkServicesHealthy(target));
  const down = checks.find((c) => c.id === 'services-healthy' && c.unavailable);
  await run('uptime', () => checkUptime(target, now()));
  await run('resource-utilisation', () => checkResourceUtilisation(target));
  await run('no-firing-alerts', () => checkAlerts(target));
  await run('cluster-capacity', () => checkClusterCapacity(target.kube, input.clusterNeed));
  await run('test-data', () =>
    checkTestData(target.adminUrl, input.dfsps, plan.liquidity, {
      endpointsAtStart: input.endpointsAtStart ?? false,
    }),
  );
  await run('first-transfer', async () => {
    const title = 'First test completed successfully';
    if (down)
      return {
        id: 'first-transfer',
        title,
        status: 'skip',
        reason: 'the target is unreachable',
        numbers: [],
      };
    if (!input.firstTransfer) {
      return {
        id: 'first-transfer',
        title,
        status: 'skip',
        reason: 'no transfer probe configured',
        numbers: [],
      };
    }
    const r = await input.firstTransfer();
    return {
      id: 'first-transfer',
      title,
      status: r.ok ? 'pass' : 'fail',
      reason: r.detail,
      numbers: r.numbers ?? [],
      ...(r.ok
        ? {}
        : { hint: 'a single transfer must succeed before load: fix it with `mlperf run` at 1 TPS first' }),
    };
  });
  const bounded = plan.tests.filter((t) => !t.upperBound).map((t) => t.peakRate);
  const peak = Math.max(0, ...(bounded.length > 0 ? bounded : plan.tests.map((t) => t.peakRate)));
  await run('generator-capacity', async () =>
    judgeGenerator(await (input.selfTest ?? generatorSelfTest)(), peak, {
      sharesHost: target.kind === 'embedded',
    }),
  );
  await run('estimate', async () => estimateCheck(plan));

  const failed = checks.filter((c) => c.status === 'fail');
  const status = failed.length > 0 ? 'fail' : checks.some((c) => c.status === 'warn') ? 'warn' : 'pass';
  const exitCode = failed.some((c) => c.unavailable) ? 3 : failed.length > 0 ? 1 : 0;
  const report: CheckReport = {
    schemaVersion: 1,
    kind: 'mlperf-check',
    at: new Date(now()).toISOString(),
    suiteName: input.suiteName,
    target: { kind: target.kind, ...(input.targetUrl ? { url: input.targetUrl } : {}) },
    status,
    exitCode,
    checks,
    estimate: {
      durationMs: plan.durationMs,
      upperBound: plan.upperBound,
      ...(plan.cost ? { cost: { total: plan.cost.total, currency: plan.cost.currency } } : {}),
    },
  };
  if (input.profile) report.profile = input.profile;
  return report;
}

function estimateCheck(plan: CheckPlan): Omit<CheckResult, 'durationMs'> {
  const numbers: CheckNumber[] = [
    { label: 'duration', value: Math.round(plan.durationMs / 1000), unit: 's' },
    { label: 'tests', value: plan.tests.length },
  ];
  if (plan.cost)
    numbers.push({ label: 'cost', value: Math.round(plan.cost.total * 100) / 100, unit: plan.cost.currency });
  const bound = plan.upperBound ? 'at most ' : '';
  const cost = plan.cost ? `, cost ${bound}${formatMoney(plan.cost.total, plan.cost.currency)}` : '';
  return {
    id: 'estimate',
    title: 'Estimated duration and cost',
    status: 'pass',
    reason: `${plan.tests.length} tests, ${bound}${formatHours(plan.durationMs)}${cost}${plan.upperBound ? ' (the stress test stops when it breaks the hub)' : ''}`,
    numbers,
  };
}

export function formatHours(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} hours`;
}

export function formatMoney(v: number, currency: string): string {
  return currency === 'USD' ? `$${Math.round(v)}` : `${Math.round(v)} ${currency}`;
}
