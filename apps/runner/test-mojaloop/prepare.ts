import { prepareRequest } from '@mlperf/scenarios';
import { FSPIOP } from './switch.js';

/** POST /transfers of one $1 transfer whose condition the DFSP simulator (same secret) can fulfil. */
export function sendPrepare(id: string, payer: string, payee: string, secret: string): Promise<Response> {
  const expiration = new Date(Date.now() + 60_000).toISOString();
  const request = { transferId: id, payer, payee, amount: '1', currency: 'USD', secret, expiration };
  const { headers, body } = prepareRequest(request);
  return fetch(`${FSPIOP}/transfers`, { method: 'POST', headers, body });
}
