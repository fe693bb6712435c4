import { MlperfError } from '../errors.js';
import type { SuiteDefinition } from './types.js';
import { Checker, type SuiteIssue } from './validate-check.js';
import {
  canonicalAmount,
  checkBands,
  checkCorridors,
  checkCost,
  checkDfsps,
  checkProfile,
  checkQueries,
  checkTransfer,
} from './validate-parts.js';
import { checkSuiteCriteria } from './validate-criteria.js';
import { checkTests } from './validate-tests.js';

export type { SuiteIssue } from './validate-check.js';
export { WEIGHT_TOLERANCE } from './validate-parts.js';

export interface ValidateOptions {
  /**
   * Corridor weights must sum to 1 (within `WEIGHT_TOLERANCE`). With this set, weights that do not
   * are scaled to sum to 1 and a warning is given instead of an error.
   */
  normaliseWeights?: boolean;
  /** Names the input in the error message: `suite file my.yaml` (default `suite`). */
  source?: string;
}

export interface ValidatedSuite {
  /** A copy of the input (weights normalised when asked to). */
  suite: SuiteDefinition;
  /** Things that are allowed but probably not meant: unknown fields, normalised weights... */
  warnings: SuiteIssue[];
}

/** What `SUITE_INVALID` errors carry in `details`. */
export interface SuiteInvalidDetails {
  problems: SuiteIssue[];
  warnings: SuiteIssue[];
}

const SUITE_KEYS = [
  'name',
  'description',
  'dfsps',
  'corridors',
  'transfer',
  'tests',
  'criteria',
  'bands',
  'queries',
  'cooldownBetweenTests',
  'cost',
  'profile',
];

/**
 * Checks every rule of the suite model at run time and reports all problems at once.
 * Throws `MlperfError` `SUITE_INVALID` (exit code 2) whose `details` is a `SuiteInvalidDetails`.
 */
export function validateSuite(input: unknown, options: ValidateOptions = {}): ValidatedSuite {
  const c = new Checker();
  const s = c.object('(suite)', input);
  let weightFactor = 1;
  if (s) {
    c.knownKeys('', s, SUITE_KEYS);
    c.string('name', s.name, { hint: 'name the suite, e.g. "phase-07"' });
    c.string('description', s.description, { required: false });
    const dfsps = checkDfsps(c, s.dfsps);
    const currency = checkTransfer(c, 'transfer', s.transfer, false);
    const corridorCheck = {
      dfsps,
      currency,
      normaliseWeights: options.normaliseWeights === true,
      suiteCorridors: Array.isArray(s.corridors) ? (s.corridors as unknown[]) : [],
    };
    weightFactor = checkCorridors(c, 'corridors', s.corridors, corridorCheck);
    const facts = checkTests(c, s.tests, corridorCheck);
    checkSuiteCriteria(c, s.criteria, facts);
    checkBands(c, s.bands);
    checkQueries(c, s.queries);
    c.duration('cooldownBetweenTests', s.cooldownBetweenTests, { required: false });
    checkCost(c, s.cost);
    checkProfile(c, s.profile);
  }
  if (c.problems.length > 0) throw suiteInvalid(c.problems, c.warnings, options.source);
  const suite = structuredClone(input) as SuiteDefinition;
  if (weightFactor !== 1)
    suite.corridors = suite.corridors.map((k) => ({ ...k, weight: k.weight * weightFactor }));
  suite.transfer.amount = canonicalAmount(suite.transfer.amount);
  for (const t of suite.tests) {
    if (t.transfer?.amount !== undefined) t.transfer.amount = canonicalAmount(t.transfer.amount);
    if (t.corridors && options.normaliseWeights) {
      const sum = t.corridors.reduce((a, k) => a + k.weight, 0);
      t.corridors = t.corridors.map((k) => ({ ...k, weight: k.weight / sum }));
    }
  }
  return { suite, warnings: c.warnings };
}

function suiteInvalid(problems: SuiteIssue[], warnings: SuiteIssue[], source?: string): MlperfError {
  const n = problems.length;
  const what = source ?? 'suite';
  const lines = problems.map((p, i) => {
    const head = `  ${i + 1}. ${p.path}: ${p.message}`;
    return p.hint ? `${head}\n     hint: ${p.hint}` : head;
  });
  const details: SuiteInvalidDetails = { problems, warnings };
  return new MlperfError(
    'SUITE_INVALID',
    `${what} has ${n} problem${n === 1 ? '' : 's'}:\n${lines.join('\n')}`,
    {
      hint: 'fix every problem listed, then check again with `mlperf validate <file>`',
      details,
    },
  );
}

/** The problems of a `SUITE_INVALID` error (empty for any other error). */
export function suiteProblems(err: unknown): SuiteIssue[] {
  if (!(err instanceof MlperfError) || err.code !== 'SUITE_INVALID') return [];
  const d = err.details as Partial<SuiteInvalidDetails> | undefined;
  return Array.isArray(d?.problems) ? d.problems : [];
}
