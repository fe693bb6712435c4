import { createHash } from 'node:crypto';
import type {
  FspiopHeaders,
  TransferErrorBody,
  TransferFulfilBody,
  TransferPrepareBody,
} from './fspiop/validate.js';
import type { Transfer } from './ledger.js';
import type { Callback } from './notifier.js';
import type { Stage } from './pipeline.js';

// The messages on the emulated Kafka topics, and small FSPIOP helpers the handlers share.

export interface PrepareMsg {
  body: TransferPrepareBody;
  raw: string;
  hash: number;
  headers: FspiopHeaders;
  receivedAt: number;
}

export type FulfilMsg =
  | { kind: 'fulfil'; id: string; body: TransferFulfilBody; headers: FspiopHeaders; receivedAt: number }
  | {
      kind: 'reject';
      id: string;
      body: TransferErrorBody;
      raw: string;
      headers: FspiopHeaders;
      receivedAt: number;
    };

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

export const CONTENT_TYPE = (v: string) => `application/vnd.interoperability.transfers+json;version=${v}`;

let dateCache = { at: 0, value: '' };
export function httpDate(): string {
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
