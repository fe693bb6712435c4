/**
 * A custom suite written against @mlperf/core: two payers send to two payees in one currency, a
 * steady test at 200 TPS and a stress test that ramps until a stop rule fires.
 *
 *   mlperf validate examples/custom-suite.ts
 *   mlperf suite show --suite examples/custom-suite.ts --profile quick
 */
import { defineDfsp, defineSuite, defineTest, stage } from '@mlperf/core';

const funded = (id: string) =>
  defineDfsp({ id, currency: 'EUR', initialPosition: 0, liquidity: 250_000, netDebitCap: 250_000 });
const payee = (id: string) =>
  defineDfsp({ id, currency: 'EUR', initialPosition: 0, liquidity: 0, netDebitCap: 0 });

const steady = defineTest({
  id: 'steady-200tps',
  name: 'Steady 200 TPS',
  kind: 'custom',
  stages: [stage.ramp(0, 200, '1m', 'warm up'), stage.constant(200, '10m', 'steady')],
  warmup: '1m',
  cooldown: '30s',
  criteria: [
    { kind: 'achieved-rate', minRatio: 0.99 },
    { kind: 'success-rate', min: 0.999 },
    { kind: 'latency', percentile: 95, maxMs: 250 },
    { kind: 'latency', percentile: 99, maxMs: 400 },
  ],
});

const stress = defineTest({
  id: 'find-the-limit',
  name: 'Ramp until it breaks',
  kind: 'stress',
  after: steady.id,
  stages: [
    stage.ramp(200, 1000, '5m', 'ramp to 1000'),
    stage.openRamp({ from: 1000, stepPerMinute: 250, maxRate: 4000, name: 'onwards' }),
  ],
  stopRule: { maxErrorRate: 0.02, maxP95Ms: 1500, minAchievedRatio: 0.9, window: '20s' },
  recovery: { rate: 100, duration: '2m' },
  criteria: [],
});

export default defineSuite({
  name: 'two-corridor-eur',
  description: 'Four DFSPs, two corridors (70/30), a steady test and a stress test.',
  dfsps: [funded('bank-a'), funded('bank-b'), payee('wallet-x'), payee('wallet-y')],
  corridors: [
    { payer: 'bank-a', payee: 'wallet-x', weight: 0.7 },
    { payer: 'bank-b', payee: 'wallet-y', weight: 0.3 },
  ],
  transfer: { amount: '0.5', expiration: '30s', quote: true },
  tests: [steady, stress],
  criteria: [
    { kind: 'all-tests-completed' },
    { kind: 'breaking-point-identified', test: stress.id },
    { kind: 'clean-recovery', test: stress.id, within: '2m' },
  ],
  cooldownBetweenTests: '1m',
  cost: { perNodeHour: 0.9, nodes: 6, currency: 'EUR' },
});
