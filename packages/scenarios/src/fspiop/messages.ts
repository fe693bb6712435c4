import { MlperfError } from '@mlperf/core';

/** FSPIOP v1.1 media type of the transfers resource (Content-Type and Accept). */
export const TRANSFERS_CONTENT_TYPE = 'application/vnd.interoperability.transfers+json;version=1.1';
export const TRANSFERS_ACCEPT = 'application/vnd.interoperability.transfers+json;version=1.1';

/** FSPIOP error codes the engine uses or reports. */
export const FSPIOP_ERRORS = {
  payeeRejected: { errorCode: '5105', errorDescription: 'Payee transaction limit reached' },
  payeeUnreachable: { errorCode: '5000', errorDescription: 'Payee FSP error' },
} as const;

const AMOUNT_PATTERN = /^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$/;

/**
 * The FSPIOP canonical form of a decimal amount: no trailing zeros, at most 4 decimals
 * (`"0.10"` -> `"0.1"`, `"5.00"` -> `"5"`). Throws a bad-input error naming `path`.
 */
export function canonicalAmount(amount: string, path = 'transfer.amount'): string {
  const m = /^\s*(\d+)(?:\.(\d+))?\s*$/.exec(amount);
  if (!m) {
    throw new MlperfError('AMOUNT_INVALID', `${path}: "${amount}" is not a decimal amount`, {
      hint: 'write the amount in major units as a decimal string, e.g. "0.10" or "25"',
    });
  }
  const whole = (m[1] as string).replace(/^0+(?=\d)/, '');
  const frac = (m[2] ?? '').replace(/0+$/, '');
  const out = frac ? `${whole}.${frac}` : whole;
  if (!AMOUNT_PATTERN.test(out)) {
    throw new MlperfError('AMOUNT_INVALID', `${path}: "${amount}" has more than 4 decimals or 18 digits`, {
      hint: 'FSPIOP amounts have at most 18 digits before and 4 after the decimal point',
    });
  }
  if (out === '0') {
    throw new MlperfError('AMOUNT_INVALID', `${path}: the amount must be greater than zero`, {
      hint: 'use a small positive amount such as "0.10"',
    });
  }
  return out;
}

/** The amount in 1/10,000 units (the ILP packet's integer amount). */
export function amountInMinorUnits(canonical: string): bigint {
  const [whole, frac = ''] = canonical.split('.');
  return BigInt(whole as string) * 10_000n + BigInt(frac.padEnd(4, '0'));
}

/** Request headers of one FSPIOP message (lower-case names, as node:http sends them). */
export interface FspiopHeaders {
  accept?: string;
  'content-type': string;
  date: string;
  'fspiop-source': string;
  'fspiop-destination': string;
  'content-length'?: string;
  [name: string]: string | undefined;
}

export function fspiopHeaders(
  source: string,
  destination: string,
  date: string,
  withAccept: boolean,
): FspiopHeaders {
  const h: FspiopHeaders = {
    'content-type': TRANSFERS_CONTENT_TYPE,
    date,
    'fspiop-source': source,
    'fspiop-destination': destination,
  };
  if (withAccept) h.accept = TRANSFERS_ACCEPT;
  return h;
}

/**
 * Pre-escaped JSON fragments of one corridor, so a prepare body is one template string.
 * Names and currency are JSON-encoded once here.
 */
export interface PrepareParts {
  head: string;
  amount: string;
}

export function prepareParts(payer: string, payee: string, amount: string, currency: string): PrepareParts {
  return {
    head: `,"payerFsp":${JSON.stringify(payer)},"payeeFsp":${JSON.stringify(payee)}`,
    amount: `,"amount":{"amount":${JSON.stringify(amount)},"currency":${JSON.stringify(currency)}}`,
  };
}

/** The POST /transfers body. */
export function prepareBody(
  p: PrepareParts,
  transferId: string,
  ilpPacket: string,
  condition: string,
  expiration: string,
): string {
  return `{"transferId":"${transferId}"${p.head}${p.amount},"ilpPacket":"${ilpPacket}","condition":"${condition}","expiration":"${expiration}"}`;
}

/** The payee's PUT /transfers/{id} body. */
export function fulfilBody(fulfilment: string, completedTimestamp: string): string {
  return `{"fulfilment":"${fulfilment}","completedTimestamp":"${completedTimestamp}","transferState":"COMMITTED"}`;
}

/** A PUT /transfers/{id}/error body. */
export function errorBody(errorCode: string, errorDescription: string): string {
  return JSON.stringify({ errorInformation: { errorCode, errorDescription } });
}

/**
 * The FSPIOP transaction object a payer DFSP puts in the ILP packet's data (base64url JSON).
 * Built once per corridor; the switch does not read it.
 */
export function transactionData(
  payer: string,
  payee: string,
  amount: string,
  currency: string,
  id: string,
): Buffer {
  const party = (fspId: string, msisdn: string) => ({
    partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: msisdn, fspId },
  });
  const tx = {
    transactionId: id,
    quoteId: id,
    payee: party(payee, '27710000002'),
    payer: party(payer, '27710000001'),
    amount: { amount, currency },
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
  };
  return Buffer.from(Buffer.from(JSON.stringify(tx)).toString('base64url'), 'ascii');
}
