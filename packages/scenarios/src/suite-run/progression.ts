import { MlperfError, type SuiteDefinition, type TestDefinition } from '@mlperf/core';

/**
 * The run order: definition order, except that a test always comes after the test it depends on
 * (`after`): baseline -> scale -> target -> endurance, and target -> stress.
 */
export function progression(suite: SuiteDefinition): TestDefinition[] {
  const byId = new Map(suite.tests.map((t) => [t.id, t]));
  const out: TestDefinition[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: TestDefinition, chain: string[]) => {
    const s = state.get(t.id);
    if (s === 'done') return;
    if (s === 'visiting') {
      throw new MlperfError(
        'SUITE_CYCLE',
        `tests form a cycle through "after": ${[...chain, t.id].join(' -> ')}`,
        {
          hint: 'each test may only run after a test that does not (indirectly) run after it',
        },
      );
    }
    state.set(t.id, 'visiting');
    if (t.after) {
      const dep = byId.get(t.after);
      if (!dep) {
        throw new MlperfError(
          'SUITE_UNKNOWN_TEST',
          `test "${t.id}": after "${t.after}" names no test of the suite`,
          {
            hint: `use one of: ${[...byId.keys()].join(', ')}`,
          },
        );
      }
      visit(dep, [...chain, t.id]);
    }
    state.set(t.id, 'done');
    out.push(t);
  };
  for (const t of suite.tests) visit(t, []);
  return out;
}
