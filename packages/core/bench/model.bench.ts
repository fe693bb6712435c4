// Validation and planning cost: both run before every suite run and on every `mlperf suite show`.
// Run: pnpm bench core/bench/model
import { planSuite, type SuiteDefinition, validateSuite } from '@mlperf/core';

function suite(tests: number, dfsps: number): SuiteDefinition {
  const half = dfsps / 2;
  return {
    name: `bench-${tests}x${dfsps}`,
    dfsps: Array.from({ length: dfsps }, (_, i) => ({
      id: `perffsp-${i + 1}`,
      currency: 'USD',
      initialPosition: 0,
      liquidity: i < half ? 1_000_000 : 0,
      netDebitCap: i < half ? 1_000_000 : 0,
    })),
    corridors: Array.from({ length: half }, (_, i) => ({
      payer: `perffsp-${i + 1}`,
      payee: `perffsp-${i + 1 + half}`,
      weight: 1 / half,
    })),
    transfer: { amount: '0.1', expiration: '30s' },
    tests: Array.from({ length: tests }, (_, i) => ({
      id: `t-${i}`,
      name: `Test ${i}`,
      kind: 'custom' as const,
      ...(i > 0 ? { after: `t-${i - 1}` } : {}),
      stages: [
        { kind: 'ramp' as const, from: 0, to: 1000, duration: '10m' },
        { kind: 'constant' as const, rate: 1000, duration: '30m' },
      ],
      criteria: [
        { kind: 'success-rate' as const, min: 0.995 },
        { kind: 'latency' as const, percentile: 95 as const, maxMs: 300 },
      ],
    })),
    criteria: [{ kind: 'all-tests-completed' }],
  };
}

function measure(label: string, fn: () => void, minMs = 500): void {
  fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    fn();
    n++;
  }
  const per = (performance.now() - start) / n;
  console.log(`${label.padEnd(44)} ${per.toFixed(3).padStart(9)} ms/op  (${n} ops)`);
}

for (const [tests, dfsps] of [
  [5, 8],
  [50, 8],
  [500, 16],
] as const) {
  const s = suite(tests, dfsps);
  measure(`validateSuite ${tests} tests, ${dfsps} DFSPs`, () => validateSuite(s));
  const valid = validateSuite(s).suite;
  measure(`planSuite     ${tests} tests, ${dfsps} DFSPs`, () => planSuite(valid));
}
