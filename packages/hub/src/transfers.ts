import type { Emulation } from './emulation.js';
import { ExpiryWheel } from './expiry.js';
import { Outbox } from './outbox.js';
import type { FspiopHeaders } from './fspiop/validate.js';
import { toUnits } from './fspiop/validate.js';
import type { Ledger, Transfer } from './ledger.js';
import {
  CONTENT_TYPE,
  type FulfilMsg,
  type NotifyMsg,
  type PositionMsg,
  type PrepareMsg,
  type Stages,
  fulfilmentMatches,
} from './messages.js';
import type { HubMetrics } from './metrics.js';
import type { Callback } from './notifier.js';
import type { HubKnobs } from './types.js';

export type { FulfilMsg, NotifyMsg, PositionMsg, PrepareMsg, Stages } from './messages.js';

/** The central-ledger handlers and the ml-api-adapter notification handler, wired to the ledger. */
export class TransferHandlers {
  stages!: Stages;
  private readonly expiries: ExpiryWheel;
  private readonly out: Outbox;
  rejected = 0;
  /** Fulfil notifications to payers dropped by `faults.lostCallbackRatio`. */
  lostCallbacks = 0;
  private lostAcc = 0;

  constructor(
    private readonly ledger: () => Ledger,
    private readonly knobs: () => HubKnobs,
    private readonly metrics: HubMetrics,
    private readonly emu: Emulation,
    private readonly send: (cb: Callback) => Promise<boolean>,
    hubName: string,
  ) {
    this.expiries = new ExpiryWheel((t) => this.expired(t));
    this.out = new Outbox((m) => this.stages.notification.produce(undefined, m), hubName);
  }

  /** A prepare refused before it became a transfer of the ledger (unknown DFSP, modified duplicate). */
  private reject(code: string, receivedAt: number): void {
    this.rejected++;
    this.metrics.prepare(false, (performance.now() - receivedAt) / 1000);
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
    const reserved = t.state === 'RESERVED';
    if (!this.ledger().abort(t, code, description)) return;
    this.finalNotice(t, false);
    const now = performance.now();
    if (reserved) this.metrics.fulfil(false, (now - (t.fulfilAt ?? t.receivedAt)) / 1000);
    else this.metrics.prepare(false, (now - t.receivedAt) / 1000);
    if (payerBody !== undefined)
      this.out.send(
        t.payer,
        'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
        'PUT',
        t.id,
        payerBody,
        t.version,
        t.payee.name,
      );
    else this.out.error(t.payer, t.id, t.version, code, description);
    if (notifyPayee) this.out.error(t.payee, t.id, t.version, code, description);
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
        this.reject('3106', m.receivedAt);
        this.out.error(
          source,
          body.transferId,
          headers.version,
          '3106',
          'transferId was used with a different body',
        );
      } else if (existing.state === 'COMMITTED') this.out.commit(existing, existing.payer);
      else if (existing.state === 'ABORTED')
        this.out.error(
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
      this.reject('3201', m.receivedAt);
      const missing = payer ? `payeeFsp ${body.payeeFsp}` : `payerFsp ${body.payerFsp}`;
      this.out.error(source, body.transferId, headers.version, '3201', `${missing} is not a participant`);
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
      this.expiries.add(t);
      this.metrics.prepare(true, (performance.now() - t.receivedAt) / 1000);
      const headers: Record<string, string> = { accept: CONTENT_TYPE('1') };
      const body = t.prepareBody ?? '';
      t.prepareBody = undefined;
      this.out.send(
        t.payee,
        'FSPIOP_CALLBACK_URL_TRANSFER_POST',
        'POST',
        t.id,
        body,
        t.version,
        t.payer.name,
        {
          ...headers,
          date: t.prepareDate,
        },
      );
      return true;
    }
    if (m.kind === 'commit') {
      if (t.state !== 'RESERVED') {
        this.out.error(t.payee, t.id, t.version, t.errorCode ?? '3303', 'transfer is no longer reserved');
        return false;
      }
      if (!dbOk) {
        this.abort(t, '2001', 'database connection pool timeout', true);
        return false;
      }
      ledger.commit(t);
      this.finalNotice(t, true);
      this.metrics.fulfil(true, (performance.now() - (t.fulfilAt ?? t.receivedAt)) / 1000);
      const k = this.knobs().faults;
      this.emu.leak(k.leakService, k.leakBytesPerTransfer);
      if (!this.loseCallback(k.lostCallbackRatio)) this.out.commit(t, t.payer);
      if (t.notifyPayee) {
        const patch = JSON.stringify({
          transferState: 'COMMITTED',
          completedTimestamp: t.completedTimestamp,
        });
        this.out.fromHub(t.payee, 'PATCH', t.id, patch, t.version);
      }
      return true;
    }
    if (t.state === 'COMMITTED' || t.state === 'ABORTED') return false;
    this.abort(t, m.code, m.description, m.notifyPayee, m.payerBody);
    return true;
  };

  /** central-ledger fulfil handler: the payee's PUT (commit) or PUT .../error (reject). */
  fulfil = (m: FulfilMsg, dbOk: boolean): boolean => {
    const ledger = this.ledger();
    const source = ledger.participants.get(m.headers.source);
    if (!source) return false;
    const t = ledger.lookup(m.id);
    const v = m.headers.version;
    if (!t) {
      this.out.error(source, m.id, v, '3208', `transfer ${m.id} not found`);
      return false;
    }
    if (source !== t.payee) {
      this.out.error(source, m.id, v, '3100', 'FSPIOP-Source header should match Payee');
      return false;
    }
    if (t.state === 'COMMITTED' || t.state === 'ABORTED') {
      if (m.kind === 'fulfil' && t.state === 'COMMITTED' && m.body.fulfilment === t.fulfilment) return true;
      this.out.error(
        t.payee,
        t.id,
        v,
        t.state === 'ABORTED' ? (t.errorCode ?? '2001') : '3106',
        `transfer is ${t.state}`,
      );
      return false;
    }
    if (t.state !== 'RESERVED') {
      this.out.error(t.payee, t.id, v, '3100', 'transfer is not reserved yet');
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
    t.fulfilAt = m.receivedAt;
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
      this.out.error(
        t.payee,
        t.id,
        v,
        '3100',
        'transferState must be COMMITTED or RESERVED; reject with PUT .../error',
      );
      return false;
    }
    if (!b.fulfilment) {
      this.out.error(t.payee, t.id, v, '3102', 'Missing mandatory element: fulfilment');
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
      this.out.error(to, id, headers.version, '3208', `transfer ${id} not found`);
      return;
    }
    const body: Record<string, string> = { transferState: t.state };
    if (t.state === 'COMMITTED') {
      body.fulfilment = t.fulfilment ?? '';
      body.completedTimestamp = t.completedTimestamp ?? '';
    }
    this.out.fromHub(to, 'PUT', id, JSON.stringify(body), headers.version);
  }

  /** ml-api-adapter notification handler: one callback. */
  notification = async (m: NotifyMsg): Promise<boolean> => {
    const ok = await this.send(m.cb);
    if (ok && m.committed) this.metrics.observeDelivered((performance.now() - m.committed.receivedAt) / 1000);
    return ok;
  };

  /** True for the `ratio` share of commits (evenly spread) whose payer notification is lost. */
  private loseCallback(ratio: number): boolean {
    if (ratio <= 0) return false;
    this.lostAcc += ratio;
    if (this.lostAcc < 1) return false;
    this.lostAcc -= 1;
    this.lostCallbacks++;
    return true;
  }

  /** A reserved transfer passed its expiration: abort with 3303, both sides told. */
  private expired(t: Transfer): void {
    if (t.state !== 'RESERVED' || t.epoch !== this.ledger().epoch) return;
    this.stages.position.produce(t.payer.index, {
      kind: 'abort',
      t,
      code: '3303',
      description: 'transfer expired before it was fulfilled',
      notifyPayee: true,
    });
  }

  clear(): void {
    this.expiries.clear();
    this.rejected = 0;
  }

  stop(): void {
    this.expiries.stop();
  }
}
