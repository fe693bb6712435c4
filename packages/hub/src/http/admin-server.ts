import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMlperfError } from '@mlperf/core';
import type { HubCore } from '../core.js';
import { FspiopError } from '../fspiop/errors.js';
import { fromUnits, toUnits } from '../fspiop/validate.js';
import type { Participant } from '../ledger.js';
import { checkDfsps } from '../topology.js';
import type { HubKnobsPatch, HubProfileName } from '../types.js';
import { parseJson, readBody, sendEmpty, sendFspiopError, sendJson } from './util.js';

const AMOUNT = /^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$/;
type Body = Record<string, unknown>;

function obj(v: unknown, what: string): Body {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new FspiopError('3100', `${what} must be a JSON object`);
  return v as Body;
}

function amountOf(b: Body, p: Participant): number {
  const a = obj(b.amount, 'amount');
  if (typeof a.amount !== 'string' || !AMOUNT.test(a.amount))
    throw new FspiopError('3100', 'amount.amount must be a decimal string');
  if (a.currency !== p.currency) throw new FspiopError('3100', `amount.currency must be ${p.currency}`);
  return toUnits(a.amount);
}

function accounts(p: Participant) {
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

/** The central-ledger admin role, plus `/admin/reset` and `/admin/profile`. */
export function adminHandler(hub: HubCore, base: () => string) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    try {
      const raw = method === 'GET' ? '' : await readBody(req);
      const body = () => (raw === '' ? {} : parseJson(raw));
      if (parts[0] === 'health') return await hub.health(req, res, 'central-ledger');
      if (path === '/metrics') return await hub.metricsResponse(res);
      if (parts[0] === 'admin') {
        if (parts[1] === 'reset' && method === 'POST') {
          const b = obj(body(), 'body');
          hub.reset(b.dfsps === undefined ? undefined : checkDfsps(b.dfsps, 'body.dfsps'));
          return sendJson(res, 200, hub.snapshot());
        }
        if (parts[1] === 'profile' && method === 'GET') return sendJson(res, 200, hub.profile);
        if (parts[1] === 'profile' && method === 'PUT') {
          const b = obj(body(), 'body');
          if (b.profile !== undefined) hub.setProfile(b.profile as HubProfileName);
          if (b.knobs !== undefined) hub.setProfile(b.knobs as HubKnobsPatch);
          return sendJson(res, 200, hub.profile);
        }
        if (parts[1] === 'ledger' && method === 'GET') return sendJson(res, 200, hub.snapshot());
      }
      if (parts[0] === 'participants') return participants(hub, base(), method, parts.slice(1), body, res);
      throw new FspiopError('3002', `${method} ${path}`);
    } catch (err) {
      if (isMlperfError(err)) {
        return sendJson(res, 400, {
          errorInformation: { errorCode: '3100', errorDescription: `${err.code}: ${err.message}` },
          hint: err.hint,
        });
      }
      const e =
        err instanceof FspiopError
          ? err
          : new FspiopError('2001', err instanceof Error ? err.message : String(err));
      if (!res.headersSent) sendFspiopError(res, e);
    }
  };
}

function participants(
  hub: HubCore,
  base: string,
  method: string,
  parts: string[],
  body: () => unknown,
  res: ServerResponse,
) {
  const ledger = hub.ledger;
  const describe = (p: Participant) => ({
    name: p.name,
    id: `${base}/participants/${p.name}`,
    created: p.created.toISOString(),
    isActive: 1,
    links: { self: `${base}/participants/${p.name}` },
    accounts: accounts(p).map(({ id, ledgerAccountType, currency, isActive }) => ({
      id,
      ledgerAccountType,
      currency,
      isActive,
    })),
  });
  if (parts.length === 0 && method === 'GET')
    return sendJson(res, 200, [...ledger.participants.values()].map(describe));
  const p = ledger.participants.get(parts[0] ?? '');
  if (!p) throw new FspiopError('3200', `participant ${parts[0]} not found`);
  const [, resource, accountId, sub, subId] = parts;
  if (resource === undefined && method === 'GET') return sendJson(res, 200, describe(p));
  if (resource === 'positions' && method === 'GET') {
    return sendJson(res, 200, [
      {
        currency: p.currency,
        value: fromUnits(p.position + p.reserved),
        changedDate: p.positionChanged.toISOString(),
      },
    ]);
  }
  if (resource === 'accounts' && method === 'GET' && accountId === undefined)
    return sendJson(res, 200, accounts(p));
  if (resource === 'accounts' && accountId !== undefined) {
    if (Number(accountId) !== p.settlementAccountId)
      throw new FspiopError(
        '3100',
        `account ${accountId} is not the settlement account (${p.settlementAccountId}) of ${p.name}`,
      );
    const b = obj(body(), 'body');
    if (method === 'POST' && sub === undefined) {
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
      return sendEmpty(res, 202);
    }
    if (method === 'PUT' && sub === 'transfers' && subId !== undefined) {
      const units = p.fundsOut.get(subId);
      if (units === undefined) throw new FspiopError('3200', `no reserved funds out ${subId} for ${p.name}`);
      if (b.action === 'recordFundsOutAbort') p.liquidity += units;
      else if (b.action !== 'recordFundsOutCommit')
        throw new FspiopError('3100', 'action must be recordFundsOutCommit or recordFundsOutAbort');
      p.fundsOut.delete(subId);
      return sendEmpty(res, 202);
    }
  }
  if (resource === 'limits') {
    const limit = () => ({
      currency: p.currency,
      limit: { type: 'NET_DEBIT_CAP', value: fromUnits(p.netDebitCap), alarmPercentage: p.alarmPercentage },
    });
    if (method === 'GET') return sendJson(res, 200, [limit()]);
    if (method === 'PUT') {
      const b = obj(body(), 'body');
      const l = obj(b.limit, 'limit');
      if (b.currency !== undefined && b.currency !== p.currency)
        throw new FspiopError('3100', `currency must be ${p.currency}`);
      if (l.type !== 'NET_DEBIT_CAP') throw new FspiopError('3100', 'limit.type must be NET_DEBIT_CAP');
      if (typeof l.value !== 'number' || !(l.value >= 0))
        throw new FspiopError('3100', 'limit.value must be a number >= 0');
      p.netDebitCap = Math.round(l.value * 10_000);
      if (typeof l.alarmPercentage === 'number') p.alarmPercentage = l.alarmPercentage;
      return sendJson(res, 200, limit());
    }
  }
  if (resource === 'endpoints') {
    if (method === 'GET')
      return sendJson(
        res,
        200,
        [...p.endpoints].map(([type, value]) => ({ type, value })),
      );
    if (method === 'POST') {
      const b = obj(body(), 'body');
      if (typeof b.type !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(b.type))
        throw new FspiopError(
          '3100',
          'type must be an endpoint type such as FSPIOP_CALLBACK_URL_TRANSFER_POST',
        );
      if (typeof b.value !== 'string' || !/^https?:\/\//.test(b.value))
        throw new FspiopError('3100', 'value must be an http(s) URL');
      p.endpoints.set(b.type, b.value);
      return sendEmpty(res, 201);
    }
  }
  throw new FspiopError('3002', `${method} /participants/${parts.join('/')}`);
}
