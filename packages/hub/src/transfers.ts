import { createHash } from 'node:crypto';
import type { Emulation } from './emulation.js';
import { errorInformation } from './fspiop/errors.js';
import type {
  FspiopHeaders,
  TransferErrorBody,
  TransferFulfilBody,
  TransferPrepareBody,
} from './fspiop/validate.js';
import { toUnits } from './fspiop/validate.js';
import type { Ledger, Participant, Transfer } from './ledger.js';
import type { HubMetrics } from './metrics.js';
import type { Callback } from './notifier.js';
import type { Stage } from './pipeline.js';
import type { HubKnobs } from './types.js';

export interface PrepareMsg {
  body: TransferPrepareBody;
  raw: string;
  hash: number;
  headers: FspiopHeaders;
  receivedAt: number;
}

export type FulfilMsg =
  | { kind: 'fulfil'; id: string; body: TransferFulfilBody; headers: FspiopHeaders }
  | { kind: 'reject'; id: string; body: TransferErrorBody; raw: string; headers: FspiopHeaders };

export type PositionMsg =
  | { kind: 'prepare'; t: Transfer }
  | { kind: 'commit'; t: Transfer }
  | {
      kind: 'abort';
      t: Transfer;
      code: string;
      description: string;
      notifyPayee: boolean;
      payerBody?: string;
    };

export interface NotifyMsg {
  cb: Callback;
  /** Set on the payer's final notification of a committed transfer: observes the end-to-end time. */
  committed?: Transfer;
}

export interface Stages {
  prepare: Stage<PrepareMsg>;
  position: Stage<PositionMsg>;
  fulfil: Stage<FulfilMsg>;
  notification: Stage<NotifyMsg>;
}

const CONTENT_TYPE = (v: string) => `application/vnd.interoperability.transfers+json;version=${v}`;

let dateCache = { at: 0, value: '' };
function httpDate(): string {
  const now = Date.now();
  if (now - dateCache.at >= 1000) dateCache = { at: now - (now % 1000), value: new Date(now).toUTCString() };
  return dateCache.value;
}

/** base64url(sha256(fulfilment)) must equal the condition, and the fulfilment must be 32 bytes. */
export function fulfilmentMatches(fulfilment: string, condition: string): boolean {
  const preimage = Buffer.from(fulfilment, 'base64url');
  if (preimage.length !== 32) return false;
  return createHash('sha256').update(preimage).digest('base64url') === condition;
}

/** The central-ledger handlers and the ml-api-adapter notification handler, wired to the ledger. */
export class TransferHandlers {
  stages!: Stages;
  /** Expiry wheel: second -> transfers to check. */
  private readonly expiries = new Map<number, Transfer[]>();
  private readonly expiryTimer: NodeJS.Timeout;
  rejected = 0;

  constructor(
    private readonly ledger: () => Ledger,
    private readonly knobs: () => HubKnobs,
    private readonly metrics: HubMetrics,
    private readonly emu: Emulation,
    private readonly send: (cb: Callback) => Promise<boolean>,
    private readonly hubName: string,
  ) {
    this.expiryTimer = setInterval(() => this.expire(), 250);
    this.expiryTimer.unref();
  }

  errorTo(to: Participant, id: string, version: string, code: string, detail?: string): void {
    const body = JSON.stringify({ errorInformation: errorInformation(code, detail) });
    this.notify(to, 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR', 'PUT', id, body, version, this.hubName);
  }

  private notify(
    to: Participant,
    type: Callback['type'],
    method: Callback['method'],
    id: string,
    body: string,
    version: string,
    source: string,
    extra?: Record<string, string>,
    committed?: Transfer,
  ): void {
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPE(version),
      date: httpDate(),
      'fspiop-source': source,
      'fspiop-destination': to.name,
      ...extra,
    };
    this.stages.notification.produce(undefined, {
      cb: { to, type, method, transferId: id, body, headers },
      committed,
    });
  }

  /** A prepare refused before it became a transfer of the ledger (unknown DFSP, modified duplicate). */
  private reject(code: string): void {
    this.rejected++;
    this.metrics.transfers.inc({ outcome: 'rejected', error_code: code });
  }

  private finalNotice(t: Transfer, committed: boolean): void {
    this.emu.inFlight = this.ledger().active.size;
    this.metrics.final(committed, t.errorCode ?? '');
  }

  private abort(
    t: Transfer,
    code: string,
    description: string,
    notifyPayee: boolean,
    payerBody?: string,
  ): void {
    if (!this.ledger().abort(t, code, description)) return;
    this.finalNotice(t, false);
    if (payerBody !== undefined)
      this.notify(
        t.payer,
        'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
        'PUT',
        t.id,
        payerBody,
        t.version,
        t.payee.name,
      );
    else this.errorTo(t.payer, t.id, t.version, code, description);
    if (notifyPayee) this.errorTo(t.payee, t.id, t.version, code, description);
  }

  /** central-ledger prepare handler: duplicate check, validation, then the position topic. */
  prepare = (m: PrepareMsg, dbOk: boolean): boolean => {
    const ledger = this.ledger();
    const { body, headers } = m;
    const source = ledger.participants.get(headers.source);
    if (!source) return false;
    const existing = ledger.lookup(body.transferId);
    if (existing) {
      if (existing.bodyHash !== m.hash) {
        this.reject('3106');
        this.errorTo(
          source,
          body.transferId,
          headers.version,
          '3106',
          'transferId was used with a different body',
        );
      } else if (existing.state === 'COMMITTED') this.commitNotice(existing, existing.payer);
      else if (existing.state === 'ABORTED')
        this.errorTo(
          existing.payer,
          existing.id,
          existing.version,
          existing.errorCode ?? '2001',
          existing.errorDescription,
        );
      return true;
    }
    const payer = ledger.participants.get(body.payerFsp);
    const payee = ledger.participants.get(body.payeeFsp);
    if (!payer || !payee) {
      this.reject('3201');
      const missing = payer ? `payeeFsp ${body.payeeFsp}` : `payerFsp ${body.payerFsp}`;
      this.errorTo(source, body.transferId, headers.version, '3201', `${missing} is not a participant`);
      return false;
    }
    const t: Transfer = {
      id: body.transferId,
      epoch: ledger.epoch,
      payer,
      payee,
      units: toUnits(body.amount.amount),
      condition: body.condition,
      expiresAt: Date.parse(body.expiration),
      bodyHash: m.hash,
      state: 'RECEIVED',
      receivedAt: m.receivedAt,
      version: headers.version,
      prepareBody: m.raw,
      prepareDate: headers.date,
    };
    ledger.receive(t);
    this.emu.inFlight = ledger.active.size;
    const k = this.knobs().faults;
    let fail: [string, string] | undefined;
    if (!dbOk) fail = ['2001', 'database connection pool timeout'];
    else if (headers.source !== payer.name) fail = ['3100', 'FSPIOP-Source header should match Payer'];
    else if (headers.destination && headers.destination !== payee.name)
      fail = ['3100', 'FSPIOP-Destination header should match Payee'];
    else if (payer === payee) fail = ['3100', 'Payer FSP and Payee FSP should be different'];
    else if (body.amount.currency !== payer.currency || body.amount.currency !== payee.currency)
      fail = ['3100', `currency ${body.amount.currency} is not an account currency of both participants`];
    else if (!(t.expiresAt > Date.now())) fail = ['3303', 'expiration is in the past'];
    else if (k.errorRate > 0 && Math.random() < k.errorRate) fail = [k.errorCode, 'injected fault'];
    if (fail) {
      this.abort(t, fail[0], fail[1], false);
      return false;
    }
    this.stages.position.produce(payer.index, { kind: 'prepare', t });
    return true;
  };

  /** central-ledger position handler: reserve (4001/4200), commit, abort. */
  position = (m: PositionMsg, dbOk: boolean): boolean => {
    const ledger = this.ledger();
    const t = m.t;
    if (t.epoch !== ledger.epoch) return false;
    if (m.kind === 'prepare') {
      if (t.state !== 'RECEIVED') return false;
      if (!dbOk) {
        this.abort(t, '2001', 'database connection pool timeout', false);
        return false;
      }
      const code = ledger.reserve(t);
      if (code) {
        this.abort(t, code, code === '4001' ? 'insufficient liquidity' : 'net debit cap exceeded', false);
        return false;
      }
      this.scheduleExpiry(t);
      const headers: Record<string, string> = { accept: CONTENT_TYPE('1') };
      const body = t.prepareBody ?? '';
      t.prepareBody = undefined;
      this.notify(t.payee, 'FSPIOP_CALLBACK_URL_TRANSFER_POST', 'POST', t.id, body, t.version, t.payer.name, {
        ...headers,
        date: t.prepareDate,
      });
      return true;
    }
    if (m.kind === 'commit') {
      if (t.state !== 'RESERVED') {
        this.errorTo(t.payee, t.id, t.version, t.errorCode ?? '3303', 'transfer is no longer reserved');
        return false;
      }
      if (!dbOk) {
        this.abort(t, '2001', 'database connection pool timeout', true);
        return false;
      }
      ledger.commit(t);
      this.finalNotice(t, true);
      const k = this.knobs().faults;
      this.emu.leak(k.leakService, k.leakBytesPerTransfer);
      this.commitNotice(t, t.payer);
      if (t.notifyPayee) {
        const patch = JSON.stringify({
          transferState: 'COMMITTED',
          completedTimestamp: t.completedTimestamp,
        });
        this.notify(
          t.payee,
          'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
          'PATCH',
          t.id,
          patch,
          t.version,
          this.hubName,
        );
      }
      return true;
    }
    if (t.state === 'COMMITTED' || t.state === 'ABORTED') return false;
    this.abort(t, m.code, m.description, m.notifyPayee, m.payerBody);
    return true;
  };

  private commitNotice(t: Transfer, to: Participant): void {
    const body = JSON.stringify({
      transferState: 'COMMITTED',
      fulfilment: t.fulfilment,
      completedTimestamp: t.completedTimestamp,
    });
    const committed = to === t.payer && t.state === 'COMMITTED' ? t : undefined;
    this.notify(
      to,
      'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
      'PUT',
      t.id,
      body,
      t.version,
      t.payee.name,
      undefined,
      committed,
    );
  }

  /** central-ledger fulfil handler: the payee's PUT (commit) or PUT .../error (reject). */
  fulfil = (m: FulfilMsg, dbOk: boolean): boolean => {
    const ledger = this.ledger();
    const source = ledger.participants.get(m.headers.source);
    if (!source) return false;
    const t = ledger.lookup(m.id);
    const v = m.headers.version;
    if (!t) {
      this.errorTo(source, m.id, v, '3208', `transfer ${m.id} not found`);
      return false;
    }
    if (source !== t.payee) {
      this.errorTo(source, m.id, v, '3100', 'FSPIOP-Source header should match Payee');
      return false;
    }
    if (t.state === 'COMMITTED' || t.state === 'ABORTED') {
      if (m.kind === 'fulfil' && t.state === 'COMMITTED' && m.body.fulfilment === t.fulfilment) return true;
      this.errorTo(
        t.payee,
        t.id,
        v,
        t.state === 'ABORTED' ? (t.errorCode ?? '2001') : '3106',
        `transfer is ${t.state}`,
      );
      return false;
    }
    if (t.state !== 'RESERVED') {
      this.errorTo(t.payee, t.id, v, '3100', 'transfer is not reserved yet');
      return false;
    }
    if (Date.now() >= t.expiresAt) {
      this.stages.position.produce(t.payer.index, {
        kind: 'abort',
        t,
        code: '3303',
        description: 'transfer expired before it was fulfilled',
        notifyPayee: true,
      });
      return false;
    }
    if (!dbOk) {
      this.abort(t, '2001', 'database connection pool timeout', true);
      return false;
    }
    if (m.kind === 'reject') {
      const info = m.body.errorInformation;
      this.stages.position.produce(t.payer.index, {
        kind: 'abort',
        t,
        code: info.errorCode,
        description: info.errorDescription,
        notifyPayee: false,
        payerBody: m.raw,
      });
      return true;
    }
    const b = m.body;
    if (b.transferState !== 'COMMITTED' && b.transferState !== 'RESERVED') {
      this.errorTo(
        t.payee,
        t.id,
        v,
        '3100',
        'transferState must be COMMITTED or RESERVED; reject with PUT .../error',
      );
      return false;
    }
    if (!b.fulfilment) {
      this.errorTo(t.payee, t.id, v, '3102', 'Missing mandatory element: fulfilment');
      return false;
    }
    if (!fulfilmentMatches(b.fulfilment, t.condition)) {
      this.abort(
        t,
        '3100',
        'invalid fulfilment: sha256 of the fulfilment does not match the condition',
        true,
      );
      return false;
    }
    t.fulfilment = b.fulfilment;
    t.completedTimestamp = b.completedTimestamp ?? new Date().toISOString();
    t.notifyPayee = b.transferState === 'RESERVED';
    this.stages.position.produce(t.payee.index, { kind: 'commit', t });
    return true;
  };

  /** GET /transfers/{id}: the state, by callback to the requester. */
  get(id: string, headers: FspiopHeaders): void {
    const ledger = this.ledger();
    const to = ledger.participants.get(headers.source);
    if (!to) return;
    const t = ledger.lookup(id);
    if (!t || (to !== t.payer && to !== t.payee)) {
      this.errorTo(to, id, headers.version, '3208', `transfer ${id} not found`);
      return;
    }
    const body: Record<string, string> = { transferState: t.state };
    if (t.state === 'COMMITTED') {
      body.fulfilment = t.fulfilment ?? '';
      body.completedTimestamp = t.completedTimestamp ?? '';
    }
    this.notify(
      to,
      'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
      'PUT',
      id,
      JSON.stringify(body),
      headers.version,
      this.hubName,
    );
  }

  /** ml-api-adapter notification handler: one callback. */
  notification = async (m: NotifyMsg): Promise<boolean> => {
    const ok = await this.send(m.cb);
    if (ok && m.committed) this.metrics.observeDelivered((performance.now() - m.committed.receivedAt) / 1000);
    return ok;
  };

  private scheduleExpiry(t: Transfer): void {
    const sec = Math.ceil(t.expiresAt / 1000);
    const list = this.expiries.get(sec);
    if (list) list.push(t);
    else this.expiries.set(sec, [t]);
  }

  private expire(): void {
    const nowSec = Math.floor(Date.now() / 1000);
    for (const [sec, list] of this.expiries) {
      if (sec > nowSec) continue;
      this.expiries.delete(sec);
      for (const t of list) {
        if (t.state !== 'RESERVED' || t.epoch !== this.ledger().epoch) continue;
        this.stages.position.produce(t.payer.index, {
          kind: 'abort',
          t,
          code: '3303',
          description: 'transfer expired before it was fulfilled',
          notifyPayee: true,
        });
      }
    }
  }

  clear(): void {
    this.expiries.clear();
    this.rejected = 0;
  }

  stop(): void {
    clearInterval(this.expiryTimer);
  }
}
