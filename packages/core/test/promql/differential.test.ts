// Differential test: validateQuery against promtool 2.42 (`promtool check rules`), the oracle.
// A fixed seed and a few thousand generated expressions plus the hand-written corpus; every
// disagreement is printed. mlperf's own rules (OWN_RULES) are stricter on purpose and not counted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareWithPromtool, describeAgreement } from './differential/compare.js';
import { generate } from './differential/generator.js';
import { promtoolVersion } from './differential/oracle.js';

const SEED = 17;
const CASES = 3000;
const REQUIRED = 0.995;

const version = promtoolVersion();
if (!version) {
  throw new Error(
    "the differential test needs promtool (Debian's prometheus package): apt-get install prometheus",
  );
}

function corpus(): string[] {
  const text = readFileSync(new URL('./differential/corpus.promql', import.meta.url), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(';;'));
}

describe(`differential test against promtool ${version}`, () => {
  it(`agrees on >= ${REQUIRED * 100}% of ${CASES} generated expressions (seed ${SEED})`, () => {
    const agreement = compareWithPromtool(generate(SEED, CASES));
    console.log(describeAgreement(agreement, `generated (seed ${SEED})`));
    expect(agreement.ratio).toBeGreaterThanOrEqual(REQUIRED);
  }, 120_000);

  it(`agrees on >= ${REQUIRED * 100}% of the hand-written corpus`, () => {
    const agreement = compareWithPromtool(corpus());
    console.log(describeAgreement(agreement, 'corpus'));
    expect(agreement.ratio).toBeGreaterThanOrEqual(REQUIRED);
  }, 60_000);
});
