import { fromUnits } from '../fspiop/validate.js';
import type { Participant } from '../ledger.js';

/** A participant's POSITION and SETTLEMENT accounts as central-ledger lists them. */
export function accountsOf(p: Participant) {
  const changedDate = p.positionChanged.toISOString();
  return [
    {
      id: p.positionAccountId,
      ledgerAccountType: 'POSITION',
      currency: p.currency,
      isActive: 1,
      value: fromUnits(p.position + p.reserved),
      reservedValue: fromUnits(p.reserved),
      changedDate,
    },
    {
      id: p.settlementAccountId,
      ledgerAccountType: 'SETTLEMENT',
      currency: p.currency,
      isActive: 1,
      value: -fromUnits(p.liquidity),
      reservedValue: 0,
      changedDate,
    },
  ];
}

/** `GET /participants/{name}`: the participant with links and account summaries. */
export function participantView(p: Participant, base: string) {
  return {
    name: p.name,
    id: `${base}/participants/${p.name}`,
    created: p.created.toISOString(),
    isActive: 1,
    links: { self: `${base}/participants/${p.name}` },
    accounts: accountsOf(p).map(({ id, ledgerAccountType, currency, isActive }) => ({
      id,
      ledgerAccountType,
      currency,
      isActive,
    })),
  };
}

export function positionsView(p: Participant) {
  return [
    {
      currency: p.currency,
      value: fromUnits(p.position + p.reserved),
      changedDate: p.positionChanged.toISOString(),
    },
  ];
}

export function limitView(p: Participant) {
  return {
    currency: p.currency,
    limit: { type: 'NET_DEBIT_CAP', value: fromUnits(p.netDebitCap), alarmPercentage: p.alarmPercentage },
  };
}
