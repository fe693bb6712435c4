import { describe, expect, it } from 'vitest';
import { type CorridorDefinition, MlperfError, type Stage, validateSuite } from '@mlperf/core';
import { broken, problems, validSuite, warnings } from './_suite.js';

type Edit = Parameters<typeof broken>[0];
const t0 = (s: Parameters<Edit>[0]) => s.tests[0]!;
const t1 = (s: Parameters<Edit>[0]) => s.tests[1]!;
const set = (o: object, k: string, v: unknown) => {
  (o as Record<string, unknown>)[k] = v;
};

describe('validateSuite: a valid suite', () => {
  it('passes with no warnings and returns a copy', () => {
    const input = validSuite();
    const { suite, warnings: w } = validateSuite(input);
    expect(w).toEqual([]);
    expect(suite).toEqual(input);
    expect(suite).not.toBe(input);
  });
});

describe('validateSuite: each rule rejects a bad input with its path', () => {
  const cases: [string, Edit, string[]][] = [
    ['missing name', (s) => set(s, 'name', undefined), ['name: is required']],
    [
      'no DFSPs',
      (s) => set(s, 'dfsps', []),
      [
        'dfsps: must not be empty',
        'corridors[0].payer: unknown DFSP "fsp-a"',
        'corridors[0].payee: unknown DFSP "fsp-c"',
        'corridors[1].payer: unknown DFSP "fsp-b"',
        'corridors[1].payee: unknown DFSP "fsp-c"',
      ],
    ],
    [
      'bad DFSP id',
      (s) => set(s.dfsps[2]!, 'id', 'fsp c!'),
      [
        'dfsps[2].id: "fsp c!" is not a valid FSPIOP participant name',
        'corridors[0].payee: unknown DFSP "fsp-c"',
        'corridors[1].payee: unknown DFSP "fsp-c"',
      ],
    ],
    [
      'duplicate DFSP id',
      (s) => set(s.dfsps[1]!, 'id', 'fsp-a'),
      ['dfsps[1].id: duplicate DFSP id "fsp-a"', 'corridors[1].payer: unknown DFSP "fsp-b"'],
    ],
    [
      'bad currency',
      (s) => set(s.dfsps[0]!, 'currency', 'usd'),
      ['dfsps[0].currency: "usd" is not an ISO 4217 currency code'],
    ],
    [
      'negative liquidity',
      (s) => set(s.dfsps[0]!, 'liquidity', -1),
      ['dfsps[0].liquidity: must be >= 0, got -1'],
    ],
    [
      'net debit cap as a string',
      (s) => set(s.dfsps[0]!, 'netDebitCap', '100'),
      ['dfsps[0].netDebitCap: must be a number, got "100"'],
    ],
    [
      'bad callback URL',
      (s) => set(s.dfsps[0]!, 'callbackBaseUrl', 'ftp://x'),
      ['dfsps[0].callbackBaseUrl: "ftp://x" is not an http(s) URL'],
    ],
    [
      'unknown DFSP in a corridor',
      (s) => set(s.corridors[0]!, 'payee', 'fsp-z'),
      ['corridors[0].payee: unknown DFSP "fsp-z"'],
    ],
    [
      'payer pays itself',
      (s) => set(s.corridors[0]!, 'payee', 'fsp-a'),
      ['corridors[0]: payer and payee are both "fsp-a"'],
    ],
    [
      'duplicate corridor',
      (s) => {
        s.corridors[1] = { payer: 'fsp-a', payee: 'fsp-c', weight: 0.4 };
      },
      ['corridors[1]: duplicate corridor fsp-a->fsp-c'],
    ],
    [
      'weights summing to 0.9',
      (s) => set(s.corridors[1]!, 'weight', 0.3),
      ['corridors: weights must sum to 1, they sum to 0.9'],
    ],
    ['zero weight', (s) => set(s.corridors[1]!, 'weight', 0), ['corridors[1].weight: must be > 0, got 0']],
    [
      'currency mismatch',
      (s) => set(s.dfsps[2]!, 'currency', 'EUR'),
      [
        'corridors[0]: fsp-c holds EUR but transfers here are in USD',
        'corridors[1]: fsp-c holds EUR but transfers here are in USD',
      ],
    ],
    [
      'amount as a number',
      (s) => set(s.transfer, 'amount', 1),
      ['transfer.amount: must be a decimal string, got the number 1'],
    ],
    [
      'amount with 5 decimals',
      (s) => set(s.transfer, 'amount', '0.00001'),
      ['transfer.amount: "0.00001" is not an FSPIOP amount'],
    ],
    ['amount 0', (s) => set(s.transfer, 'amount', '0'), ['transfer.amount: must be > 0']],
    [
      '"5 minutes" duration',
      (s) => set(t0(s).stages[0]!, 'duration', '5 minutes'),
      ['tests[0].stages[0].duration: "5 minutes" is not a duration'],
    ],
    [
      'duration as a number',
      (s) => set(s.transfer, 'expiration', 30),
      ['transfer.expiration: must be a duration string like "5m", got 30'],
    ],
    [
      'zero duration',
      (s) => set(t0(s).stages[0]!, 'duration', '0s'),
      ['tests[0].stages[0].duration: must be longer than 0, got "0s"'],
    ],
    [
      'negative rate',
      (s) => set(t0(s).stages[0]!, 'rate', -5),
      ['tests[0].stages[0].rate: must be > 0, got -5'],
    ],
    [
      'unknown stage kind',
      (s) => set(t0(s).stages[0]!, 'kind', 'steady'),
      ['tests[0].stages[0].kind: "steady" is not allowed'],
    ],
    [
      'ramp from 0 to 0',
      (s) => {
        t0(s).stages[0] = { kind: 'ramp', from: 0, to: 0, duration: '1m' };
      },
      ['tests[0].stages[0]: a ramp from 0 to 0 sends nothing'],
    ],
    ['no stages', (s) => set(t0(s), 'stages', []), ['tests[0].stages: must not be empty']],
    [
      'open ramp without a stop rule',
      (s) => set(t1(s), 'stopRule', undefined),
      ['tests[1].stopRule: is required: the test has an open-ended ramp'],
    ],
    [
      'stop rule without a condition',
      (s) => set(t1(s), 'stopRule', { window: '10s' }),
      ['tests[1].stopRule: has no condition'],
    ],
    [
      'open ramp without a bound',
      (s) => {
        t1(s).stages[1] = { kind: 'open-ramp', from: 20, stepPerMinute: 10 } as Stage;
      },
      ['tests[1].stages[1]: an open-ended ramp needs a safety bound: maxRate or maxDuration'],
    ],
    [
      'open ramp not last',
      (s) => {
        t1(s).stages.reverse();
      },
      ['tests[1].stages[0]: an open-ended ramp must be the last stage'],
    ],
    [
      'open ramp maxRate below from',
      (s) => set(t1(s).stages[1]!, 'maxRate', 10),
      ['tests[1].stages[1].maxRate: must not be below from (20), got 10'],
    ],
    [
      'duplicate test id',
      (s) => set(t1(s), 'id', 'steady'),
      [
        'tests[1].id: duplicate test id "steady"',
        'tests[1].after: test "steady" cannot run after itself',
        'criteria[1].test: unknown test "stress"',
      ],
    ],
    [
      'bad test id',
      (s) => set(t0(s), 'id', 'Steady Test'),
      ['tests[0].id: "Steady Test" is not a valid test id', 'tests[1].after: unknown test "steady"'],
    ],
    ['unknown test kind', (s) => set(t0(s), 'kind', 'soak'), ['tests[0].kind: "soak" is not allowed']],
    [
      'after an unknown test',
      (s) => set(t1(s), 'after', 'warmup'),
      ['tests[1].after: unknown test "warmup"'],
    ],
    [
      'progression cycle',
      (s) => set(t0(s), 'after', 'stress'),
      ['tests[0].after: progression cycle: steady -> stress -> steady'],
    ],
    [
      'success rate as a percentage',
      (s) => set(t0(s).criteria[0]!, 'min', 99.5),
      ['tests[0].criteria[0].min: must be <= 1, got 99.5'],
    ],
    [
      'unknown criterion',
      (s) => {
        t0(s).criteria.push({ kind: 'vibes' } as never);
      },
      ['tests[0].criteria[1].kind: "vibes" is not allowed'],
    ],
    [
      'latency percentile 97',
      (s) => {
        t0(s).criteria.push({ kind: 'latency', percentile: 97, maxMs: 100 } as never);
      },
      ['tests[0].criteria[1].percentile: 97 is not supported'],
    ],
    [
      'bad k6 threshold',
      (s) => set(t0(s), 'thresholds', { transfer_duration: ['p95 < 300'] }),
      ['tests[0].thresholds.transfer_duration[0]: "p95 < 300" is not a k6 threshold expression'],
    ],
    ['maxInFlight 0', (s) => set(t0(s), 'maxInFlight', 0), ['tests[0].maxInFlight: must be >= 1, got 0']],
    [
      'test corridor override with unknown DFSP',
      (s) =>
        set(t0(s), 'corridors', [
          { payer: 'fsp-a', payee: 'nobody', weight: 1 },
        ] satisfies CorridorDefinition[]),
      ['tests[0].corridors[0].payee: unknown DFSP "nobody"'],
    ],
    [
      'test in a currency its corridors lack',
      (s) => set(t0(s), 'transfer', { currency: 'EUR' }),
      ["tests[0].transfer.currency: EUR is not held by fsp-a, fsp-c, fsp-b on the suite's corridors"],
    ],
    [
      'recovery with no rate',
      (s) => set(t1(s), 'recovery', { duration: '1m' }),
      ['tests[1].recovery.rate: is required'],
    ],
    [
      'suite criterion naming an unknown test',
      (s) => set(s.criteria[1]!, 'test', 'nope'),
      ['criteria[1].test: unknown test "nope"'],
    ],
    [
      'linear scaling without a rate',
      (s) => {
        s.criteria.push({ kind: 'linear-scaling' } as never);
      },
      ['criteria[2].upToRate: is required'],
    ],
    [
      'bands out of order',
      (s) =>
        set(s, 'bands', [
          {
            metric: 'cpu',
            label: 'CPU',
            unit: 'ratio',
            better: 'lower',
            target: 0.9,
            warning: 0.8,
            critical: 0.7,
          },
        ]),
      ['bands[0]: target 0.9, warning 0.8, critical 0.7 are out of order'],
    ],
    [
      'empty query',
      (s) => set(s, 'queries', { tps: '' }),
      ['queries.tps: must be a non-empty string, got ""'],
    ],
    [
      'cost with 0 nodes',
      (s) => set(s, 'cost', { perNodeHour: 4, nodes: 0 }),
      ['cost.nodes: must be >= 1, got 0'],
    ],
  ];
  it.each(cases)('%s', (_name, edit, expected) => {
    expect(problems(broken(edit))).toEqual(expected);
  });

  it('rejects input that is not an object', () => {
    expect(problems('a string')).toEqual(['(suite): must be an object, got "a string"']);
    expect(problems(null)).toEqual(['(suite): must be an object, got null']);
  });
});

describe('validateSuite: progression', () => {
  const chain = (afters: (string | undefined)[]) =>
    broken((s) => {
      const template = s.tests[0]!;
      s.tests = afters.map((after, i) => ({
        ...structuredClone(template),
        id: `t${i}`,
        ...(after ? { after } : {}),
      }));
      s.criteria = [];
    });

  it('accepts a long chain and reports a cycle entered from outside once', () => {
    expect(problems(chain([undefined, ...Array.from({ length: 99 }, (_, i) => `t${i}`)]))).toEqual([]);
    expect(problems(chain(['t1', 't2', 't3', 't2']))).toEqual([
      'tests[2].after: progression cycle: t2 -> t3 -> t2',
    ]);
    expect(problems(chain(['t2', 't0', 't1']))).toEqual([
      'tests[0].after: progression cycle: t0 -> t2 -> t1 -> t0',
    ]);
  });
});

describe('validateSuite: all problems at once', () => {
  it('throws one SUITE_INVALID (exit 2) listing every problem with its hint', () => {
    const input = broken((s) => {
      set(s.corridors[0]!, 'payee', 'fsp-z');
      set(t0(s).stages[0]!, 'rate', -1);
      set(t0(s).stages[0]!, 'duration', '5 minutes');
      set(s.corridors[1]!, 'weight', 0.3);
      set(t1(s), 'stopRule', undefined);
    });
    let err: unknown;
    try {
      validateSuite(input, { source: 'suite file my-suite.yaml' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MlperfError);
    const e = err as MlperfError;
    expect(e.code).toBe('SUITE_INVALID');
    expect(e.exitCode).toBe(2);
    expect((e.details as { problems: unknown[] }).problems).toHaveLength(5);
    expect(e.format()).toMatchInlineSnapshot(`
      "SUITE_INVALID: suite file my-suite.yaml has 5 problems:
        1. corridors[0].payee: unknown DFSP "fsp-z"
           hint: declare it in \`dfsps\` or use one of: fsp-a, fsp-b, fsp-c
        2. corridors: weights must sum to 1, they sum to 0.9
           hint: fix the weights, or validate with normaliseWeights (CLI: --normalise-weights) to scale them to 1
        3. tests[0].stages[0].rate: must be > 0, got -1
           hint: transfers per second, e.g. 100
        4. tests[0].stages[0].duration: "5 minutes" is not a duration
           hint: write a number and a unit without spaces: 500ms, 30s, 5m, 2h or 1h30m
        5. tests[1].stopRule: is required: the test has an open-ended ramp
           hint: add a stop rule, e.g. { maxErrorRate: 0.05, maxP95Ms: 2000, minAchievedRatio: 0.9 }
        hint: fix every problem listed, then check again with \`mlperf validate <file>\`"
    `);
  });
});

describe('validateSuite: warnings', () => {
  it('suggests the field meant by a typo', () => {
    const input = broken((s) => set(t0(s).stages[0]!, 'rte', 5));
    expect(validateSuite(input).warnings).toMatchInlineSnapshot(`
      [
        {
          "hint": "did you mean "rate"?",
          "message": "unknown field, ignored",
          "path": "tests[0].stages[0].rte",
        },
      ]
    `);
  });

  it('normalises weights with a warning when asked to', () => {
    const input = broken((s) => {
      set(s.corridors[0]!, 'weight', 0.3);
      set(s.corridors[1]!, 'weight', 0.6);
    });
    expect(problems(input)).toEqual(['corridors: weights must sum to 1, they sum to 0.9']);
    const { suite, warnings: w } = validateSuite(input, { normaliseWeights: true });
    expect(w.map((x) => x.message)).toEqual(['weights sum to 0.9, normalised to 1']);
    expect(suite.corridors.map((k) => k.weight)).toEqual([1 / 3, 2 / 3]);
  });

  it('accepts weights within the tolerance', () => {
    const input = broken((s) => {
      s.corridors = [0.1, 0.2, 0.7].map((weight, i) => ({
        payer: i ? 'fsp-b' : 'fsp-a',
        payee: i === 2 ? 'fsp-a' : 'fsp-c',
        weight,
      }));
    });
    expect(warnings(input)).toEqual([]);
  });

  it('sends an amount with trailing zeros in FSPIOP form', () => {
    const input = broken((s) => set(s.transfer, 'amount', '0.10'));
    const { suite, warnings: w } = validateSuite(input);
    expect(suite.transfer.amount).toBe('0.1');
    expect(w).toEqual([
      {
        path: 'transfer.amount',
        message: '"0.10" sent as "0.1"',
        hint: 'FSPIOP amounts have no trailing zeros: write "0.1"',
      },
    ]);
  });

  it('hints at fractions when a percentage is given', () => {
    let hint: string | undefined;
    try {
      validateSuite(broken((s) => set(t0(s).criteria[0]!, 'min', 99.5)));
    } catch (err) {
      hint = ((err as MlperfError).details as { problems: { hint?: string }[] }).problems[0]?.hint;
    }
    expect(hint).toBe('fractions are 0..1: write 99.5% as 0.995');
  });

  it('warns about a stress test that cannot find a breaking point, and empty criteria', () => {
    const input = broken((s) => {
      t1(s).stages.pop();
      set(t1(s), 'stopRule', undefined);
      set(t0(s), 'criteria', []);
    });
    expect(warnings(input)).toEqual([
      'tests[0].criteria: no criteria: the test passes whatever happens',
      'tests[1].stages: a stress test without an open-ramp stage may never find the breaking point',
      'criteria[1]: "breaking-point-identified" needs a test with an open-ramp stage',
    ]);
  });
});
