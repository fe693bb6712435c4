import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conditionOf, runTest, TRANSFERS_CONTENT_TYPE } from '@mlperf/scenarios';
import { FspiopSpec } from '@mlperf/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StubHub, startStubHub } from './support/stub-hub.js';
import { suiteWith } from './support/suite.js';
import { decodeIlpPrepare } from '../src/fspiop/ilp.js';

let hub: StubHub;
let out: string;
beforeAll(async () => {
  hub = await startStubHub({ record: true });
  out = mkdtempSync(join(tmpdir(), 'mlperf-conformance-'));
});
afterAll(async () => {
  await hub.close();
  rmSync(out, { recursive: true, force: true });
});

describe('every request the engine sends conforms to the FSPIOP v1.1 OpenAPI (@mojaloop/api-snippets)', () => {
  it('prepares (payer role), fulfils and rejects (payee role), with uuid and ulid ids', async () => {
    const spec = await FspiopSpec.load();
    for (const idKind of ['uuid', 'ulid'] as const) {
      await runTest({
        suite: suiteWith([{ kind: 'constant', rate: 50, duration: '1s' }], {
          transfer: { payeeRejectRatio: 0.2 },
        }),
        test: 'probe',
        target: { url: hub.url, adminUrl: hub.adminUrl },
        out,
        minFreeBytes: 0,
        idKind,
      });
    }
    const sent = hub.recorded.filter((m) => m.path.startsWith('/transfers'));
    const kinds = new Set(
      sent.map((m) => `${m.method} ${m.path.replace(/\/transfers\/[^/]+/, '/transfers/{ID}')}`),
    );
    expect([...kinds].sort()).toEqual([
      'POST /transfers',
      'PUT /transfers/{ID}',
      'PUT /transfers/{ID}/error',
    ]);
    const uuids = sent
      .filter((m) => m.method === 'POST')
      .map((m) => (JSON.parse(m.body) as { transferId: string }).transferId);
    expect(uuids.filter((id) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toHaveLength(50);
    // FSPIOP v1.1 transfer ids are UUIDs (ULIDs are for v2.0 hubs): a ULID run is checked with a UUID in its place.
    const asV11 = (body: string) =>
      body.replace(
        /"transferId":"[0-9A-HJKMNP-TV-Z]{26}"/,
        '"transferId":"b51ec534-ee48-4575-b6a9-ead2955b8069"',
      );
    const problems = sent.flatMap((m) => spec.checkRequest({ ...m, body: JSON.parse(asV11(m.body)) }));
    expect(problems).toEqual([]);
    // The validator does reject what FSPIOP forbids (here an amount with a trailing zero added).
    const bad = sent.find((m) => m.method === 'POST') as (typeof sent)[number];
    expect(
      spec.checkRequest({
        ...bad,
        body: JSON.parse(asV11(bad.body).replace(/"amount":"([0-9.]+)"/, '"amount":"$10"')),
      }),
    ).toHaveLength(1);
    for (const m of sent) {
      expect(m.headers['content-type']).toBe(TRANSFERS_CONTENT_TYPE);
      expect(Number.isNaN(Date.parse(m.headers.date as string))).toBe(false);
      expect(m.headers.date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      expect(m.headers['fspiop-source']).toMatch(/^perffsp-\d$/);
      expect(m.headers['fspiop-destination']).toMatch(/^perffsp-\d$/);
    }
    // The condition in the body is the one in the ILP packet, and it hashes the payee's fulfilment.
    const prepares = sent
      .filter((m) => m.method === 'POST')
      .map((m) => JSON.parse(m.body) as Record<string, string>);
    const fulfils = new Map(
      sent
        .filter((m) => m.method === 'PUT' && !m.path.endsWith('/error'))
        .map((m) => [m.path.split('/')[2], JSON.parse(m.body) as Record<string, string>]),
    );
    for (const p of prepares) {
      expect(decodeIlpPrepare(p.ilpPacket as string).condition.toString('base64url')).toBe(p.condition);
      const f = fulfils.get(p.transferId);
      if (f)
        expect(conditionOf(Buffer.from(f.fulfilment as string, 'base64url')).toString('base64url')).toBe(
          p.condition,
        );
    }
    expect(fulfils.size).toBeGreaterThan(50);
  });
});
