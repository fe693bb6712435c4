import type { RateLimitedLog } from './clock.js';
import type { PayerSide } from './dfsp-roles.js';
import { recordMs } from './histograms.js';
import type { HubEvents } from './hub-client.js';
import type { InFlightTable, Transfer } from './inflight.js';
import type { SecondSlot } from './second-ledger.js';
import type { EngineCorridor } from './types.js';

/**
 * Records what happens to each started transfer, once, in the second of its intended start:
 * the send, the 202, and its one outcome (COMMITTED, an error, or a timeout).
 */
export class OutcomeRecorder implements HubEvents, PayerSide {
  httpRequests = 0;
  httpFailed = 0;
  /** After the run: events that still arrive are ignored. */
  closed = false;
  private readonly payers: Set<string>;

  constructor(
    private readonly table: InFlightTable,
    private readonly corridors: readonly EngineCorridor[],
    private readonly log: RateLimitedLog,
    private readonly textOfMetrics: () => Promise<{ contentType: string; text: string }>,
    share?: readonly boolean[],
  ) {
    this.payers = new Set(corridors.filter((_, i) => share?.[i] ?? true).map((c) => c.payer));
  }

  ownsPayer(dfsp: string): boolean {
    return this.payers.has(dfsp);
  }

  /** A transfer has started in `slot`: it stays open there until its outcome. */
  started(t: Transfer, slot: SecondSlot): void {
    t.slot = slot;
    t.second = slot.s;
    slot.open++;
    this.table.add(t);
  }

  find(id: string): Transfer | undefined {
    return this.table.get(id);
  }

  payerOf(t: Transfer): string {
    return (this.corridors[t.corridor] as EngineCorridor).payer;
  }

  payeeOf(t: Transfer): string {
    return (this.corridors[t.corridor] as EngineCorridor).payee;
  }

  succeed(t: Transfer, now: number): void {
    const slot = this.end(t);
    slot?.stats.succeeded(t.corridor, now - t.intendedAt, now - t.sentAt);
  }

  fail(t: Transfer, errorType: string, detail: string): void {
    const slot = this.end(t);
    if (!slot) return;
    slot.stats.failed(t.corridor, errorType);
    this.log.write(errorType, detail);
  }

  /** Every transfer that started before `before` (engine clock) and has no outcome times out. */
  expire(before: number, timeoutMs: number): void {
    this.table.sweep(before, (t) => {
      this.fail(t, 'timeout', `${t.id}: no outcome ${timeoutMs} ms after it started`);
      t.req?.abort?.(new Error('transfer timed out'));
      t.req = undefined;
    });
  }

  prepareSent(t: Transfer, now: number): void {
    t.sentAt = now;
    const slot = this.live(t);
    if (slot) recordMs(slot.stats.dispatch, now - t.intendedAt);
  }

  prepareAccepted(t: Transfer, now: number): void {
    if (t.ackAt !== 0) return;
    t.ackAt = now;
    const slot = this.live(t);
    if (slot) recordMs(slot.stats.ack, now - t.sentAt);
  }

  prepareFailed(t: Transfer, errorType: string, detail: string): void {
    this.fail(t, errorType, `POST /transfers ${t.id}: ${detail}`);
  }

  payeeCallbackFailed(transferId: string, errorType: string, detail: string): void {
    const t = this.table.get(transferId);
    if (t) this.fail(t, errorType, `payee PUT /transfers/${transferId}: ${detail}`);
    else this.log.write(`payee-callback-${errorType}`, `PUT /transfers/${transferId}: ${detail}`);
  }

  request(failed: boolean): void {
    this.httpRequests++;
    if (failed) this.httpFailed++;
  }

  metricsText(): Promise<{ contentType: string; text: string }> {
    return this.textOfMetrics();
  }

  /** Marks the outcome; returns the slot to record it in, or undefined when it already had one. */
  private end(t: Transfer): SecondSlot | undefined {
    if (t.done || this.closed) return undefined;
    t.done = true;
    this.table.delete(t);
    const slot = this.live(t);
    if (slot) slot.open--;
    return slot;
  }

  /** The transfer's slot while it still holds the transfer's second (not yet settled and reused). */
  private live(t: Transfer): SecondSlot | undefined {
    const slot = t.slot;
    return slot !== undefined && slot.s === t.second && !this.closed ? slot : undefined;
  }
}
