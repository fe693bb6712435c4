import { conditionOf, deriveFulfilment } from '../fspiop/crypto.js';
import { newTransferId } from '../fspiop/ids.js';
import { type IlpCorridorTemplate, ilpPrepareAt, ilpTemplate } from '../fspiop/ilp.js';
import {
  amountInMinorUnits,
  fspiopHeaders,
  type PrepareParts,
  prepareBody,
  prepareParts,
  transactionData,
} from '../fspiop/messages.js';
import { CachedTimestamp, type HttpDate } from './clock.js';
import type { HubClient, RequestHeaders } from './hub-client.js';
import { Transfer } from './inflight.js';
import type { OutcomeRecorder } from './outcomes.js';
import type { SecondSlot } from './second-ledger.js';
import type { EngineCorridor, LoadEngineOptions } from './types.js';

interface CorridorState {
  parts: PrepareParts;
  ilp: IlpCorridorTemplate;
  headers: RequestHeaders;
}

/**
 * Starts one transfer (the per-transfer hot path): id, fulfilment and condition, the prepare body
 * from the corridor's pre-built parts, the expiration cached per millisecond, and the send.
 */
export class TransferStarter {
  private readonly corridors: CorridorState[];
  private readonly expiration: CachedTimestamp;

  constructor(
    corridors: readonly EngineCorridor[],
    private readonly o: Pick<LoadEngineOptions, 'idKind' | 'secret' | 'expirationMs'>,
    private readonly client: HubClient,
    private readonly date: HttpDate,
    private readonly outcomes: OutcomeRecorder,
  ) {
    this.expiration = new CachedTimestamp(o.expirationMs);
    this.corridors = corridors.map((c) => {
      const data = transactionData(c.payer, c.payee, c.amount, c.currency, newTransferId('uuid'));
      return {
        parts: prepareParts(c.payer, c.payee, c.amount, c.currency),
        ilp: ilpTemplate(`g.${c.payee}.msisdn.27710000002`, amountInMinorUnits(c.amount), data),
        headers: fspiopHeaders(c.payer, c.payee, date.now, true) as RequestHeaders,
      };
    });
  }

  /** Starts a transfer of corridor `c`, planned for `intendedAt`, at `now` (engine clock), in `slot`. */
  start(c: number, intendedAt: number, now: number, slot: SecondSlot): Transfer {
    const cs = this.corridors[c] as CorridorState;
    const id = newTransferId(this.o.idKind);
    const fulfilment = deriveFulfilment(this.o.secret, id);
    const condition = conditionOf(fulfilment);
    const exp = this.expiration.now();
    const body = prepareBody(
      cs.parts,
      id,
      ilpPrepareAt(cs.ilp, exp.ilp, condition),
      condition.toString('base64url'),
      exp.iso,
    );
    const t = new Transfer(id, c, intendedAt, now, fulfilment.toString('base64url'));
    this.outcomes.started(t, slot);
    cs.headers.date = this.date.now;
    this.client.sendPrepare(t, cs.headers, body);
    return t;
  }
}
