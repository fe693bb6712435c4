import { errorInformation } from './fspiop/errors.js';
import type { Participant, Transfer } from './ledger.js';
import { CONTENT_TYPE, type NotifyMsg, httpDate } from './messages.js';
import type { Callback } from './notifier.js';

/** Builds the FSPIOP callbacks the hub sends and puts them on the notification topic. */
export class Outbox {
  constructor(
    private readonly produce: (m: NotifyMsg) => void,
    private readonly hubName: string,
  ) {}

  send(
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
    this.produce({ cb: { to, type, method, transferId: id, body, headers }, committed });
  }

  /** `PUT /transfers/{id}/error` from the hub. */
  error(to: Participant, id: string, version: string, code: string, detail?: string): void {
    const body = JSON.stringify({ errorInformation: errorInformation(code, detail) });
    this.send(to, 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR', 'PUT', id, body, version, this.hubName);
  }

  /** `PUT /transfers/{id}` with the committed state, on behalf of the payee. */
  commit(t: Transfer, to: Participant): void {
    const body = JSON.stringify({
      transferState: 'COMMITTED',
      fulfilment: t.fulfilment,
      completedTimestamp: t.completedTimestamp,
    });
    const committed = to === t.payer && t.state === 'COMMITTED' ? t : undefined;
    this.send(
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

  /** A message from the hub itself (PATCH commit notice, GET answers). */
  fromHub(to: Participant, method: Callback['method'], id: string, body: string, version: string): void {
    this.send(to, 'FSPIOP_CALLBACK_URL_TRANSFER_PUT', method, id, body, version, this.hubName);
  }
}
