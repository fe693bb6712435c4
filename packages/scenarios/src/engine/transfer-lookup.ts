import { Pool } from 'undici';
import { fspiopHeaders } from '../fspiop/messages.js';
import type { HttpDate, RateLimitedLog } from './clock.js';
import type { Transfer } from './inflight.js';

/** How the transfers that reached their timeout without a callback were settled by a lookup. */
export interface LookupCounts {
  /** GET /transfers/{id} sent for a transfer with no outcome at its timeout. */
  sent: number;
  /** The hub said COMMITTED: counted as a success at its commit time. */
  committed: number;
  /** The hub said ABORTED or answered with an error: counted as that failure. */
  failed: number;
  /** No answer within the wait, the GET failed, or the hub said RESERVED / RECEIVED: a timeout. */
  timedOut: number;
  /** Timed out without a lookup: too many lookups were waiting already. */
  skipped: number;
}

export function emptyLookupCounts(): LookupCounts {
  return { sent: 0, committed: 0, failed: 0, timedOut: 0, skipped: 0 };
}

export function addLookupCounts(into: LookupCounts, c: LookupCounts | undefined): void {
  if (!c) return;
  for (const k of Object.keys(into) as (keyof LookupCounts)[]) into[k] += c[k];
}

/** One line for logs and summaries: how many timeouts a lookup resolved. */
export function lookupSummary(c: LookupCounts): string {
  return `${c.sent} transfers looked up at their timeout (GET /transfers/{id}): ${c.committed} committed, ${c.failed} failed, ${c.timedOut} still timed out${c.skipped ? `; ${c.skipped} timed out without a lookup (too many waiting)` : ''}`;
}

/** What the lookup needs from the engine's outcome recorder. */
export interface LookupOutcomes {
  payerOf(t: Transfer): string;
  payeeOf(t: Transfer): string;
  succeed(t: Transfer, now: number): void;
  fail(t: Transfer, errorType: string, detail: string): void;
}

/** The fields of a PUT /transfers/{id} the lookup reads (the answer to its GET, or a late notification). */
export interface TransferStateBody {
  transferState?: unknown;
  fulfilment?: unknown;
  completedTimestamp?: unknown;
}

const MAX_WAITING = 2000;
/** GETs per transfer at most (the first, and again after answers that are not final). */
const MAX_ASKS = 3;

interface NotFinal {
  state: string;
  asks: number;
  askAgainAt: number;
}

/**
 * Before a transfer with no callback is called a timeout, asks the hub for its state, as a DFSP
 * would: GET /transfers/{id} as the payer, answered asynchronously by PUT /transfers/{id} (or
 * /error) to the payer's callback URL. The transfer stays in flight (its second stays open) for
 * at most `waitMs` more. COMMITTED is a success at the hub's completedTimestamp (its true, late
 * latency); ABORTED or an error is that failure; a state that is not final (RESERVED, RECEIVED)
 * or no answer by the end of the wait is a timeout.
 */
export class TransferLookup {
  readonly counts = emptyLookupCounts();
  private readonly pool: Pool;
  private readonly base: string;
  private waiting = 0;
  /** Answers that are not final (RESERVED, RECEIVED, 3208 not found yet), while the wait goes on. */
  private readonly said = new Map<Transfer, NotFinal>();

  constructor(
    hubUrl: string,
    private readonly outcomes: LookupOutcomes,
    private readonly waitMs: number,
    private readonly date: HttpDate,
    private readonly log: RateLimitedLog,
  ) {
    const u = new URL(hubUrl);
    this.pool = new Pool(u.origin, { connections: 8, keepAliveTimeout: 60_000 });
    this.base = u.pathname.replace(/\/$/, '');
  }

  /**
   * `t` reached its timeout at `now` (engine clock). True while the lookup holds it (the caller
   * leaves it in flight); false when it is a plain timeout for the caller to record: its prepare
   * was never accepted, too many lookups are waiting, or `force` (the run is over).
   */
  expired(t: Transfer, now: number, force: boolean): boolean {
    if (t.lookupUntil === 0) {
      if (force || t.ackAt === 0) return false;
      if (this.waiting >= MAX_WAITING) {
        this.counts.skipped++;
        return false;
      }
      this.send(t, now);
      return true;
    }
    const said = this.said.get(t);
    if (now < t.lookupUntil && !force) {
      if (said && said.asks < MAX_ASKS && now >= said.askAgainAt) {
        said.asks++;
        said.askAgainAt = Infinity;
        this.get(t);
      }
      return true;
    }
    this.outcomes.fail(
      t,
      'timeout',
      said === undefined
        ? `no answer to GET /transfers/${t.id} within ${this.waitMs} ms`
        : `GET /transfers/${t.id}: the hub said ${said.state}, and no final state came within ${this.waitMs} ms`,
    );
    return true;
  }

  /**
   * A PUT /transfers/{id} for `t` while it is looked up (the answer, or a late notification).
   * True when handled here; false leaves it to the usual path (ABORTED, or a fulfilment that
   * does not match).
   */
  answered(t: Transfer, body: TransferStateBody, now: number): boolean {
    const state = body.transferState;
    if (state === 'COMMITTED') {
      if (body.fulfilment !== t.fulfilment) return false;
      this.log.write('lookup-committed', `${t.id}: COMMITTED at the hub, its callback missed the timeout`);
      this.outcomes.succeed(t, this.committedAt(t, body.completedTimestamp, now));
      return true;
    }
    if (state === 'ABORTED') return false;
    // RESERVED / RECEIVED: not final yet; its notification may still come within the wait
    this.notFinal(t, String(state), now);
    return true;
  }

  /**
   * An error callback for `t` while it is looked up. 3208 (not found) is not final: a prepare
   * still queued before central-ledger's prepare handler is not in its database yet, and commits
   * later. True when handled here; false leaves the error to the usual path (the transfer fails).
   */
  answeredError(t: Transfer, code: string, now: number): boolean {
    if (code !== '3208') return false;
    this.notFinal(t, '3208 (transfer not found)', now);
    return true;
  }

  /** `t`, looked up, has its outcome (`errorType` undefined: committed), by whatever path: counted. */
  ended(t: Transfer, errorType: string | undefined): void {
    t.lookupUntil = 0;
    this.said.delete(t);
    this.waiting--;
    if (errorType === undefined) this.counts.committed++;
    else if (errorType === 'timeout') this.counts.timedOut++;
    else this.counts.failed++;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }

  /** The hub answered a state that is not final: ask again a quarter of the wait later. */
  private notFinal(t: Transfer, state: string, now: number): void {
    const said = this.said.get(t);
    if (said) {
      said.state = state;
      said.askAgainAt = now + this.waitMs / 4;
    } else this.said.set(t, { state, asks: 1, askAgainAt: now + this.waitMs / 4 });
  }

  private send(t: Transfer, now: number): void {
    this.counts.sent++;
    this.waiting++;
    t.lookupUntil = now + this.waitMs;
    this.get(t);
  }

  private get(t: Transfer): void {
    const headers = fspiopHeaders(
      this.outcomes.payerOf(t),
      this.outcomes.payeeOf(t),
      this.date.now,
      true,
    ) as Record<string, string>;
    this.pool.request({ method: 'GET', path: `${this.base}/transfers/${t.id}`, headers }).then(
      async (res) => {
        const text = await res.body.text();
        if (res.statusCode >= 300 && t.lookupUntil !== 0)
          this.outcomes.fail(
            t,
            'timeout',
            `GET /transfers/${t.id}: HTTP ${res.statusCode} ${text.slice(0, 200)}`,
          );
      },
      (err: Error) => {
        if (t.lookupUntil !== 0) this.outcomes.fail(t, 'timeout', `GET /transfers/${t.id}: ${err.message}`);
      },
    );
  }

  /** The hub's commit time on the engine clock, within [sent, now]; `now` when it has none. */
  private committedAt(t: Transfer, completed: unknown, now: number): number {
    const wall = typeof completed === 'string' ? Date.parse(completed) : Number.NaN;
    if (Number.isNaN(wall)) return now;
    const at = now - (Date.now() - wall);
    return Math.min(now, Math.max(t.sentAt, at));
  }
}
