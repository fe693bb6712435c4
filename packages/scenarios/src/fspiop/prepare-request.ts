import { conditionOf, deriveFulfilment, toBase64Url } from './crypto.js';
import { ilpPrepare, ilpTemplate } from './ilp.js';
import { amountInMinorUnits, fspiopHeaders, prepareBody, prepareParts, transactionData } from './messages.js';

export interface PrepareRequestOptions {
  transferId: string;
  payer: string;
  payee: string;
  /** Major units, FSPIOP canonical form (e.g. `"1"`, `"0.1"`). */
  amount: string;
  currency: string;
  /** The payee's fulfilment secret (the DFSP simulator's `MLPERF_FULFILMENT_SECRET`). */
  secret: string;
  /** ISO 8601 UTC. */
  expiration: string;
}

/**
 * The POST /transfers a payer DFSP sends (FSPIOP v1.1 headers, ILP v4 packet) with the condition
 * of `deriveFulfilment(secret, transferId)`, so a payee holding the same secret can fulfil it.
 */
export function prepareRequest(o: PrepareRequestOptions): { headers: Record<string, string>; body: string } {
  const condition = conditionOf(deriveFulfilment(o.secret, o.transferId));
  const tpl = ilpTemplate(
    `g.${o.payee}.msisdn.27710000002`,
    amountInMinorUnits(o.amount),
    transactionData(o.payer, o.payee, o.amount, o.currency, o.transferId),
  );
  const body = prepareBody(
    prepareParts(o.payer, o.payee, o.amount, o.currency),
    o.transferId,
    ilpPrepare(tpl, o.expiration, condition),
    toBase64Url(condition),
    o.expiration,
  );
  const headers = fspiopHeaders(o.payer, o.payee, new Date().toUTCString(), true) as Record<string, string>;
  return { headers, body };
}
