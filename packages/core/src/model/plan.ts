import { MlperfError } from '../errors.js';
import { parseDuration } from './duration.js';
import type { CostEstimate, LiquidityPlan, PlanFlag, StagePlan, SuitePlan, TestPlan } from './plan-types.js';
import { planCorridors, planLiquidity, runOrder, sumLiquidity } from './plan-parts.js';
import { stageArrivals, stageName, timeStages } from './stages.js';
import type { CostModel, SuiteDefinition, TestDefinition } from './types.js';

export interface PlanOptions {
  /** Cost inputs; override the suite's `cost`. */
  cost?: CostModel;
}

/**
 * Plans every test of a validated suite (see `validateSuite`), in progression order, with the
 * suite's duration (cool-downs between tests included), liquidity per payer and estimated cost.
 */
export function planSuite(suite: SuiteDefinition, options: PlanOptions = {}): SuitePlan {
  const tests = runOrder(suite.tests).map((t) => planOne(suite, t));
  const cooldownMs = suite.cooldownBetweenTests
    ? parseDuration(suite.cooldownBetweenTests, 'cooldownBetweenTests')
    : 0;
  const durationMs = tests.reduce((a, t) => a + t.durationMs, 0) + cooldownMs * Math.max(0, tests.length - 1);
  const liquidity = sumLiquidity(tests);
  const flags = tests.flatMap((t) => t.flags);
  for (const l of liquidity) {
    const eachTestOk = tests.every((t) => t.liquidity.find((x) => x.dfsp === l.dfsp)?.feasible !== false);
    if (!l.feasible && eachTestOk) {
      flags.push({
        severity: 'warning',
        dfsp: l.dfsp,
        message: `${l.dfsp} pays ${money(l.needed, l.currency)} over the whole suite but can pay only ${money(l.available, l.currency)}`,
        hint: 'reset DFSP positions between tests (`mlperf reset`), or raise its liquidity and net debit cap',
      });
    }
  }
  const plan: SuitePlan = {
    name: suite.name,
    tests,
    cooldownBetweenTestsMs: cooldownMs,
    durationMs,
    transfers: tests.reduce((a, t) => a + t.transfers, 0),
    upperBound: tests.some((t) => t.upperBound),
    liquidity,
    feasible: tests.every((t) => t.feasible),
    flags,
  };
  const costModel = options.cost ?? suite.cost;
  if (costModel) plan.cost = estimateCost(costModel, durationMs);
  return plan;
}

/** Plans one test of a validated suite. */
export function planTest(suite: SuiteDefinition, testId: string): TestPlan {
  const test = suite.tests.find((t) => t.id === testId);
  if (!test) {
    throw new MlperfError('TEST_UNKNOWN', `suite "${suite.name}" has no test "${testId}"`, {
      hint: `use one of: ${suite.tests.map((t) => t.id).join(', ')}`,
    });
  }
  return planOne(suite, test);
}

function estimateCost(cost: CostModel, durationMs: number): CostEstimate {
  const nodeHours = (cost.nodes * durationMs) / 3_600_000;
  return {
    perNodeHour: cost.perNodeHour,
    nodes: cost.nodes,
    currency: cost.currency ?? 'USD',
    nodeHours: Math.round(nodeHours * 1e4) / 1e4,
    total: Math.round(nodeHours * cost.perNodeHour * 100) / 100,
  };
}

/** `$1,234.50`-style money for messages: the currency code and two decimals at least. */
export function money(amount: number, currency: string): string {
  const s = amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
  return `${currency} ${s}`;
}

function planOne(suite: SuiteDefinition, test: TestDefinition): TestPlan {
  const stages = planStages(test);
  const transfers = stages.reduce((a, s) => a + s.transfers, 0);
  const upperBound = stages.some((s) => s.upperBound);
  const corridors = planCorridors(test.corridors ?? suite.corridors, stages, transfers);
  const transfer = { ...suite.transfer, ...test.transfer };
  const liquidity = planLiquidity(suite.dfsps, corridors, transfer, upperBound);
  const flags: PlanFlag[] = [];
  for (const l of liquidity) {
    if (l.feasible) continue;
    flags.push(liquidityFlag(test, l, transfer.amount));
  }
  for (const c of test.criteria) {
    if (c.kind === 'transfers' && c.min > transfers) {
      flags.push({
        severity: 'infeasible',
        testId: test.id,
        message: `${test.id}: criterion "transfers >= ${c.min.toLocaleString('en-US')}" can never pass: the plan has ${transfers.toLocaleString('en-US')}`,
        hint: 'lower the criterion or lengthen / speed up the stages (a profile with a time scale shortens them)',
      });
    }
  }
  const plan: TestPlan = {
    testId: test.id,
    name: test.name,
    kind: test.kind,
    durationMs: stages.reduce((a, s) => a + s.durationMs, 0),
    transfers,
    peakRate: Math.max(0, ...stages.map((s) => Math.max(s.fromRate, s.toRate))),
    upperBound,
    amount: transfer.amount,
    stages,
    corridors,
    liquidity,
    feasible: !flags.some((f) => f.severity === 'infeasible'),
    flags,
  };
  if (test.after !== undefined) plan.after = test.after;
  return plan;
}

function liquidityFlag(test: TestDefinition, l: LiquidityPlan, amount: string): PlanFlag {
  const maxAmount = l.transfers > 0 ? Math.floor((Math.max(0, l.available) / l.transfers) * 1e4) / 1e4 : 0;
  const bound = l.upperBound ? ' (upper bound: the test ramps until it breaks)' : '';
  return {
    severity: l.upperBound ? 'warning' : 'infeasible',
    testId: test.id,
    dfsp: l.dfsp,
    message:
      `${test.id}: ${l.dfsp} must pay ${money(l.needed, l.currency)} (${l.transfers.toLocaleString('en-US')} transfers x ${amount})` +
      ` but can pay only ${money(l.available, l.currency)}${bound}`,
    hint:
      maxAmount > 0
        ? `lower transfer.amount to at most ${maxAmount}, or raise ${l.dfsp}'s liquidity and net debit cap`
        : `fund ${l.dfsp}: raise its liquidity and net debit cap above ${money(l.needed, l.currency)}`,
  };
}

function planStages(test: TestDefinition): StagePlan[] {
  const timed = timeStages(test.stages, `${test.id}.stages`);
  const plans = timed.map((t): StagePlan => {
    if (!Number.isFinite(t.durationMs)) {
      throw new MlperfError(
        'PLAN_UNBOUNDED',
        `${test.id}.stages[${t.index}]: an open-ended ramp without maxRate or maxDuration cannot be planned`,
        {
          hint: 'set maxRate or maxDuration on the stage (validateSuite reports this too)',
        },
      );
    }
    return {
      index: t.index,
      name: stageName(t.stage, t.index),
      kind: t.stage.kind,
      startMs: t.startMs,
      durationMs: t.durationMs,
      fromRate: t.fromRate,
      toRate: t.toRate,
      transfers: Math.round(stageArrivals(t, 0, t.durationMs)),
      upperBound: t.stage.kind === 'open-ramp',
    };
  });
  if (test.recovery) {
    const last = plans.at(-1);
    const durationMs = parseDuration(test.recovery.duration, `${test.id}.recovery.duration`);
    const rate = test.recovery.rate;
    plans.push({
      index: plans.length,
      name: `recovery ${rate} TPS`,
      kind: 'recovery',
      startMs: last ? last.startMs + last.durationMs : 0,
      durationMs,
      fromRate: rate,
      toRate: rate,
      transfers: Math.round((rate * durationMs) / 1000),
      upperBound: false,
    });
  }
  return plans;
}
