import type { DfspDefinition } from './types.js';

/**
 * The Phase-07 plan's eight DFSPs: perffsp-1..4 funded payers ($1,000,000.00 liquidity and net debit
 * cap), perffsp-5..8 unfunded payees.
 */
export function standardDfsps(currency = 'USD'): DfspDefinition[] {
  return Array.from({ length: 8 }, (_, i) => {
    const funded = i < 4;
    return {
      id: `perffsp-${i + 1}`,
      currency,
      initialPosition: 0,
      liquidity: funded ? 1_000_000 : 0,
      netDebitCap: funded ? 1_000_000 : 0,
    };
  });
}
