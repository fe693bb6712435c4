import { conditionOf, deriveFulfilment, TRANSFERS_ACCEPT, TRANSFERS_CONTENT_TYPE } from '@mlperf/scenarios';
import { ilpPrepare, ilpTemplate } from '../../../packages/scenarios/src/fspiop/ilp.js';
import { amountInMinorUnits, transactionData } from '../../../packages/scenarios/src/fspiop/messages.js';
import { FSPIOP } from './switch.js';

/** POST /transfers of one $1 transfer whose condition the DFSP simulator (same secret) can fulfil. */
export function sendPrepare(id: string, payer: string, payee: string, secret: string): Promise<Response> {
  const expiration = new Date(Date.now() + 60_000).toISOString();
  const condition = conditionOf(deriveFulfilment(secret, id));
  const tpl = ilpTemplate(
    `g.${payee}.msisdn.1`,
    amountInMinorUnits('1'),
    transactionData(payer, payee, '1', 'USD', id),
  );
  return fetch(`${FSPIOP}/transfers`, {
    method: 'POST',
    headers: {
      'content-type': TRANSFERS_CONTENT_TYPE,
      accept: TRANSFERS_ACCEPT,
      date: new Date().toUTCString(),
      'fspiop-source': payer,
      'fspiop-destination': payee,
    },
    body: JSON.stringify({
      transferId: id,
      payerFsp: payer,
      payeeFsp: payee,
      amount: { amount: '1', currency: 'USD' },
      ilpPacket: ilpPrepare(tpl, expiration, condition),
      condition: condition.toString('base64url'),
      expiration,
    }),
  });
}
