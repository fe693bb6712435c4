import type { DfspDefinition } from '@mlperf/core';
import { fromUnits } from './fspiop/validate.js';
import type { LedgerSnapshot } from './types.js';

export const ENDPOINT_TYPES = [
  'FSPIOP_CALLBACK_URL_TRANSFER_POST',
  'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
  'FSPIOP_CALLBACK_URL_TRANSFER_ERROR',
] as const;

export interface Participant {
  name: string;
  index: number;
  currency: string;
  /** Units of 1/10000. `position` excludes in-flight reservations, which are in `reserved`. */
  position: number;
  reserved: number;
  liquidity: number;
  netDebitCap: number;
  alarmPercentage: number;
  endpoints: Map<string, string>;
  positionChanged: Date;
  created: Date;
  /** Funds-out reservations by transfer id (recordFundsOutPrepareReserve), in units. */
  fundsOut: Map<string, number>;
  positionAccountId: number;
  settlementAccountId: number;
}

export type TransferState = 'RECEIVED' | 'RESERVED' | 'COMMITTED' | 'ABORTED';

export interface Transfer {
  id: string;
  epoch: number;
  payer: Participant;
  payee: Participant;
  units: number;
  condition: string;
  expiresAt: number;
  bodyHash: number;
  state: TransferState;
  /** performance.now() at ingress, for the end-to-end histogram. */
  receivedAt: number;
  version: string;
  /** The original prepare, forwarded to the payee; dropped once forwarded. */
  prepareBody: string | undefined;
  prepareDate: string;
  /** performance.now() when the payee's PUT arrived. */
  fulfilAt?: number;
  fulfilment?: string;
  completedTimestamp?: string;
  errorCode?: string;
  errorDescription?: string;
  /** The payee asked for a commit notification (PUT with transferState RESERVED). */
  notifyPayee?: boolean;
}

/** FNV-1a over the raw body: cheap duplicate detection (same id, same body). */
export function hashBody(body: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < body.length; i++) {
    h ^= body.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** central-ledger's rules: participants, positions, limits, liquidity and transfer states. */
export class Ledger {
  readonly participants = new Map<string, Participant>();
  readonly active = new Map<string, Transfer>();
  /** Finished transfers, oldest first, kept for duplicate detection (bounded by size and age). */
  private readonly finished = new Map<string, { t: Transfer; at: number }>();
  epoch = 0;
  prepared = 0;
  committed = 0;
  aborted = 0;
  abortedByCode: Record<string, number> = {};
  doubleFinalizations = 0;
  initialNetPosition = 0;
  private nextAccountId = 1;

  constructor(private readonly limits: () => { ttlMs: number; maxEntries: number }) {}

  load(dfsps: DfspDefinition[], keepEndpoints: Map<string, Map<string, string>>): void {
    this.epoch++;
    this.participants.clear();
    this.active.clear();
    this.finished.clear();
    this.prepared = this.committed = this.aborted = this.doubleFinalizations = 0;
    this.abortedByCode = {};
    dfsps.forEach((d, index) => {
      const endpoints = new Map(keepEndpoints.get(d.id) ?? []);
      if (d.callbackBaseUrl) {
        const b = d.callbackBaseUrl.replace(/\/+$/, '');
        endpoints.set('FSPIOP_CALLBACK_URL_TRANSFER_POST', `${b}/transfers`);
        endpoints.set('FSPIOP_CALLBACK_URL_TRANSFER_PUT', `${b}/transfers/{{transferId}}`);
        endpoints.set('FSPIOP_CALLBACK_URL_TRANSFER_ERROR', `${b}/transfers/{{transferId}}/error`);
      }
      const now = new Date();
      this.participants.set(d.id, {
        name: d.id,
        index,
        currency: d.currency,
        position: Math.round(d.initialPosition * 10_000),
        reserved: 0,
        liquidity: Math.round(d.liquidity * 10_000),
        netDebitCap: Math.round(d.netDebitCap * 10_000),
        alarmPercentage: 10,
        endpoints,
        positionChanged: now,
        created: now,
        fundsOut: new Map(),
        positionAccountId: this.nextAccountId++,
        settlementAccountId: this.nextAccountId++,
      });
    });
    this.initialNetPosition = this.netPosition();
  }

  netPosition(): number {
    let sum = 0;
    for (const p of this.participants.values()) sum += p.position;
    return sum;
  }

  lookup(id: string): Transfer | undefined {
    return this.active.get(id) ?? this.finished.get(id)?.t;
  }

  /** Records a new transfer as RECEIVED. */
  receive(t: Transfer): void {
    this.active.set(t.id, t);
    this.prepared++;
  }

  /** central-ledger's prepare position check: 4001 liquidity, 4200 net debit cap, else reserve. */
  reserve(t: Transfer): '4001' | '4200' | null {
    const p = t.payer;
    const exposure = p.position + p.reserved;
    if (p.liquidity - exposure < t.units) return '4001';
    if (p.netDebitCap - exposure < t.units) return '4200';
    p.reserved += t.units;
    p.positionChanged = new Date();
    t.state = 'RESERVED';
    return null;
  }

  /** RESERVED -> COMMITTED: the payer's reservation becomes position, the payee's position falls. */
  commit(t: Transfer): boolean {
    if (!this.finalize(t)) return false;
    t.payer.reserved -= t.units;
    t.payer.position += t.units;
    t.payee.position -= t.units;
    t.payer.positionChanged = t.payee.positionChanged = new Date();
    t.state = 'COMMITTED';
    this.committed++;
    return true;
  }

  /** Any non-final state -> ABORTED; a reservation is released. */
  abort(t: Transfer, code: string, description: string): boolean {
    if (!this.finalize(t)) return false;
    if (t.state === 'RESERVED') {
      t.payer.reserved -= t.units;
      t.payer.positionChanged = new Date();
    }
    t.state = 'ABORTED';
    t.errorCode = code;
    t.errorDescription = description;
    this.aborted++;
    this.abortedByCode[code] = (this.abortedByCode[code] ?? 0) + 1;
    return true;
  }

  private finalize(t: Transfer): boolean {
    if (t.epoch !== this.epoch) return false;
    if (t.state === 'COMMITTED' || t.state === 'ABORTED') {
      this.doubleFinalizations++;
      return false;
    }
    this.active.delete(t.id);
    t.prepareBody = undefined;
    const now = Date.now();
    this.finished.set(t.id, { t, at: now });
    const { ttlMs, maxEntries } = this.limits();
    for (const [id, e] of this.finished) {
      if (this.finished.size <= maxEntries && now - e.at <= ttlMs) break;
      this.finished.delete(id);
    }
    return true;
  }

  snapshot(failedCallbacks: number): Omit<LedgerSnapshot, 'rejected' | 'lostCallbacks'> {
    return {
      participants: [...this.participants.values()].map((p) => ({
        name: p.name,
        currency: p.currency,
        position: fromUnits(p.position + p.reserved),
        reserved: fromUnits(p.reserved),
        liquidity: fromUnits(p.liquidity),
        netDebitCap: fromUnits(p.netDebitCap),
      })),
      inFlight: this.active.size,
      committed: this.committed,
      aborted: this.aborted,
      abortedByCode: { ...this.abortedByCode },
      prepared: this.prepared,
      doubleFinalizations: this.doubleFinalizations,
      netPositionSum: fromUnits(this.netPosition()),
      failedCallbacks,
    };
  }
}
