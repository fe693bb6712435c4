import { LIMIT_HINT, LIMITS } from './limits.js';
import { at, type Checker, type Obj } from './validate-check.js';
import { type CorridorCheck, checkCorridors, checkTransfer } from './validate-parts.js';
import { isObj } from './validate-check.js';
import { checkCriteria, checkExpected, checkThresholds } from './validate-criteria.js';

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
const TEST_ID = /^[a-z0-9][a-z0-9._-]*$/;

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
  let transfers = 0;
  list?.forEach((raw, i) => {
    const p = at(path, i);
    const s = c.object(p, raw);
    if (!s) return;
    const kind = c.oneOf(at(p, 'kind'), s.kind, STAGE_KINDS);
    if (!kind) return;
    c.knownKeys(p, s, STAGE_KEYS[kind]);
    c.string(at(p, 'name'), s.name, { required: false });
    if (kind === 'constant') {
      const rate = c.rate(at(p, 'rate'), s.rate, { gt: 0, hint: 'transfers per second, e.g. 100' });
      const ms = c.duration(at(p, 'duration'), s.duration, { positive: true });
      total = add(total, ms);
      transfers += ((rate ?? 0) * (ms ?? 0)) / 1000;
    } else if (kind === 'ramp') {
      const from = c.rate(at(p, 'from'), s.from, { min: 0, hint: 'TPS at the start of the ramp' });
      const to = c.rate(at(p, 'to'), s.to, { min: 0, hint: 'TPS at the end of the ramp' });
      if (from === 0 && to === 0) c.error(p, 'a ramp from 0 to 0 sends nothing', 'set `to` above 0');
      else if (from !== undefined && from === to) c.warn(p, 'ramp with from === to', 'use a constant stage');
      const ms = c.duration(at(p, 'duration'), s.duration, { positive: true });
      total = add(total, ms);
      transfers += (((from ?? 0) + (to ?? 0)) / 2) * ((ms ?? 0) / 1000);
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
  if (transfers > LIMITS.transfers) {
    c.error(
      path,
      `plan ${Math.round(transfers).toExponential(2)} transfers, more than a real run reaches`,
      LIMIT_HINT.transfers,
    );
  }
  return total === undefined || !list ? { openRamp } : { closedMs: total, openRamp };
}

function add(total: number | undefined, ms: number | undefined): number | undefined {
  return total === undefined || ms === undefined ? undefined : total + ms;
}

function checkOpenRamp(c: Checker, p: string, s: Obj): void {
  const from = c.rate(at(p, 'from'), s.from, { min: 0, hint: 'TPS where the ramp starts' });
  c.rate(at(p, 'stepPerMinute'), s.stepPerMinute, { gt: 0, hint: 'TPS added every minute, e.g. 300' });
  const maxRate = c.rate(at(p, 'maxRate'), s.maxRate, { required: false, gt: 0 });
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
  c.rate(at(path, 'rate'), r.rate, { gt: 0, hint: 'the TPS to hold while measuring recovery, e.g. 100' });
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
