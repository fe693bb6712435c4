import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type {
  AnalysisResult,
  CriterionResult,
  SuiteAnalysisResult,
  SuiteCriterion,
  SuiteDefinition,
  TestDefinition,
} from '@mlperf/core';
import {
  ANALYSIS_SCHEMA_VERSION,
  combineVerdicts,
  ExitCode,
  isResultsDirectory,
  MlperfError,
  timeStages,
  totalDurationMs,
  tryParseDuration,
  writeFileAtomic,
} from '@mlperf/core';
import { rankFindings } from './bottlenecks/fixes.js';
import { analyzeRun } from './run.js';
import { fitUsl, uslNote } from './stats/usl.js';

/** The Phase-07 plan's "Overall Suite" checklist, used when no suite definition is given. */
const OVERALL_SUITE_CRITERIA: SuiteCriterion[] = [
  { kind: 'all-tests-completed' },
  { kind: 'linear-scaling', upToRate: 500, minEfficiency: 0.95 },
  { kind: 'sustained', rate: 1000, duration: '2h' },
  { kind: 'breaking-point-identified' },
  { kind: 'clean-recovery', within: '5m' },
];

export interface AnalyzeSuiteOptions {
  /** The suite as it ran; without it the tests are the runs found and the criteria the Phase-07 plan's. */
  suite?: SuiteDefinition;
  targetTps?: number;
  write?: boolean;
  now?: () => Date;
}

interface RunEntry {
  dir: string;
  result: AnalysisResult;
  test?: TestDefinition;
}

/** Finds the run directories of a suite directory (latest run per test id). */
export function findRuns(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new MlperfError('RESULTS_NOT_FOUND', `${dir}: no such suite directory`, {
      hint: 'pass the directory `mlperf suite run` wrote',
      exitCode: ExitCode.badInput,
    });
  }
  const latest = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    const sub = join(dir, name);
    if (!statSync(sub).isDirectory() || !isResultsDirectory(sub)) continue;
    try {
      const m = JSON.parse(readFileSync(join(sub, 'run.json'), 'utf8')) as { testId?: string };
      latest.set(m.testId ?? name, sub);
    } catch {
      latest.set(name, sub);
    }
  }
  return [...latest.values()];
}

function plannedRate(t: TestDefinition | undefined): number | undefined {
  const c = t?.stages.filter((s) => s.kind === 'constant').map((s) => (s.kind === 'constant' ? s.rate : 0));
  return c?.length ? Math.max(...c) : undefined;
}

function runFor(runs: RunEntry[], testId: string | undefined, kind?: string): RunEntry | undefined {
  if (testId) return runs.find((r) => r.result.testId === testId);
  return runs.find((r) => r.test?.kind === kind);
}

function evalSuite(c: SuiteCriterion, runs: RunEntry[], suite: SuiteDefinition | undefined): CriterionResult {
  switch (c.kind) {
    case 'all-tests-completed': {
      const ids = suite ? suite.tests.map((t) => t.id) : runs.map((r) => r.result.testId);
      const label = `All ${ids.length} tests completed`;
      const notDone = ids.filter((id) => runFor(runs, id)?.result.runStatus !== 'completed');
      return {
        id: 'all-tests-completed',
        label,
        status: ids.length && notDone.length === 0 ? 'pass' : 'fail',
        value: ids.length - notDone.length,
        threshold: ids.length,
        comparator: '>=',
        detail: notDone.length
          ? `not completed: ${notDone.join(', ')}`
          : `${ids.length} of ${ids.length} completed`,
      };
    }
    case 'linear-scaling': {
      const label = `Performance scales linearly to ${c.upToRate} TPS`;
      const pts = runs
        .filter((r) => r.test?.kind !== 'stress' && r.test?.kind !== 'endurance')
        .map((r) => ({ r, planned: r.result.plannedTps ?? plannedRate(r.test) ?? 0 }))
        .filter((x) => x.planned > 0 && x.planned <= c.upToRate && x.r.result.achievedTps !== undefined)
        .sort((a, b) => a.planned - b.planned);
      if (pts.length < 2)
        return {
          id: 'linear-scaling',
          label,
          status: 'inconclusive',
          detail: `needs at least two tests at or below ${c.upToRate} TPS (found ${pts.length})`,
        };
      const minEff = c.minEfficiency ?? 0.95;
      const eff = pts.map((x) => ({
        id: x.r.result.testId,
        planned: x.planned,
        e: (x.r.result.achievedTps as number) / x.planned,
        p95: x.r.result.keyMetrics.find((k) => k.metric === 'p95-latency')?.value,
      }));
      const worst = Math.min(...eff.map((x) => x.e));
      const lo = eff[0]?.p95;
      const hi = eff[eff.length - 1]?.p95;
      const latencyOk = lo === undefined || hi === undefined || hi <= Math.max(2 * lo, 300);
      return {
        id: 'linear-scaling',
        label,
        status: worst >= minEff && latencyOk ? 'pass' : 'fail',
        value: Math.round(worst * 10000) / 10000,
        unit: 'achieved/offered',
        threshold: minEff,
        comparator: '>=',
        detail: `${eff.map((x) => `${x.id}: ${Math.round(x.e * 1000) / 10}% of ${x.planned} TPS${x.p95 !== undefined ? `, p95 ${Math.round(x.p95)} ms` : ''}`).join('; ')}${latencyOk ? '' : '; p95 grew more than 2x and beyond 300 ms'}`,
      };
    }
    case 'sustained': {
      const run = runFor(runs, c.test, 'endurance');
      const label = `${c.rate} TPS sustained for ${c.duration}+`;
      if (!run)
        return { id: 'sustained', label, status: 'fail', detail: `no ${c.test ?? 'endurance'} run found` };
      const want = (tryParseDuration(c.duration) ?? 0) / 1000;
      const planned = run.test ? totalDurationMs(timeStages(run.test.stages)) / 1000 : want;
      const need = Math.min(want, planned);
      const rate = run.result.criteria.find((x) => x.id === 'achieved-rate');
      const ok =
        run.result.runStatus === 'completed' &&
        run.result.totals.durationS >= 0.95 * need &&
        rate?.status === 'pass';
      return {
        id: 'sustained',
        label,
        status: rate?.status === 'inconclusive' ? 'inconclusive' : ok ? 'pass' : 'fail',
        value: run.result.achievedTps ?? 0,
        unit: 'TPS',
        threshold: c.rate,
        comparator: '>=',
        detail: `${run.result.testId}: ${run.result.totals.durationS} s run (needed ${need} s${need < want ? ', scaled by the profile' : ''}), achieved-rate ${rate?.status ?? 'not judged'}`,
      };
    }
    case 'breaking-point-identified': {
      const run = runFor(runs, c.test, 'stress');
      const label = 'Breaking point identified (stress test)';
      const bp = run?.result.stress?.breakingPointTps;
      if (!run)
        return { id: 'breaking-point-identified', label, status: 'fail', detail: 'no stress run found' };
      return {
        id: 'breaking-point-identified',
        label,
        status: bp !== undefined ? 'pass' : 'fail',
        ...(bp !== undefined ? { value: bp, unit: 'TPS' } : {}),
        detail:
          bp !== undefined
            ? `${bp} TPS offered (first signal ${run.result.stress?.firstSignal})`
            : 'the stress test found no knee, error or latency limit',
      };
    }
    case 'clean-recovery': {
      const run = runFor(runs, c.test, 'stress');
      const within = (tryParseDuration(c.within ?? '5m') ?? 300_000) / 1000;
      const label = `Clean recovery after the stress test (within ${c.within ?? '5m'})`;
      const rec = run?.result.stress?.recovery;
      if (!rec)
        return {
          id: 'clean-recovery',
          label,
          status: 'inconclusive',
          detail: run ? 'the stress run has no recovery phase to judge' : 'no stress run found',
        };
      const ok = rec.recovered && (rec.seconds ?? Number.POSITIVE_INFINITY) <= within;
      return {
        id: 'clean-recovery',
        label,
        status: ok ? 'pass' : 'fail',
        ...(rec.seconds !== undefined ? { value: rec.seconds, unit: 's' } : {}),
        threshold: within,
        comparator: '<=',
        detail: rec.detail,
      };
    }
  }
}

/**
 * Analyzes every run of a suite directory (writing each analysis.json). The suite passes only when
 * every test passed; any failed test fails it; otherwise (a test inconclusive or not run) it is
 * inconclusive. The suite criteria are judged too, as evidence beside that verdict.
 */
export function analyzeSuite(dir: string, opts: AnalyzeSuiteOptions = {}): SuiteAnalysisResult {
  const runs: RunEntry[] = findRuns(dir).map((d) => {
    const result = analyzeRun(d, {
      write: opts.write !== false,
      ...(opts.targetTps ? { targetTps: opts.targetTps } : {}),
      ...(opts.now ? { now: opts.now } : {}),
    });
    const m = JSON.parse(readFileSync(join(d, 'run.json'), 'utf8')) as {
      definition?: { test?: TestDefinition };
    };
    return { dir: d, result, ...(m.definition?.test ? { test: m.definition.test } : {}) };
  });
  const suite = opts.suite;
  const criteria = (suite?.criteria ?? OVERALL_SUITE_CRITERIA).map((c) => evalSuite(c, runs, suite));
  const defs =
    suite?.tests ??
    runs.map((r) => r.test ?? ({ id: r.result.testId, name: r.result.testName } as TestDefinition));
  const tests = defs.map((t) => {
    const run = runFor(runs, t.id);
    return {
      testId: t.id,
      testName: t.name,
      // relative to the suite directory, so a moved or extracted suite still finds its runs
      runDir: run ? relative(dir, run.dir) : null,
      status: run?.result.runStatus ?? 'not-run',
      verdict: run ? run.result.verdict : ('not-run' as const),
    };
  });
  const points = runs
    .filter(
      (r) =>
        r.test?.kind !== 'stress' && r.result.achievedTps !== undefined && (r.result.plannedTps ?? 0) > 0,
    )
    .map((r) => ({ offered: r.result.plannedTps as number, achieved: r.result.achievedTps as number }));
  const stress = runs.find((r) => r.result.stress)?.result.stress;
  const scaling = fitUsl([...points, ...(stress?.curve ?? []).filter((c) => c.offered > 0)]);
  const verdict = combineVerdicts(tests.map((t) => (t.verdict === 'not-run' ? 'inconclusive' : t.verdict)));
  const findings = rankFindings(
    runs.flatMap((r) =>
      r.result.findings
        .slice(0, 3)
        .map(({ id: _id, rank: _rank, ...f }) => ({ ...f, summary: `[${r.result.testId}] ${f.summary}` })),
    ),
  );
  const result: SuiteAnalysisResult = {
    schemaVersion: ANALYSIS_SCHEMA_VERSION,
    kind: 'suite',
    suiteName: suite?.name ?? runs[0]?.result.testName ?? dir,
    generatedAt: (opts.now?.() ?? new Date()).toISOString(),
    verdict,
    headline: suiteHeadline(verdict, tests, criteria),
    criteria,
    tests,
    findings,
  };
  if (scaling) result.scaling = { ...scaling, note: uslNote(scaling, stress?.breakingPointTps) };
  if (stress?.breakingPointTps !== undefined) result.breakingPointTps = stress.breakingPointTps;
  if (opts.write !== false)
    writeFileAtomic(join(dir, 'analysis.json'), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

/** The suite verdict in one sentence: which tests decided it, then the suite criteria as evidence. */
function suiteHeadline(
  verdict: SuiteAnalysisResult['verdict'],
  tests: SuiteAnalysisResult['tests'],
  criteria: readonly CriterionResult[],
): string {
  const met = criteria.filter((c) => c.status === 'pass').length;
  const evidence = `suite criteria: ${met} of ${criteria.length} met${
    met < criteria.length
      ? ` (${criteria
          .filter((c) => c.status !== 'pass')
          .map((c) => `${c.label}: ${c.status}`)
          .join('; ')})`
      : ''
  }`;
  const named = (v: string) =>
    tests
      .filter((t) => t.verdict === v)
      .map((t) => t.testId)
      .join(', ');
  if (verdict === 'pass') return `PASS: all ${tests.length} tests passed; ${evidence}`;
  if (verdict === 'fail') return `FAIL: ${named('fail')} failed; ${evidence}`;
  const open = [named('inconclusive'), named('not-run') && `not run: ${named('not-run')}`]
    .filter(Boolean)
    .join('; ');
  return `INCONCLUSIVE: ${open || 'no test to judge'} could not be judged; ${evidence}`;
}
