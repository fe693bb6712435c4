import { at, type Checker, type Obj } from './validate-check.js';
import { type CorridorCheck, checkCorridors, checkTransfer } from './validate-parts.js';
import { isObj } from './validate-check.js';

const TEST_KEYS = [
  'id',
  'name',
  'kind',
  'description',
  'stages',
  'criteria',
  'stopRule',
  'recovery',
  'expected',
  'thresholds',
  'after',
  'warmup',
  'cooldown',
  'maxInFlight',
  'corridors',
  'transfer',
];
const TEST_KINDS = ['baseline', 'scale', 'target', 'endurance', 'stress', 'custom'] as const;
const STAGE_KINDS = ['constant', 'ramp', 'open-ramp'] as const;
const STAGE_KEYS = {
  constant: ['kind', 'rate', 'duration', 'name'],
  ramp: ['kind', 'from', 'to', 'duration', 'name'],
  'open-ramp': ['kind', 'from', 'stepPerMinute', 'maxRate', 'maxDuration', 'name'],
} as const;
const CRITERION_KINDS = [
  'achieved-rate',
  'success-rate',
  'latency',
  'error-rate',
  'cpu',
  'memory',
  'no-service-failures',
  'no-memory-leak',
  'transfers',
] as const;
const SUITE_CRITERION_KINDS = [
  'all-tests-completed',
  'linear-scaling',
  'sustained',
  'breaking-point-identified',
  'clean-recovery',
] as const;
const TEST_ID = /^[a-z0-9][a-z0-9._-]*$/;
/** k6 threshold expressions: `p(95)<300`, `rate<0.01`, `count>=100`, `avg<200`. */
const K6_THRESHOLD =
  /^\s*(avg|min|max|med|count|rate|value|p\(\d+(\.\d+)?\))\s*(<|<=|>|>=|==|===|!=)\s*-?\d+(\.\d+)?\s*$/;

export interface TestFacts {
  ids: Map<string, number>;
  openRamp: Set<string>;
  after: Map<string, { target: string; path: string }>;
}

/** Checks every test; returns what the cross-test rules need. */
export function checkTests(c: Checker, input: unknown, corridors: CorridorCheck): TestFacts {
  const facts: TestFacts = { ids: new Map(), openRamp: new Set(), after: new Map() };
  const list = c.array('tests', input, { nonEmpty: true, hint: 'a suite runs at least one test' });
  list?.forEach((raw, i) => {
    const path = at('tests', i);
    const t = c.object(path, raw);
    if (!t) return;
    c.knownKeys(path, t, TEST_KEYS);
    const id = c.string(at(path, 'id'), t.id, {
      pattern: TEST_ID,
      patternMessage: `"${String(t.id)}" is not a valid test id`,
      hint: 'lower-case letters, digits, ".", "_" and "-" (it names result directories), e.g. "target-1000tps"',
    });
    if (id !== undefined) {
      if (facts.ids.has(id))
        c.error(at(path, 'id'), `duplicate test id "${id}"`, 'give every test a unique id');
      else facts.ids.set(id, i);
    }
    c.string(at(path, 'name'), t.name);
    const kind = c.oneOf(at(path, 'kind'), t.kind, TEST_KINDS);
    c.string(at(path, 'description'), t.description, { required: false });
    const { closedMs, openRamp } = checkStages(c, path, t.stages);
    if (openRamp && id !== undefined) facts.openRamp.add(id);
    if (openRamp && t.stopRule === undefined) {
      c.error(
        at(path, 'stopRule'),
        'is required: the test has an open-ended ramp',
        'add a stop rule, e.g. { maxErrorRate: 0.05, maxP95Ms: 2000, minAchievedRatio: 0.9 }',
      );
    } else if (t.stopRule !== undefined) checkStopRule(c, at(path, 'stopRule'), t.stopRule);
    checkRecovery(c, at(path, 'recovery'), t.recovery);
    if (kind === 'stress' && list.length > 0 && !openRamp && Array.isArray(t.stages)) {
      c.warn(
        at(path, 'stages'),
        'a stress test without an open-ramp stage may never find the breaking point',
      );
    }
    checkCriteria(c, at(path, 'criteria'), t.criteria, kind === 'stress');
    checkExpected(c, at(path, 'expected'), t.expected);
    checkThresholds(c, at(path, 'thresholds'), t.thresholds);
    const warmup = c.duration(at(path, 'warmup'), t.warmup, { required: false }) ?? 0;
    const cooldown = c.duration(at(path, 'cooldown'), t.cooldown, { required: false }) ?? 0;
    if (closedMs !== undefined && warmup + cooldown > 0 && warmup + cooldown >= closedMs) {
      c.warn(
        path,
        'warmup + cooldown leave no steady state to judge',
        'shorten warmup/cooldown or lengthen the stages',
      );
    }
    c.number(at(path, 'maxInFlight'), t.maxInFlight, { required: false, min: 1, integer: true });
    const ownCurrency = checkTransfer(c, at(path, 'transfer'), t.transfer, true);
    const currency = ownCurrency ?? corridors.currency;
    if (t.corridors !== undefined) {
      checkCorridors(c, at(path, 'corridors'), t.corridors, { ...corridors, currency });
    } else if (ownCurrency !== undefined && ownCurrency !== corridors.currency) {
      checkSuiteCorridorCurrency(c, at(at(path, 'transfer'), 'currency'), ownCurrency, corridors);
    }
    if (t.after !== undefined) {
      const target = c.string(at(path, 'after'), t.after, {
        hint: 'the id of the test that must pass first',
      });
      if (target !== undefined && id !== undefined) facts.after.set(id, { target, path: at(path, 'after') });
    }
  });
  checkProgression(c, facts);
  return facts;
}

/** A test that changes the currency but keeps the suite's corridors: every DFSP on them must hold it. */
function checkSuiteCorridorCurrency(c: Checker, path: string, currency: string, ctx: CorridorCheck): void {
  const ids = new Set<string>();
  for (const k of ctx.suiteCorridors) {
    if (!isObj(k)) continue;
    for (const id of [k.payer, k.payee]) if (typeof id === 'string') ids.add(id);
  }
  const wrong = [...ids].filter((id) => {
    const held = ctx.dfsps.get(id)?.currency;
    return held !== undefined && held !== currency;
  });
  if (wrong.length > 0) {
    c.error(
      path,
      `${currency} is not held by ${wrong.join(', ')} on the suite's corridors`,
      "use the DFSPs' currency, or give the test its own `corridors` between DFSPs that hold it",
    );
  }
}

/** Returns the closed duration (undefined when open-ended or unknown) and whether an open ramp is present. */
function checkStages(c: Checker, testPath: string, input: unknown): { closedMs?: number; openRamp: boolean } {
  const path = at(testPath, 'stages');
  const list = c.array(path, input, {
    nonEmpty: true,
    hint: 'e.g. [{ kind: "constant", rate: 100, duration: "5m" }]',
  });
  let total: number | undefined = 0;
  let openRamp = false;
  list?.forEach((raw, i) => {
    const p = at(path, i);
    const s = c.object(p, raw);
    if (!s) return;
    const kind = c.oneOf(at(p, 'kind'), s.kind, STAGE_KINDS);
    if (!kind) return;
    c.knownKeys(p, s, STAGE_KEYS[kind]);
    c.string(at(p, 'name'), s.name, { required: false });
    if (kind === 'constant') {
      c.number(at(p, 'rate'), s.rate, { gt: 0, hint: 'transfers per second, e.g. 100' });
      total = add(total, c.duration(at(p, 'duration'), s.duration, { positive: true }));
    } else if (kind === 'ramp') {
      const from = c.number(at(p, 'from'), s.from, { min: 0, hint: 'TPS at the start of the ramp' });
      const to = c.number(at(p, 'to'), s.to, { min: 0, hint: 'TPS at the end of the ramp' });
      if (from === 0 && to === 0) c.error(p, 'a ramp from 0 to 0 sends nothing', 'set `to` above 0');
      else if (from !== undefined && from === to) c.warn(p, 'ramp with from === to', 'use a constant stage');
      total = add(total, c.duration(at(p, 'duration'), s.duration, { positive: true }));
    } else {
      openRamp = true;
      total = undefined;
      checkOpenRamp(c, p, s);
      if (i !== list.length - 1) {
        c.error(
          p,
          'an open-ended ramp must be the last stage',
          'move later stages before it, or bound it with a ramp',
        );
      }
    }
  });
  return total === undefined || !list ? { openRamp } : { closedMs: total, openRamp };
}

function add(total: number | undefined, ms: number | undefined): number | undefined {
  return total === undefined || ms === undefined ? undefined : total + ms;
}

function checkOpenRamp(c: Checker, p: string, s: Obj): void {
  const from = c.number(at(p, 'from'), s.from, { min: 0, hint: 'TPS where the ramp starts' });
  c.number(at(p, 'stepPerMinute'), s.stepPerMinute, { gt: 0, hint: 'TPS added every minute, e.g. 300' });
  const maxRate = c.number(at(p, 'maxRate'), s.maxRate, { required: false, gt: 0 });
  const maxMs = c.duration(at(p, 'maxDuration'), s.maxDuration, { required: false, positive: true });
  if (maxRate !== undefined && from !== undefined && maxRate < from) {
    c.error(at(p, 'maxRate'), `must not be below from (${from}), got ${maxRate}`);
  } else if (maxRate !== undefined && maxRate === from) {
    c.warn(
      at(p, 'maxRate'),
      `equals from (${from}): the ramp ends where it starts`,
      'a rate cap at or below the ramp start does this',
    );
  }
  if (s.maxRate === undefined && s.maxDuration === undefined && maxMs === undefined) {
    c.error(
      p,
      'an open-ended ramp needs a safety bound: maxRate or maxDuration',
      'e.g. maxRate: 10000 or maxDuration: "30m"; the stop rule usually fires first',
    );
  }
}

function checkRecovery(c: Checker, path: string, input: unknown): void {
  const r = c.object(path, input, false);
  if (!r) return;
  c.knownKeys(path, r, ['rate', 'duration']);
  c.number(at(path, 'rate'), r.rate, { gt: 0, hint: 'the TPS to hold while measuring recovery, e.g. 100' });
  c.duration(at(path, 'duration'), r.duration, { positive: true });
}

function checkStopRule(c: Checker, path: string, input: unknown): void {
  const r = c.object(path, input);
  if (!r) return;
  c.knownKeys(path, r, ['maxErrorRate', 'maxP95Ms', 'minAchievedRatio', 'window']);
  c.fraction(at(path, 'maxErrorRate'), r.maxErrorRate, { required: false, gt0: true });
  c.number(at(path, 'maxP95Ms'), r.maxP95Ms, { required: false, gt: 0, hint: 'milliseconds, e.g. 2000' });
  c.fraction(at(path, 'minAchievedRatio'), r.minAchievedRatio, { required: false, gt0: true });
  c.duration(at(path, 'window'), r.window, { required: false, positive: true });
  if (r.maxErrorRate === undefined && r.maxP95Ms === undefined && r.minAchievedRatio === undefined) {
    c.error(path, 'has no condition', 'set at least one of maxErrorRate, maxP95Ms, minAchievedRatio');
  }
}

/** A stress test may have none: the suite's breaking-point and recovery criteria judge it. */
function checkCriteria(c: Checker, path: string, input: unknown, stress: boolean): void {
  const list = c.array(path, input, {
    hint: 'the success criteria of the test, e.g. [{ kind: "success-rate", min: 0.995 }]',
  });
  if (list?.length === 0 && !stress) c.warn(path, 'no criteria: the test passes whatever happens');
  const kinds = new Set<string>();
  list?.forEach((raw, i) => {
    const p = at(path, i);
    const k = c.object(p, raw);
    if (!k) return;
    const kind = c.oneOf(at(p, 'kind'), k.kind, CRITERION_KINDS);
    if (!kind) return;
    const key = kind === 'latency' ? `latency-${String(k.percentile)}` : kind;
    if (kinds.has(key)) c.warn(p, `second "${kind}" criterion`, 'keep one of each');
    kinds.add(key);
    const keys: Record<(typeof CRITERION_KINDS)[number], string[]> = {
      'achieved-rate': ['minRatio'],
      'success-rate': ['min'],
      latency: ['percentile', 'maxMs'],
      'error-rate': ['max'],
      cpu: ['max'],
      memory: ['max'],
      'no-service-failures': [],
      'no-memory-leak': ['maxSlopeBytesPerHour'],
      transfers: ['min'],
    };
    c.knownKeys(p, k, ['kind', ...keys[kind]]);
    if (kind === 'achieved-rate') c.fraction(at(p, 'minRatio'), k.minRatio, { gt0: true });
    if (kind === 'success-rate') c.fraction(at(p, 'min'), k.min);
    if (kind === 'error-rate') c.fraction(at(p, 'max'), k.max);
    if (kind === 'cpu' || kind === 'memory') c.fraction(at(p, 'max'), k.max, { gt0: true });
    if (kind === 'latency') {
      if (![50, 90, 95, 99].includes(k.percentile as number)) {
        c.error(at(p, 'percentile'), `${String(k.percentile)} is not supported`, 'use 50, 90, 95 or 99');
      }
      c.number(at(p, 'maxMs'), k.maxMs, { gt: 0, hint: 'milliseconds, e.g. 300' });
    }
    if (kind === 'no-memory-leak')
      c.number(at(p, 'maxSlopeBytesPerHour'), k.maxSlopeBytesPerHour, { required: false, min: 0 });
    if (kind === 'transfers') c.number(at(p, 'min'), k.min, { min: 0, integer: true });
  });
}

function checkExpected(c: Checker, path: string, input: unknown): void {
  const e = c.object(path, input, false);
  if (!e) return;
  c.knownKeys(path, e, ['transfers', 'successRate', 'p95Ms', 'p99Ms', 'duration', 'notes']);
  c.number(at(path, 'transfers'), e.transfers, { required: false, min: 0, integer: true });
  c.fraction(at(path, 'successRate'), e.successRate, { required: false });
  c.number(at(path, 'p95Ms'), e.p95Ms, { required: false, gt: 0 });
  c.number(at(path, 'p99Ms'), e.p99Ms, { required: false, gt: 0 });
  c.duration(at(path, 'duration'), e.duration, { required: false });
  c.array(at(path, 'notes'), e.notes, { required: false })?.forEach((n, i) => {
    c.string(at(at(path, 'notes'), i), n);
  });
}

function checkThresholds(c: Checker, path: string, input: unknown): void {
  const th = c.object(path, input, false);
  if (!th) return;
  for (const [metric, exprs] of Object.entries(th)) {
    const list = c.array(at(path, metric), exprs, { hint: 'a list of k6 expressions, e.g. ["p(95)<300"]' });
    list?.forEach((e, i) => {
      c.string(at(at(path, metric), i), e, {
        pattern: K6_THRESHOLD,
        patternMessage: `"${String(e)}" is not a k6 threshold expression`,
        hint: 'e.g. "p(95)<300", "rate<0.01", "count>=1000", "avg<200"',
      });
    });
  }
}

function checkProgression(c: Checker, facts: TestFacts): void {
  for (const [id, { target, path }] of facts.after) {
    if (target === id)
      c.error(path, `test "${id}" cannot run after itself`, 'name the test that must pass first');
    else if (!facts.ids.has(target)) {
      c.error(path, `unknown test "${target}"`, `use one of: ${[...facts.ids.keys()].join(', ')}`);
    }
  }
  // Each test has at most one `after`: walk each chain once, marking tests done (linear time).
  const state = new Map<string, 'walking' | 'done'>();
  for (const start of facts.after.keys()) {
    const path: string[] = [];
    let id: string | undefined = start;
    while (id !== undefined && !state.has(id)) {
      state.set(id, 'walking');
      path.push(id);
      id = facts.after.get(id)?.target;
    }
    if (id !== undefined && state.get(id) === 'walking') {
      const cycle = path.slice(path.indexOf(id));
      if (cycle.length > 1) {
        c.error(
          facts.after.get(id)?.path ?? 'tests',
          `progression cycle: ${[...cycle, id].join(' -> ')}`,
          'remove one `after` so the tests have a first one',
        );
      }
    }
    for (const t of path) state.set(t, 'done');
  }
}

export function checkSuiteCriteria(c: Checker, input: unknown, facts: TestFacts): void {
  const list = c.array('criteria', input, { hint: 'suite criteria, e.g. [{ kind: "all-tests-completed" }]' });
  list?.forEach((raw, i) => {
    const p = at('criteria', i);
    const k = c.object(p, raw);
    if (!k) return;
    const kind = c.oneOf(at(p, 'kind'), k.kind, SUITE_CRITERION_KINDS);
    if (!kind) return;
    const testRef = () => {
      if (k.test === undefined) return undefined;
      const id = c.string(at(p, 'test'), k.test);
      if (id !== undefined && !facts.ids.has(id)) {
        c.error(at(p, 'test'), `unknown test "${id}"`, `use one of: ${[...facts.ids.keys()].join(', ')}`);
        return undefined;
      }
      return id;
    };
    if (kind === 'all-tests-completed') c.knownKeys(p, k, ['kind']);
    if (kind === 'linear-scaling') {
      c.knownKeys(p, k, ['kind', 'upToRate', 'minEfficiency']);
      c.number(at(p, 'upToRate'), k.upToRate, { gt: 0, hint: 'TPS, e.g. 500' });
      c.fraction(at(p, 'minEfficiency'), k.minEfficiency, { required: false, gt0: true });
    }
    if (kind === 'sustained') {
      c.knownKeys(p, k, ['kind', 'rate', 'duration', 'test']);
      c.number(at(p, 'rate'), k.rate, { gt: 0 });
      c.duration(at(p, 'duration'), k.duration, { positive: true });
      testRef();
    }
    if (kind === 'breaking-point-identified' || kind === 'clean-recovery') {
      c.knownKeys(p, k, kind === 'clean-recovery' ? ['kind', 'test', 'within'] : ['kind', 'test']);
      const id = testRef();
      if (kind === 'clean-recovery')
        c.duration(at(p, 'within'), k.within, { required: false, positive: true });
      const hasOpen = id !== undefined ? facts.openRamp.has(id) : facts.openRamp.size > 0;
      if (!hasOpen && (id !== undefined || k.test === undefined)) {
        c.warn(
          p,
          `"${kind}" needs a test with an open-ramp stage`,
          'add a stress test that ramps until a stop rule fires',
        );
      }
    }
  });
}
