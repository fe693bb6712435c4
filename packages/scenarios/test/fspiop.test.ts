import { createHash } from 'node:crypto';
import { conditionOf, deriveFulfilment } from '@mlperf/scenarios';
import { describe, expect, it } from 'vitest';
import { classifyHttpFailure } from '../src/engine/hub-client.js';
import { ilpPrepare, ilpTemplate } from '../src/fspiop/ilp.js';
import { canonicalAmount } from '../src/fspiop/messages.js';
import { decodeIlpPrepare } from '../src/fspiop/ilp.js';
import { fulfilmentMatches } from '../src/fspiop/crypto.js';
import { ulid, uuid } from '../src/fspiop/ids.js';

describe('condition and fulfilment', () => {
  it('derives a 32-byte fulfilment per transfer; the condition is its sha256, both 43 chars base64url', () => {
    const f = deriveFulfilment('secret', 'b51ec534-ee48-4575-b6a9-ead2955b8069');
    expect(f).toHaveLength(32);
    const c = conditionOf(f);
    expect(c.equals(createHash('sha256').update(f).digest())).toBe(true);
    expect(f.toString('base64url')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(c.toString('base64url')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fulfilmentMatches(f.toString('base64url'), c.toString('base64url'))).toBe(true);
    expect(fulfilmentMatches('A'.repeat(43), c.toString('base64url'))).toBe(false);
    expect(deriveFulfilment('secret', 'other').equals(f)).toBe(false);
  });
});

describe('ids', () => {
  it('makes UUID v4 and ULID transfer ids', () => {
    expect(uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const id = ulid(Date.UTC(2026, 10, 27));
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(id.slice(0, 10)).toBe(ulid(Date.UTC(2026, 10, 27)).slice(0, 10));
    expect(ulid(1) < ulid(2)).toBe(true);
  });
});

describe('ILP prepare packet', () => {
  it('round-trips amount, expiry, condition, destination and data', () => {
    const cond = conditionOf(deriveFulfilment('s', 'id'));
    const t = ilpTemplate('g.perffsp-5.msisdn.1', 1000n, Buffer.from('eyJhIjoxfQ'));
    const at = Date.UTC(2026, 10, 27, 8, 35, 12, 345);
    const d = decodeIlpPrepare(ilpPrepare(t, new Date(at).toISOString(), cond));
    expect(d.amount).toBe(1000n);
    expect(d.expiresAt).toBe('20261127083512345');
    expect(d.condition.equals(cond)).toBe(true);
    expect(d.destination).toBe('g.perffsp-5.msisdn.1');
    expect(d.data.toString()).toBe('eyJhIjoxfQ');
  });

  it('uses the long length form above 127 bytes', () => {
    const t = ilpTemplate('g.x', 1n, Buffer.alloc(300, 65));
    const d = decodeIlpPrepare(ilpPrepare(t, new Date().toISOString(), Buffer.alloc(32)));
    expect(d.data).toHaveLength(300);
  });
});

describe('canonicalAmount', () => {
  it('writes amounts as FSPIOP requires (no trailing zeros)', () => {
    expect(canonicalAmount('0.10')).toBe('0.1');
    expect(canonicalAmount('5.00')).toBe('5');
    expect(canonicalAmount('007.5')).toBe('7.5');
    expect(canonicalAmount('123.4567')).toBe('123.4567');
  });

  it('rejects what FSPIOP cannot carry, naming the input', () => {
    expect(() => canonicalAmount('abc')).toThrow(/transfer.amount: "abc" is not a decimal amount/);
    expect(() => canonicalAmount('1.23456')).toThrow(/more than 4 decimals/);
    expect(() => canonicalAmount('0.00')).toThrow(/greater than zero/);
  });
});

describe('synchronous error answers', () => {
  it('are FSPIOP errors by code when the body says so, HTTP errors by status otherwise', () => {
    expect(
      classifyHttpFailure(
        400,
        '{"errorInformation":{"errorCode":"3100","errorDescription":"Generic validation error"}}',
      ),
    ).toEqual({
      errorType: 'fspiop:3100',
      detail: 'HTTP 400: FSPIOP 3100 Generic validation error',
    });
    expect(classifyHttpFailure(503, 'busy')).toEqual({ errorType: 'http:503', detail: 'HTTP 503: busy' });
    expect(classifyHttpFailure(500, '{"errorInformation":{}}').errorType).toBe('http:500');
  });
});
