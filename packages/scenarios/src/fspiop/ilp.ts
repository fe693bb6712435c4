/**
 * Interledger v4 Prepare packets (OER encoded), as FSPIOP carries them in `ilpPacket`.
 * Layout: type 12, length, then amount (uint64), expiresAt (17 ASCII digits, UTC
 * YYYYMMDDHHmmssSSS), executionCondition (32 bytes), destination and data (length-prefixed).
 * The fixed parts of a corridor (destination, data) are encoded once; a packet then costs one
 * buffer and one base64url encoding.
 */
const ILP_PREPARE = 12;

function oerLength(n: number): Buffer {
  if (n < 128) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function varOctets(b: Buffer): Buffer {
  return Buffer.concat([oerLength(b.length), b]);
}

export interface IlpCorridorTemplate {
  /** Amount in the packet's integer units. */
  amount: bigint;
  /** destination + data, OER encoded. */
  tail: Buffer;
}

/**
 * Prepares the constant part of a corridor's packets. `data` is the FSPIOP transaction object
 * (base64url JSON), as Mojaloop DFSPs put it in the packet.
 */
export function ilpTemplate(destination: string, amountMinor: bigint, data: Buffer): IlpCorridorTemplate {
  return {
    amount: amountMinor,
    tail: Buffer.concat([varOctets(Buffer.from(destination, 'ascii')), varOctets(data)]),
  };
}

/** The ILP timestamp (17 digits) of an ISO 8601 UTC time. */
export function ilpTime(iso: string): string {
  // 2026-11-27T08:35:12.345Z -> 20261127083512345
  return (
    iso.slice(0, 4) +
    iso.slice(5, 7) +
    iso.slice(8, 10) +
    iso.slice(11, 13) +
    iso.slice(14, 16) +
    iso.slice(17, 19) +
    iso.slice(20, 23)
  );
}

/** One ILP Prepare packet, base64url; `expiresAt` is the prepare's ISO 8601 UTC expiration. */
export function ilpPrepare(t: IlpCorridorTemplate, expiresAt: string, condition: Buffer): string {
  return ilpPrepareAt(t, ilpTime(expiresAt), condition);
}

/** As `ilpPrepare`, with the expiry already as the 17-digit ILP timestamp (`ilpTime`). */
export function ilpPrepareAt(t: IlpCorridorTemplate, expiresAtIlp: string, condition: Buffer): string {
  const contentLength = 8 + 17 + 32 + t.tail.length;
  const len = oerLength(contentLength);
  const buf = Buffer.allocUnsafe(1 + len.length + contentLength);
  let o = 0;
  buf[o++] = ILP_PREPARE;
  o += len.copy(buf, o);
  buf.writeBigUInt64BE(t.amount, o);
  o += 8;
  o += buf.write(expiresAtIlp, o, 'ascii');
  o += condition.copy(buf, o);
  t.tail.copy(buf, o);
  return buf.toString('base64url');
}

/** Decodes a Prepare packet (tests and callback checks). */
export function decodeIlpPrepare(packet: string): {
  amount: bigint;
  expiresAt: string;
  condition: Buffer;
  destination: string;
  data: Buffer;
} {
  const buf = Buffer.from(packet, 'base64url');
  let o = 0;
  const readLen = (): number => {
    const first = buf[o++] as number;
    if (first < 128) return first;
    let n = 0;
    for (let i = 0; i < (first & 0x7f); i++) n = n * 256 + (buf[o++] as number);
    return n;
  };
  if (buf[o++] !== ILP_PREPARE) throw new Error('not an ILP Prepare packet');
  readLen();
  const amount = buf.readBigUInt64BE(o);
  o += 8;
  const expiresAt = buf.toString('ascii', o, o + 17);
  o += 17;
  const condition = buf.subarray(o, o + 32);
  o += 32;
  const dl = readLen();
  const destination = buf.toString('ascii', o, o + dl);
  o += dl;
  const datal = readLen();
  const data = buf.subarray(o, o + datal);
  return { amount, expiresAt, condition, destination, data };
}
