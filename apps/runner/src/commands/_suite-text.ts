import {
  formatDuration,
  type SuiteDefinition,
  type SuiteIssue,
  type SuitePlan,
  type TestPlan,
} from '@mlperf/core';
import { dec, int, money, table } from './_text.js';

const upTo = (n: string, upper: boolean) => (upper ? `<= ${n}` : n);

/** The text of `mlperf suite show`. */
export function renderSuitePlan(suite: SuiteDefinition, plan: SuitePlan, warnings: SuiteIssue[]): string[] {
  const p = suite.profile;
  const profile = p
    ? `profile ${p.name}, time scale ${dec(p.timeScale, 6)}${p.rateCap !== undefined ? `, rate cap ${int(p.rateCap)} TPS` : ''}`
    : 'as defined';
  const currency = plan.liquidity[0]?.currency ?? suite.dfsps[0]?.currency ?? '';
  const out = [
    `Suite ${suite.name} (${profile})`,
    `${suite.dfsps.length} DFSPs, ${suite.corridors.length} corridors, ${plan.tests.length} tests; ${suite.transfer.amount} ${currency} per transfer`,
    '',
    'Tests (in run order)',
    ...table(
      ['#', 'test', 'after', 'duration', 'peak TPS', 'transfers'],
      plan.tests.map((t, i) => [
        String(i + 1),
        t.testId,
        t.after ?? '-',
        upTo(formatDuration(t.durationMs), t.upperBound),
        upTo(int(t.peakRate), t.upperBound),
        upTo(int(t.transfers), t.upperBound),
      ]),
      [0, 4, 5],
    ),
    '',
    'Stages and TPS per corridor',
    ...stageTable(plan),
    '',
    'DFSPs',
    ...table(
      ['dfsp', 'currency', 'liquidity', 'net debit cap', 'role'],
      suite.dfsps.map((d) => [d.id, d.currency, dec(d.liquidity), dec(d.netDebitCap), role(suite, d.id)]),
      [2, 3],
    ),
    '',
    `Liquidity each payer needs (amount x its transfers) vs what it can pay`,
    ...liquidityTable(plan),
    '',
    `Duration: ${upTo(formatDuration(plan.durationMs), plan.upperBound)} (${plural(plan.tests.length, 'test')} + ${plural(Math.max(0, plan.tests.length - 1), 'cool-down')} of ${formatDuration(plan.cooldownBetweenTestsMs)})`,
    `Transfers: ${upTo(int(plan.transfers), plan.upperBound)}`,
  ];
  if (plan.upperBound) out.push('  (<= : upper bound; an open-ended ramp stops when its stop rule fires)');
  if (plan.cost) {
    const c = plan.cost;
    out.push(
      `Cost: ${c.nodes} nodes x ${money(c.perNodeHour, c.currency)}/node-hour x ${dec(plan.durationMs / 3_600_000, 2)} h = ${upTo(money(c.total, c.currency), plan.upperBound)}`,
    );
  } else {
    out.push('Cost: pass --cost-per-node-hour and --nodes to estimate it');
  }
  if (plan.flags.length > 0) {
    out.push('', plan.feasible ? 'Warnings' : 'INFEASIBLE: this plan cannot pass as it is');
    for (const f of plan.flags)
      out.push(
        `  ${f.severity === 'infeasible' ? 'INFEASIBLE' : 'warning'}: ${f.message}`,
        `    hint: ${f.hint}`,
      );
  }
  if (warnings.length > 0) {
    out.push('', 'Suite warnings');
    for (const w of warnings) out.push(`  ${w.path}: ${w.message}${w.hint ? ` (${w.hint})` : ''}`);
  }
  return out;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function role(suite: SuiteDefinition, id: string): string {
  const pays = suite.corridors.some((k) => k.payer === id);
  const gets = suite.corridors.some((k) => k.payee === id);
  return pays && gets ? 'payer, payee' : pays ? 'payer' : gets ? 'payee' : '-';
}

function rate(from: number, to: number): string {
  return from === to ? dec(from) : `${dec(from)}->${dec(to)}`;
}

function stageTable(plan: SuitePlan): string[] {
  const corridorNames = [...new Set(plan.tests.flatMap((t) => t.corridors.map((k) => k.name)))];
  const rows: string[][] = [];
  for (const t of plan.tests) {
    t.stages.forEach((s, i) => {
      const cells = corridorNames.map((name) => {
        const k = t.corridors.find((x) => x.name === name)?.stages[i];
        return k ? rate(k.fromTps, k.toTps) : '-';
      });
      rows.push([
        i === 0 ? t.testId : '',
        s.name,
        `${formatDuration(s.startMs)}+${upTo(formatDuration(s.durationMs), s.upperBound)}`,
        rate(s.fromRate, s.toRate),
        upTo(int(s.transfers), s.upperBound),
        ...cells,
      ]);
    });
  }
  const head = ['test', 'stage', 'at+for', 'TPS', 'transfers', ...corridorNames];
  return table(head, rows, [3, 4, ...corridorNames.map((_, i) => i + 5)]);
}

function liquidityTable(plan: SuitePlan): string[] {
  const payers = plan.liquidity.map((l) => l.dfsp);
  const cell = (t: Pick<TestPlan, 'liquidity'>, dfsp: string) => {
    const l = t.liquidity.find((x) => x.dfsp === dfsp);
    if (!l) return '-';
    return `${upTo(dec(l.needed), l.upperBound)}${l.feasible ? '' : ' !'}`;
  };
  const rows = payers.map((dfsp) => {
    const total = plan.liquidity.find((x) => x.dfsp === dfsp);
    return [
      dfsp,
      dec(total?.available ?? 0),
      ...plan.tests.map((t) => cell(t, dfsp)),
      cell({ liquidity: plan.liquidity }, dfsp),
    ];
  });
  const lines = table(['payer', 'can pay', ...plan.tests.map((t) => t.testId), 'whole suite'], rows, [
    ...Array.from({ length: plan.tests.length + 2 }, (_, i) => i + 1),
  ]);
  if (
    plan.liquidity.some((l) => !l.feasible) ||
    plan.tests.some((t) => t.liquidity.some((l) => !l.feasible))
  ) {
    lines.push('  (! : more than the payer can pay; see below)');
  }
  return lines;
}
