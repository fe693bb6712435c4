import { createHmac, hash } from 'node:crypto';

/**
 * Interledger condition and fulfilment, as FSPIOP uses them: the fulfilment is 32 bytes, the
 * condition is sha256(fulfilment); both travel base64url without padding (43 characters).
 * The fulfilment of a transfer is HMAC-SHA256(secret, transferId), so the payee side can answer
 * any prepare without shared state and the payer side can check the answer; the k6 script and the
 * DFSP simulator derive it the same way. The engine's secret is random per run and never written.
 */
export function deriveFulfilment(secret: string | Buffer, transferId: string): Buffer {
  return createHmac('sha256', secret).update(transferId).digest();
}

export function conditionOf(fulfilment: Buffer): Buffer {
  return hash('sha256', fulfilment, 'buffer');
}

export function toBase64Url(buf: Buffer): string {
  return buf.toString('base64url');
}

/** True when base64url `fulfilment` hashes to base64url `condition`. */
export function fulfilmentMatches(fulfilment: string, condition: string): boolean {
  const f = Buffer.from(fulfilment, 'base64url');
  return f.length === 32 && conditionOf(f).toString('base64url') === condition;
}
