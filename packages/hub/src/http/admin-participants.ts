import type Router from 'find-my-way';
import { FspiopError } from '../fspiop/errors.js';
import { fromUnits, toUnits } from '../fspiop/validate.js';
import type { Participant } from '../ledger.js';
import { type AdminRequest, type AdminRoute, type Body, objectOf } from './admin-request.js';
import { accountsOf, limitView, participantView, positionsView } from './admin-views.js';
import { sendEmpty, sendJson } from './util.js';

const AMOUNT = /^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$/;

function participantOf(r: AdminRequest): Participant {
  const name = r.params.name ?? '';
  const p = r.hub.ledger.participants.get(name);
  if (!p) throw new FspiopError('3200', `participant ${name} not found`);
  return p;
}

/** Throws 3200 when the path names a participant the ledger does not have. */
export function unknownParticipantRoute(r: AdminRequest): void {
  const [first, name] = r.path.split('/').filter(Boolean);
  if (first !== 'participants' || name === undefined) return;
  let decoded: string;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    return;
  }
  participantOf({ ...r, params: { name: decoded } });
}

/** The participant's settlement account, which is the only one funds move through. */
function settlementOf(r: AdminRequest): Participant {
  const p = participantOf(r);
  const id = r.params.accountId;
  if (Number(id) !== p.settlementAccountId)
    throw new FspiopError(
      '3100',
      `account ${id} is not the settlement account (${p.settlementAccountId}) of ${p.name}`,
    );
  return p;
}

function amountOf(b: Body, p: Participant): number {
  const a = objectOf(b.amount, 'amount');
  if (typeof a.amount !== 'string' || !AMOUNT.test(a.amount))
    throw new FspiopError('3100', 'amount.amount must be a decimal string');
  if (a.currency !== p.currency) throw new FspiopError('3100', `amount.currency must be ${p.currency}`);
  return toUnits(a.amount);
}

const list: AdminRoute = (r) =>
  sendJson(
    r.res,
    200,
    [...r.hub.ledger.participants.values()].map((p) => participantView(p, r.base)),
  );

const getOne: AdminRoute = (r) => sendJson(r.res, 200, participantView(participantOf(r), r.base));
const getPositions: AdminRoute = (r) => sendJson(r.res, 200, positionsView(participantOf(r)));
const getAccounts: AdminRoute = (r) => sendJson(r.res, 200, accountsOf(participantOf(r)));
const getLimits: AdminRoute = (r) => sendJson(r.res, 200, [limitView(participantOf(r))]);

/** recordFundsIn, or recordFundsOutPrepareReserve (which holds the funds until commit or abort). */
const moveFunds: AdminRoute = (r) => {
  const p = settlementOf(r);
  const b = objectOf(r.body(), 'body');
  const units = amountOf(b, p);
  const transferId = typeof b.transferId === 'string' ? b.transferId : '';
  if (!transferId) throw new FspiopError('3102', 'Missing mandatory element: transferId');
  if (b.action === 'recordFundsIn') p.liquidity += units;
  else if (b.action === 'recordFundsOutPrepareReserve') {
    if (units > p.liquidity)
      throw new FspiopError('4001', `funds out of ${fromUnits(units)} exceed the liquidity of ${p.name}`);
    p.liquidity -= units;
    p.fundsOut.set(transferId, units);
  } else throw new FspiopError('3100', 'action must be recordFundsIn or recordFundsOutPrepareReserve');
  sendEmpty(r.res, 202);
};

/** recordFundsOutCommit or recordFundsOutAbort of reserved funds out. */
const settleFundsOut: AdminRoute = (r) => {
  const p = settlementOf(r);
  const b = objectOf(r.body(), 'body');
  const id = r.params.transferId ?? '';
  const units = p.fundsOut.get(id);
  if (units === undefined) throw new FspiopError('3200', `no reserved funds out ${id} for ${p.name}`);
  if (b.action === 'recordFundsOutAbort') p.liquidity += units;
  else if (b.action !== 'recordFundsOutCommit')
    throw new FspiopError('3100', 'action must be recordFundsOutCommit or recordFundsOutAbort');
  p.fundsOut.delete(id);
  sendEmpty(r.res, 202);
};

const putLimit: AdminRoute = (r) => {
  const p = participantOf(r);
  const b = objectOf(r.body(), 'body');
  const l = objectOf(b.limit, 'limit');
  if (b.currency !== undefined && b.currency !== p.currency)
    throw new FspiopError('3100', `currency must be ${p.currency}`);
  if (l.type !== 'NET_DEBIT_CAP') throw new FspiopError('3100', 'limit.type must be NET_DEBIT_CAP');
  if (typeof l.value !== 'number' || !(l.value >= 0))
    throw new FspiopError('3100', 'limit.value must be a number >= 0');
  p.netDebitCap = Math.round(l.value * 10_000);
  if (typeof l.alarmPercentage === 'number') p.alarmPercentage = l.alarmPercentage;
  sendJson(r.res, 200, limitView(p));
};

const getEndpoints: AdminRoute = (r) =>
  sendJson(
    r.res,
    200,
    [...participantOf(r).endpoints].map(([type, value]) => ({ type, value })),
  );

const addEndpoint: AdminRoute = (r) => {
  const p = participantOf(r);
  const b = objectOf(r.body(), 'body');
  if (typeof b.type !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(b.type))
    throw new FspiopError('3100', 'type must be an endpoint type such as FSPIOP_CALLBACK_URL_TRANSFER_POST');
  if (typeof b.value !== 'string' || !/^https?:\/\//.test(b.value))
    throw new FspiopError('3100', 'value must be an http(s) URL');
  p.endpoints.set(b.type, b.value);
  sendEmpty(r.res, 201);
};

const P = '/participants/:name';

/** central-ledger's participant API: method, path, route. */
export const participantRoutes: ReadonlyArray<readonly [Router.HTTPMethod, string, AdminRoute]> = [
  ['GET', '/participants', list],
  ['GET', P, getOne],
  ['GET', `${P}/positions`, getPositions],
  ['GET', `${P}/accounts`, getAccounts],
  ['POST', `${P}/accounts/:accountId`, moveFunds],
  ['PUT', `${P}/accounts/:accountId/transfers/:transferId`, settleFundsOut],
  ['GET', `${P}/limits`, getLimits],
  ['PUT', `${P}/limits`, putLimit],
  ['GET', `${P}/endpoints`, getEndpoints],
  ['POST', `${P}/endpoints`, addEndpoint],
];
