import { at, type Checker } from './validate-check.js';
import type { TestFacts } from './validate-tests.js';

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
/** k6 threshold expressions: `p(95)<300`, `rate<0.01`, `count>=100`, `avg<200`. */
const K6_THRESHOLD =
  /^\s*(avg|min|max|med|count|rate|value|p\(\d+(\.\d+)?\))\s*(<|<=|>|>=|==|===|!=)\s*-?\d+(\.\d+)?\s*$/;

/** A stress test may have none: the suite's breaking-point and recovery criteria judge it. */
export function checkCriteria(c: Checker, path: string, input: unknown, stress: boolean): void {
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

export function checkExpected(c: Checker, path: string, input: unknown): void {
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

export function checkThresholds(c: Checker, path: string, input: unknown): void {
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
