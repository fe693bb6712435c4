import type { Histogram } from 'hdr-histogram-js';
import type { RateLimitedLog } from './clock.js';
import type { PayerSide } from './dfsp-roles.js';
import { recordMs } from './histograms.js';
import type { HubEvents } from './hub-client.js';
import { type InFlightTable, RecentlyEnded, type Transfer } from './inflight.js';
import { PeriodStats } from './period.js';
import type { SecondSlot } from './second-ledger.js';
import type { TransferLookup, TransferStateBody } from './transfer-lookup.js';
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
  /**
   * Outcomes as they arrive, in the wall-clock second they arrive (for the rules that steer the
   * run); with `liveLatency`, their e2e latency too.
   */
  readonly live: PeriodStats;
  liveLatency = false;
  /** Asks the hub before a transfer is called a timeout (absent: no lookup). */
  lookup: TransferLookup | undefined = undefined;
  private readonly payers: Set<string>;
  private readonly recent = new RecentlyEnded();
  /** An engine worker: other workers hold the transfers of the other payers. */
  readonly shared: boolean;

  constructor(
    private readonly table: InFlightTable,
    private readonly corridors: readonly EngineCorridor[],
    private readonly log: RateLimitedLog,
    private readonly textOfMetrics: () => Promise<{ contentType: string; text: string }>,
    share?: readonly boolean[],
  ) {
    this.payers = new Set(corridors.filter((_, i) => share?.[i] ?? true).map((c) => c.payer));
    this.live = new PeriodStats(corridors.length);
    this.shared = share !== undefined;
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

  fulfilmentOf(id: string): string | undefined {
    return this.table.get(id)?.fulfilment;
  }

  /** Payer and payee of a transfer that ended lately (no longer in flight). */
  endedParties(id: string): { payer: string; payee: string } | undefined {
    const c = this.recent.corridorOf(id);
    const corridor = c === undefined ? undefined : this.corridors[c];
    return corridor && { payer: corridor.payer, payee: corridor.payee };
  }

  payerOf(t: Transfer): string {
    return (this.corridors[t.corridor] as EngineCorridor).payer;
  }

  payeeOf(t: Transfer): string {
    return (this.corridors[t.corridor] as EngineCorridor).payee;
  }

  succeed(t: Transfer, now: number): void {
    if (!this.end(t)) return;
    if (t.lookupUntil !== 0) this.lookup?.ended(t, undefined);
    const e2e = now - t.intendedAt;
    this.slotOf(t)?.stats.succeeded(t.corridor, e2e, now - t.sentAt);
    this.live.all.succeeded++;
    if (this.liveLatency) recordMs(this.live.corridorE2e[t.corridor] as Histogram, e2e);
  }

  fail(t: Transfer, errorType: string, detail: string): void {
    if (!this.end(t)) return;
    if (t.lookupUntil !== 0) this.lookup?.ended(t, errorType);
    this.slotOf(t)?.stats.failed(t.corridor, errorType);
    this.live.all.fail(errorType);
    this.log.write(errorType, detail);
  }

  /**
   * Every transfer that started before `before` (engine clock) and has no outcome times out,
   * after a lookup when there is one (`force`: the run is over, no more waiting).
   */
  expire(before: number, timeoutMs: number, force = false): void {
    const now = performance.now();
    this.recent.rotate(now);
    this.table.sweep(before, (t) => {
      if (this.lookup?.expired(t, now, force)) return;
      this.timedOut(t, timeoutMs);
    });
  }

  /** The one place a transfer is declared timed out (no outcome `timeoutMs` after it started). */
  private timedOut(t: Transfer, timeoutMs: number): void {
    this.fail(t, 'timeout', `${t.id}: no outcome ${timeoutMs} ms after it started`);
    t.req?.abort?.(new Error('transfer timed out'));
    t.req = undefined;
  }

  prepareSent(t: Transfer, now: number): void {
    t.sentAt = now;
    const slot = this.slotOf(t);
    if (slot) recordMs(slot.stats.dispatch, now - t.intendedAt);
  }

  prepareAccepted(t: Transfer, now: number): void {
    if (t.ackAt !== 0) return;
    t.ackAt = now;
    const slot = this.slotOf(t);
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

  /** A PUT /transfers/{id} for a transfer being looked up: true when the lookup settled it. */
  lookupAnswered(t: Transfer, body: TransferStateBody, now: number): boolean {
    return this.lookup?.answered(t, body, now) ?? false;
  }

  lookupError(t: Transfer, code: string, now: number): boolean {
    return this.lookup?.answeredError(t, code, now) ?? false;
  }

  metricsText(): Promise<{ contentType: string; text: string }> {
    return this.textOfMetrics();
  }

  /** Marks the outcome (closing the transfer in its second); false when it already had one. */
  private end(t: Transfer): boolean {
    if (t.done || this.closed) return false;
    t.done = true;
    this.table.delete(t);
    this.recent.add(t);
    const slot = this.slotOf(t);
    if (slot) slot.open--;
    return true;
  }

  /** The transfer's slot while it still holds the transfer's second (not yet settled and reused). */
  private slotOf(t: Transfer): SecondSlot | undefined {
    const slot = t.slot;
    return slot !== undefined && slot.s === t.second && !this.closed ? slot : undefined;
  }
}
