import type { PendingRequest } from './hub-client.js';
import type { SecondSlot } from './second-ledger.js';

/** One transfer the engine started. Times are ms on the engine clock (performance.now()). */
export class Transfer {
  /** Set once the transfer has its outcome; later events for it are ignored (but ack is still timed). */
  done = false;
  ackAt = 0;
  req: PendingRequest | undefined = undefined;
  /** While the hub is asked for its state after the timeout (transfer-lookup.ts): until when; else 0. */
  lookupUntil = 0;
  /** The second of its intended start, where its outcome is recorded (engine only). */
  slot: SecondSlot | undefined = undefined;
  /** `slot.s` when the transfer started: a slot reused for a later second no longer matches. */
  second = -1;
  constructor(
    readonly id: string,
    readonly corridor: number,
    readonly intendedAt: number,
    /** When the request got a socket (the actual send); the arrival time until then. */
    public sentAt: number,
    /** base64url fulfilment the payee must return. */
    readonly fulfilment: string,
  ) {
    this.startedAt = sentAt;
  }

  /** When the engine handled the arrival (the timeout runs from here). */
  readonly startedAt: number;
}

/**
 * Transfers in flight, by id, in start order. Every transfer has the same timeout, so the oldest
 * are first: the sweep looks only at the head, with no timer per transfer.
 */
export class InFlightTable {
  private readonly map = new Map<string, Transfer>();

  get size(): number {
    return this.map.size;
  }

  add(t: Transfer): void {
    this.map.set(t.id, t);
  }

  get(id: string): Transfer | undefined {
    return this.map.get(id);
  }

  delete(t: Transfer): boolean {
    return this.map.delete(t.id);
  }

  /** Calls `expire` for every transfer started before `before`, oldest first. */
  sweep(before: number, expire: (t: Transfer) => void): void {
    for (const t of this.map.values()) {
      if (t.startedAt >= before) break;
      expire(t);
    }
  }

  /** Every transfer still in flight (drain and abort). */
  values(): IterableIterator<Transfer> {
    return this.map.values();
  }
}

/**
 * Transfers that ended lately, by id (their corridor): the hub's copy of an outcome to the payee
 * may come after the payer's callback ended the transfer. Two generations of `keepMs` each, so
 * memory stays bounded by the rate, never by the run's length.
 */
export class RecentlyEnded {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private since = 0;

  constructor(private readonly keepMs = 10_000) {}

  add(t: Transfer): void {
    this.current.set(t.id, t.corridor);
  }

  /** The corridor of a transfer that ended in the last `keepMs` (at least). */
  corridorOf(id: string): number | undefined {
    return this.current.get(id) ?? this.previous.get(id);
  }

  /** Drops the older generation once `keepMs` passed (`now` on the engine clock). */
  rotate(now: number): void {
    if (now - this.since < this.keepMs) return;
    this.since = now;
    this.previous = this.current;
    this.current = new Map();
  }
}
