import type { IncomingHttpHeaders } from 'node:http';
import { FspiopError } from './errors.js';

// Patterns of the FSPIOP v1.1 OpenAPI (@mojaloop/api-snippets), compiled once.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const AMOUNT = /^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$/;
const CURRENCY = /^[A-Z]{3}$/;
const ILP_CONDITION = /^[A-Za-z0-9-_]{43}$/;
const ILP_PACKET = /^[A-Za-z0-9-_]+[=]{0,2}$/;
const DATE_TIME =
  /^(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:(\.\d{3}))(?:Z|[+-][01]\d:[0-5]\d)$/;
const ERROR_CODE = /^[1-9]\d{3}$/;
const CONTENT_TYPE =
  /^application\/vnd\.interoperability\.transfers\+json\s*;\s*version\s*=\s*(\d+(?:\.\d+)?)\s*$/i;
const ACCEPT_ITEM =
  /^application\/vnd\.interoperability\.transfers\+json(?:\s*;\s*version\s*=\s*(\d+(?:\.\d+)?))?\s*$/i;

export const SUPPORTED_VERSIONS = ['1.0', '1.1'] as const;

export interface FspiopHeaders {
  source: string;
  destination: string | undefined;
  date: string;
  /** `1.0` or `1.1`: the version of the request, used for its callbacks. */
  version: string;
}

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Checks the FSPIOP headers of a request; `withAccept` for POST and GET. Throws FspiopError (3001/3101/3102). */
export function checkHeaders(h: IncomingHttpHeaders, withBody: boolean, withAccept: boolean): FspiopHeaders {
  let version = '1.1';
  if (withAccept) {
    const accept = header(h, 'accept');
    if (!accept) throw new FspiopError('3102', 'Missing required header: accept');
    const versions: string[] = [];
    let matched = false;
    for (const item of accept.split(',')) {
      const m = ACCEPT_ITEM.exec(item.trim());
      if (!m) continue;
      matched = true;
      if (m[1] === undefined) versions.push('1.1');
      else versions.push(...SUPPORTED_VERSIONS.filter((s) => s === m[1] || s.startsWith(`${m[1]}.`)));
    }
    if (!matched)
      throw new FspiopError('3101', `accept header is not an FSPIOP transfers media type: ${accept}`);
    const best = versions.sort().at(-1);
    if (!best)
      throw new FspiopError('3001', `accept: supported versions are ${SUPPORTED_VERSIONS.join(', ')}`);
    version = best;
  }
  if (withBody) {
    const ct = header(h, 'content-type');
    if (!ct) throw new FspiopError('3102', 'Missing required header: content-type');
    const m = CONTENT_TYPE.exec(ct);
    if (!m) throw new FspiopError('3101', `content-type is not an FSPIOP transfers media type: ${ct}`);
    const v = m[1] ?? '';
    if (!(SUPPORTED_VERSIONS as readonly string[]).includes(v))
      throw new FspiopError('3001', `content-type version ${v}; supported: ${SUPPORTED_VERSIONS.join(', ')}`);
    version = v;
  }
  const date = header(h, 'date');
  if (!date) throw new FspiopError('3102', 'Missing required header: date');
  if (Number.isNaN(Date.parse(date)))
    throw new FspiopError('3101', `date header is not an HTTP date: ${date}`);
  const source = header(h, 'fspiop-source');
  if (!source) throw new FspiopError('3102', 'Missing required header: fspiop-source');
  return { source, destination: header(h, 'fspiop-destination'), date, version };
}

export interface TransferPrepareBody {
  transferId: string;
  payerFsp: string;
  payeeFsp: string;
  amount: { amount: string; currency: string };
  ilpPacket: string;
  condition: string;
  expiration: string;
  extensionList?: unknown;
}

export interface TransferFulfilBody {
  transferState: 'RECEIVED' | 'RESERVED' | 'COMMITTED' | 'ABORTED';
  fulfilment?: string;
  completedTimestamp?: string;
  extensionList?: unknown;
}

export interface TransferErrorBody {
  errorInformation: { errorCode: string; errorDescription: string; extensionList?: unknown };
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function req(o: Obj, key: string, path: string): unknown {
  const v = o[key];
  if (v === undefined || v === null)
    throw new FspiopError('3102', `Missing mandatory element: ${path}${key}`);
  return v;
}

function str(o: Obj, key: string, path: string, re: RegExp | null, max = 32, min = 1): string {
  const v = req(o, key, path);
  if (typeof v !== 'string') throw new FspiopError('3100', `${path}${key} must be a string`);
  if (v.length < min || v.length > max)
    throw new FspiopError('3100', `${path}${key} must have ${min}..${max} characters`);
  if (re && !re.test(v)) throw new FspiopError('3100', `${path}${key} must match pattern ${re.source}`);
  return v;
}

function extensionList(o: Obj, path: string): void {
  const ext = o.extensionList;
  if (ext === undefined) return;
  if (!isObj(ext) || !Array.isArray(ext.extension) || ext.extension.length < 1 || ext.extension.length > 16)
    throw new FspiopError('3100', `${path}extensionList.extension must be an array of 1..16 items`);
  for (const e of ext.extension) {
    if (!isObj(e) || typeof e.key !== 'string' || typeof e.value !== 'string')
      throw new FspiopError('3100', `${path}extensionList.extension items need string key and value`);
  }
}

function body(v: unknown): Obj {
  if (!isObj(v)) throw new FspiopError('3101', 'request body must be a JSON object');
  return v;
}

/** The body of POST /transfers, checked against TransfersPostRequest. */
export function checkPrepare(v: unknown): TransferPrepareBody {
  const o = body(v);
  str(o, 'transferId', '', UUID, 36);
  str(o, 'payeeFsp', '', null);
  str(o, 'payerFsp', '', null);
  const amount = req(o, 'amount', '');
  if (!isObj(amount)) throw new FspiopError('3100', 'amount must be an object');
  str(amount, 'currency', 'amount.', CURRENCY, 3, 3);
  str(amount, 'amount', 'amount.', AMOUNT, 32);
  str(o, 'ilpPacket', '', ILP_PACKET, 32768);
  str(o, 'condition', '', ILP_CONDITION, 48);
  str(o, 'expiration', '', DATE_TIME, 40);
  extensionList(o, '');
  return o as unknown as TransferPrepareBody;
}

const STATES = new Set(['RECEIVED', 'RESERVED', 'COMMITTED', 'ABORTED']);

/** The body of PUT /transfers/{ID}, checked against TransfersIDPutResponse. */
export function checkFulfil(v: unknown): TransferFulfilBody {
  const o = body(v);
  const state = req(o, 'transferState', '');
  if (typeof state !== 'string' || !STATES.has(state))
    throw new FspiopError('3100', 'transferState must be one of RECEIVED, RESERVED, COMMITTED, ABORTED');
  if (o.fulfilment !== undefined) str(o, 'fulfilment', '', ILP_CONDITION, 48);
  if (o.completedTimestamp !== undefined) str(o, 'completedTimestamp', '', DATE_TIME, 40);
  extensionList(o, '');
  return o as unknown as TransferFulfilBody;
}

/** The body of PUT /transfers/{ID}/error, checked against ErrorInformationObject. */
export function checkError(v: unknown): TransferErrorBody {
  const o = body(v);
  const info = req(o, 'errorInformation', '');
  if (!isObj(info)) throw new FspiopError('3100', 'errorInformation must be an object');
  str(info, 'errorCode', 'errorInformation.', ERROR_CODE, 4);
  str(info, 'errorDescription', 'errorInformation.', null, 128);
  extensionList(info, 'errorInformation.');
  return o as unknown as TransferErrorBody;
}

export function isTransferId(id: string): boolean {
  return UUID.test(id);
}

/** Decimal amount string -> integer units of 1/10000 (FSPIOP amounts have at most 4 decimals). */
export function toUnits(amount: string): number {
  const dot = amount.indexOf('.');
  if (dot < 0) return Number(amount) * 10_000;
  const frac = `${amount.slice(dot + 1)}0000`.slice(0, 4);
  return Number(amount.slice(0, dot)) * 10_000 + Number(frac);
}

export function fromUnits(units: number): number {
  return units / 10_000;
}
