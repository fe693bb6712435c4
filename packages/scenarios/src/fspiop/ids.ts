import { randomBytes, randomUUID } from 'node:crypto';

/** How transfer ids are made: UUID v4 (FSPIOP v1.1 CorrelationId) or ULID (FSPIOP v2.0). */
export type IdKind = 'uuid' | 'ulid';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random UUID v4, as FSPIOP v1.1 requires for transferId. */
export function uuid(): string {
  return randomUUID();
}

/** A ULID: 48-bit millisecond time + 80 random bits, Crockford base32, 26 characters. */
export function ulid(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const r = randomBytes(10);
  let rand = '';
  // 80 bits -> 16 base32 characters, 5 bits at a time.
  let acc = 0;
  let bits = 0;
  for (const byte of r) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      rand += CROCKFORD[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return time + rand;
}

export function newTransferId(kind: IdKind): string {
  return kind === 'ulid' ? ulid() : randomUUID();
}
