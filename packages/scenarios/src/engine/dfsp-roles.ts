import { deriveFulfilment } from '../fspiop/crypto.js';
import { errorBody, FSPIOP_ERRORS, fspiopHeaders, fulfilBody } from '../fspiop/messages.js';
import type { CallbackHandler } from './callback-server.js';
import { CachedTimestamp, type HttpDate, type RateLimitedLog } from './clock.js';
import type { HubClient, RequestHeaders } from './hub-client.js';
import type { Transfer } from './inflight.js';
import type { TransferStateBody } from './transfer-lookup.js';

/** What the payer role needs from the engine. */
export interface PayerSide {
  find(transferId: string): Transfer | undefined;
  payerOf(t: Transfer): string;
  payeeOf(t: Transfer): string;
  succeed(t: Transfer, now: number): void;
  fail(t: Transfer, errorType: string, detail: string): void;
  metricsText(): Promise<{ contentType: string; text: string }>;
  /** A PUT for a transfer looked up after its timeout (transfer-lookup.ts): true when settled. */
  lookupAnswered?(t: Transfer, body: TransferStateBody, now: number): boolean;
  /** An error callback for a transfer looked up: true when the lookup keeps waiting (3208). */
  lookupError?(t: Transfer, code: string, now: number): boolean;
  /**
   * False for a DFSP whose payer callbacks go to another engine worker: a PUT to it for a
   * transfer not held here is the hub notifying a payee, not an unknown transfer. Default: all.
   */
  ownsPayer?(dfsp: string): boolean;
  /** Payer and payee of a transfer that had its outcome lately (the hub may still copy it to the payee). */
  endedParties?(transferId: string): { payer: string; payee: string } | undefined;
  /** The fulfilment of a transfer in flight here (the payee role then needs no HMAC of its own). */
  fulfilmentOf?(transferId: string): string | undefined;
  /** An engine worker: transfers of payers other workers own are not held here. */
  readonly shared?: boolean;
}

/** Callbacks the engine could not use, by kind: they are counted and logged, never fatal. */
export interface CallbackAnomalies {
  badJson: number;
  unknownTransfer: number;
  /** The payer's callback for a transfer that already ended (timed out, or settled by a lookup). */
  late: number;
  badFulfilment: number;
  unexpected: number;
}

interface PendingAnswer {
  id: string;
  payer: string;
  payee: string;
  reject: boolean;
}

/**
 * The DFSP roles behind the one callback server. Payee: answers each forwarded prepare with
 * PUT /transfers/{id} (COMMITTED, the fulfilment derived from the secret and the id) or, for the
 * configured share, with a 5105 error. Payer: ends its transfers on the COMMITTED or error callback.
 */
export class DfspRoles implements CallbackHandler {
  readonly anomalies: CallbackAnomalies = {
    badJson: 0,
    unknownTransfer: 0,
    late: 0,
    badFulfilment: 0,
    unexpected: 0,
  };
  private readonly headers = new Map<string, RequestHeaders>();
  private pending: PendingAnswer[] = [];
  private scheduled = false;
  private rejectAcc = 0;
  private readonly completed = new CachedTimestamp();

  constructor(
    private readonly payer: PayerSide,
    private readonly hub: HubClient,
    private readonly secret: string,
    private readonly rejectRatio: number,
    private readonly date: HttpDate,
    private readonly log: RateLimitedLog,
  ) {}

  prepare(dfsp: string | undefined, body: string): number {
    let p: { transferId?: unknown; payerFsp?: unknown; payeeFsp?: unknown };
    try {
      p = JSON.parse(body);
    } catch {
      this.anomalies.badJson++;
      this.log.write('callback-bad-json', `POST /transfers to ${dfsp ?? '?'}: body is not JSON`);
      return 400;
    }
    if (
      typeof p.transferId !== 'string' ||
      typeof p.payerFsp !== 'string' ||
      typeof p.payeeFsp !== 'string'
    ) {
      this.anomalies.badJson++;
      this.log.write(
        'callback-bad-prepare',
        `POST /transfers to ${dfsp ?? '?'}: transferId, payerFsp or payeeFsp missing`,
      );
      return 400;
    }
    let reject = false;
    if (this.rejectRatio > 0) {
      this.rejectAcc += this.rejectRatio;
      if (this.rejectAcc >= 1) {
        this.rejectAcc -= 1;
        reject = true;
      }
    }
    this.pending.push({ id: p.transferId, payer: p.payerFsp, payee: p.payeeFsp, reject });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.answerPending);
    }
    return 202;
  }

  /** Sends the payee answers after the 202s went out (one immediate for a whole batch). */
  private readonly answerPending = (): void => {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    for (const a of batch) {
      const h = this.headersFor(a.payee, a.payer);
      h.date = this.date.now;
      if (a.reject) {
        const e = FSPIOP_ERRORS.payeeRejected;
        this.hub.sendPut(a.id, '/error', h, errorBody(e.errorCode, e.errorDescription));
      } else {
        // the engine's own transfer carries its fulfilment: no second HMAC for it
        const fulfilment =
          this.payer.fulfilmentOf?.(a.id) ?? deriveFulfilment(this.secret, a.id).toString('base64url');
        this.hub.sendPut(a.id, '', h, fulfilBody(fulfilment, this.completed.now().iso));
      }
    }
  };

  transferPut(dfsp: string | undefined, id: string, body: string): number {
    const now = performance.now();
    let p: TransferStateBody;
    try {
      p = JSON.parse(body);
    } catch {
      this.anomalies.badJson++;
      this.log.write('callback-bad-json', `PUT /transfers/${id} to ${dfsp ?? '?'}: body is not JSON`);
      return 400;
    }
    const t = this.payer.find(id);
    if (!t) {
      if (this.isCommitCopy(dfsp, id, p)) return 200;
      if (this.late(dfsp, id, `PUT /transfers/${id}`)) return 200;
      this.anomalies.unknownTransfer++;
      this.log.write(
        'callback-unknown-transfer',
        `PUT /transfers/${id} to ${dfsp ?? '?'}: no such transfer in flight (late or foreign)`,
      );
      return 200;
    }
    // The hub may also notify the payee (commit notification): that does not end the transfer.
    if (dfsp !== undefined && dfsp !== this.payer.payerOf(t)) return 200;
    if (t.lookupUntil !== 0 && this.payer.lookupAnswered?.(t, p, now)) return 200;
    if (p.transferState === 'COMMITTED') {
      if (p.fulfilment === t.fulfilment) this.payer.succeed(t, now);
      else {
        this.anomalies.badFulfilment++;
        this.payer.fail(
          t,
          'fspiop:bad-fulfilment',
          `PUT /transfers/${id}: COMMITTED with a fulfilment that does not match the condition`,
        );
      }
      return 200;
    }
    if (p.transferState === 'ABORTED') {
      this.payer.fail(t, 'fspiop:aborted', `PUT /transfers/${id}: transferState ABORTED`);
      return 200;
    }
    this.anomalies.unexpected++;
    this.log.write(
      'callback-unexpected-state',
      `PUT /transfers/${id}: transferState ${String(p.transferState)}`,
    );
    return 200;
  }

  /**
   * A callback to the payer of a transfer that ended lately (the hub answered after the engine
   * stopped waiting): counted and logged as late; false when it is not one.
   */
  private late(dfsp: string | undefined, id: string, what: string): boolean {
    const ended = this.payer.endedParties?.(id);
    if (ended === undefined || dfsp !== ended.payer) return false;
    this.anomalies.late++;
    this.log.write('callback-late', `${what} to payer ${dfsp}: the transfer had already ended`);
    return true;
  }

  /**
   * A PUT for a transfer not in flight that is the hub's copy of an outcome to a payee: for a
   * transfer that ended lately, addressed to its payee; in an engine worker, addressed to a DFSP
   * whose payer callbacks go elsewhere, or a COMMITTED carrying the fulfilment the engine's payee
   * role derived for that id (the transfer is another worker's). A payer's late callback is not.
   */
  private isCommitCopy(
    dfsp: string | undefined,
    id: string,
    p: { transferState?: unknown; fulfilment?: unknown },
  ): boolean {
    if (dfsp === undefined) return false;
    const ended = this.payer.endedParties?.(id);
    if (ended) return dfsp === ended.payee && dfsp !== ended.payer;
    if (this.payer.ownsPayer?.(dfsp) === false) return true;
    return (
      this.payer.shared === true &&
      p.transferState === 'COMMITTED' &&
      typeof p.fulfilment === 'string' &&
      p.fulfilment === deriveFulfilment(this.secret, id).toString('base64url')
    );
  }

  transferError(dfsp: string | undefined, id: string, body: string): number {
    let code = 'unknown';
    let description = '';
    try {
      const info = (
        JSON.parse(body) as { errorInformation?: { errorCode?: unknown; errorDescription?: unknown } }
      ).errorInformation;
      if (typeof info?.errorCode === 'string') code = info.errorCode;
      if (typeof info?.errorDescription === 'string') description = info.errorDescription;
    } catch {
      this.anomalies.badJson++;
      this.log.write('callback-bad-json', `PUT /transfers/${id}/error to ${dfsp ?? '?'}: body is not JSON`);
      return 400;
    }
    const t = this.payer.find(id);
    if (!t) {
      const ended = this.payer.endedParties?.(id);
      const toPayee = ended ? dfsp === ended.payee && dfsp !== ended.payer : undefined;
      if (dfsp !== undefined && (toPayee ?? this.payer.ownsPayer?.(dfsp) === false)) {
        this.log.write(`payee-error:${code}`, `PUT /transfers/${id}/error to ${dfsp}: ${description}`);
        return 200;
      }
      if (this.late(dfsp, id, `PUT /transfers/${id}/error (${code})`)) return 200;
      this.anomalies.unknownTransfer++;
      this.log.write(
        'callback-unknown-transfer',
        `PUT /transfers/${id}/error (${code}) to ${dfsp ?? '?'}: no such transfer in flight`,
      );
      return 200;
    }
    if (dfsp !== undefined && dfsp === this.payer.payeeOf(t) && dfsp !== this.payer.payerOf(t)) {
      // The hub rejected the payee's answer; the payer hears about it separately (or the transfer times out).
      this.log.write(`payee-error:${code}`, `PUT /transfers/${id}/error to payee ${dfsp}: ${description}`);
      return 200;
    }
    if (t.lookupUntil !== 0 && this.payer.lookupError?.(t, code, performance.now())) return 200;
    this.payer.fail(t, `fspiop:${code}`, `${id}: ${code} ${description}`);
    return 200;
  }

  other(method: string, path: string): number {
    if (method === 'PATCH') return 200;
    this.anomalies.unexpected++;
    this.log.write('callback-unexpected', `${method} ${path}: not a transfers callback`);
    return 404;
  }

  metrics(): Promise<{ contentType: string; text: string }> {
    return this.payer.metricsText();
  }

  private headersFor(payee: string, payer: string): RequestHeaders {
    const key = `${payee}\n${payer}`;
    let h = this.headers.get(key);
    if (!h) {
      h = fspiopHeaders(payee, payer, this.date.now, false) as RequestHeaders;
      // Bounded: pairs come from the hub's prepares, which a foreign generator could vary.
      if (this.headers.size < 10_000) this.headers.set(key, h);
    }
    return h;
  }
}
