import { createHash, createHmac } from 'node:crypto';
import * as acorn from 'acorn';
import { describe, expect, it } from 'vitest';
import { resolveProfile } from '@mlperf/core';
import { deriveFulfilment, renderK6Script, standardSuite } from '@mlperf/scenarios';
import { typecheckK6Script, K6_TYPES } from './k6-typecheck.js';
import { loadK6Script, type ShimRequest } from './k6-in-node.js';
import { DEFAULT_FULFILMENT_SECRET, SUMMARY_BEGIN, SUMMARY_END } from '../../src/k6/script.js';
import { decodeIlpPrepare } from '../../src/fspiop/ilp.js';
import { fulfilmentMatches } from '../../src/fspiop/crypto.js';
import { testContext } from '../../src/k6/context.js';

const suite = standardSuite();
const render = (id: string, s = suite) =>
  renderK6Script(testContext(s, id), { hubUrl: 'http://hub.test:3000/', dfspSimUrl: 'http://sim.test:8080' });
const K6_MODULES = new Set(['k6', 'k6/http', 'k6/crypto', 'k6/encoding', 'k6/metrics']);

describe('rendered k6 scripts', () => {
  const ids = suite.tests.map((t) => t.id);

  it.each(ids)('%s parses as an ES2015 module importing only k6 modules', (id) => {
    const ast = acorn.parse(render(id), { ecmaVersion: 2015, sourceType: 'module' });
    const imports = ast.body.filter((n) => n.type === 'ImportDeclaration').map((n) => String(n.source.value));
    expect(imports.every((m) => K6_MODULES.has(m))).toBe(true);
    const exported = ast.body
      .filter((n) => n.type === 'ExportNamedDeclaration' || n.type === 'ExportDefaultDeclaration')
      .map((n) =>
        n.type === 'ExportDefaultDeclaration'
          ? 'default'
          : n.declaration?.type === 'FunctionDeclaration'
            ? n.declaration.id.name
            : 'options',
      );
    expect(exported.sort()).toEqual(['default', 'handleSummary', 'options', 'setup']);
  });

  it.each(Object.keys(K6_TYPES))('type-checks (strict, checkJs) against @types/k6 %s', (version) => {
    const dir = K6_TYPES[version as keyof typeof K6_TYPES];
    for (const id of ['target-1000tps', 'stress-test'])
      expect(typecheckK6Script(render(id), dir)).toEqual([]);
  });

  it('the type check catches a misused k6 API (control)', () => {
    const src = render('baseline-100tps');
    const bad = src.replace('http.post(', 'http.postt(').replace('"timeUnit": "1s"', '"timeUnit": 1');
    const problems = typecheckK6Script(bad, K6_TYPES.current);
    expect(problems.some((p) => p.includes("'postt'"))).toBe(true);
    const line = bad.split('\n').findIndex((l) => l.includes('"timeUnit": 1')) + 1;
    expect(
      problems.some((p) => p.startsWith(`script.js:${line}:`) && p.includes("'number' is not assignable")),
    ).toBe(true);
  });

  it('renders each stage as an arrival-rate scenario, and the stress test with its stop rule and recovery', () => {
    const s = loadK6Script(render('stress-test'), () => ({ status: 200, body: '{}' }));
    const scenarios = s.options.scenarios as Record<string, Record<string, unknown>>;
    expect(
      Object.entries(scenarios).map(([k, v]) => [
        k,
        v.executor,
        v.startTime,
        v.startRate ?? v.rate,
        v.stages ?? v.duration,
      ]),
    ).toEqual([
      ['stage_0', 'ramping-arrival-rate', '0s', 0, [{ target: 1000, duration: '10m' }]],
      ['stage_1', 'ramping-arrival-rate', '10m', 1000, [{ target: 2000, duration: '10m' }]],
      ['stage_2', 'ramping-arrival-rate', '20m', 2000, [{ target: 5000, duration: '10m' }]],
      ['stage_3', 'ramping-arrival-rate', '30m', 5000, [{ target: 20000, duration: '30m' }]],
      ['recovery', 'constant-arrival-rate', '1h', 100, '5m'],
    ]);
    expect(scenarios.stage_3?.tags).toEqual({ stage: 'onwards until failure', stage_index: '3' });
    const thresholds = s.options.thresholds as Record<string, unknown[]>;
    expect(thresholds.transfer_prepare_accepted?.[0]).toEqual({
      threshold: 'rate>=0.95',
      abortOnFail: true,
      delayAbortEval: '30s',
    });
    expect(thresholds.transfer_prepare_ack_duration?.[0]).toEqual({
      threshold: 'p(95)<2000',
      abortOnFail: true,
      delayAbortEval: '30s',
    });
    expect(s.options.tags).toEqual({ test: 'stress-test' });
  });

  it('derives thresholds from the target test criteria, with per-corridor submetrics', () => {
    const s = loadK6Script(render('target-1000tps'), () => ({ status: 200, body: '{}' }));
    // k6 sees the prepare; outcomes and end-to-end latency are judged from the simulator's records.
    expect(s.options.thresholds).toMatchObject({
      transfer_prepare_accepted: ['rate>=0.995'],
      transfer_prepare_ack_duration: ['p(95)<300', 'p(99)<500'],
      dropped_iterations: ['count<=18000'],
      'transfer_prepare_ack_duration{corridor:perffsp-1->perffsp-5}': ['max>=0'],
      'transfer_prepare_accepted{corridor:perffsp-4->perffsp-8}': ['rate>=0'],
    });
    const sc = (s.options.scenarios as Record<string, Record<string, unknown>>).stage_0;
    expect(sc).toMatchObject({
      executor: 'constant-arrival-rate',
      rate: 1000,
      timeUnit: '1s',
      duration: '30m',
      // A VU is held for the prepare only (~50 ms), not the whole transfer.
      preAllocatedVUs: 75,
      maxVUs: 1000,
    });
  });

  it('uses per-minute rates when a profile makes them fractional', () => {
    const quick = resolveProfile(suite, { profile: 'quick', rateCap: 2.5 });
    const s = loadK6Script(render('baseline-100tps', quick), () => ({ status: 200, body: '{}' }));
    expect((s.options.scenarios as Record<string, unknown>).stage_0).toMatchObject({
      rate: 150,
      timeUnit: '1m',
      duration: '5s',
    });
  });
});

describe('one rendered iteration (script logic run in Node with k6 module stand-ins)', () => {
  const hubOk = (outcome: object) => (req: ShimRequest) =>
    req.method === 'POST' ? { status: 202, body: '' } : { status: 200, body: JSON.stringify(outcome) };

  it('sends an FSPIOP prepare whose condition the payee can fulfil, its start in the id, and does not wait for the outcome', () => {
    const s = loadK6Script(render('target-1000tps'), hubOk({ state: 'COMMITTED' }), {
      MLPERF_HUB_AUTHORIZATION: 'Bearer x',
    });
    const before = Date.now();
    s.iteration();
    s.iteration();
    // Two iterations, two POSTs: nothing waits for the outcome in k6.
    const [post, second] = s.requests;
    expect(post?.url).toBe('http://hub.test:3000/transfers');
    const headers = post?.params.headers ?? {};
    expect(headers['Content-Type']).toBe('application/vnd.interoperability.transfers+json;version=1.1');
    expect(headers.Accept).toBe('application/vnd.interoperability.transfers+json;version=1.1');
    expect(new Date(headers.Date ?? '').toUTCString()).toBe(headers.Date);
    expect(headers.Authorization).toBe('Bearer x');
    const body = JSON.parse(post?.body ?? '{}');
    expect(headers['FSPIOP-Source']).toBe(body.payerFsp);
    expect(headers['FSPIOP-Destination']).toBe(body.payeeFsp);
    expect(body.transferId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // FSPIOP canonical amount (no trailing zeros), as the API's Amount pattern requires.
    expect(body.amount).toEqual({ amount: '0.05', currency: 'USD' });
    const fulfilment = createHmac('sha256', DEFAULT_FULFILMENT_SECRET).update(body.transferId).digest();
    expect(body.condition).toBe(createHash('sha256').update(fulfilment).digest('base64url'));
    expect(body.condition).toHaveLength(43);
    expect(
      fulfilmentMatches(
        deriveFulfilment(DEFAULT_FULFILMENT_SECRET, body.transferId).toString('base64url'),
        body.condition,
      ),
    ).toBe(true);
    expect(Date.parse(body.expiration) - Date.now()).toBeGreaterThan(29_000);
    // The ILP packet decodes with the engine's decoder to the same amount, expiry and condition.
    const ilp = decodeIlpPrepare(body.ilpPacket);
    expect(ilp.amount).toBe(500n);
    expect(ilp.condition.toString('base64url')).toBe(body.condition);
    expect(ilp.expiresAt).toBe(body.expiration.replace(/[-:TZ.]/g, ''));
    expect(ilp.destination).toBe(`g.${body.payeeFsp}.msisdn.27710000002`);
    expect(JSON.parse(Buffer.from(ilp.data.toString('ascii'), 'base64url').toString('utf8'))).toMatchObject({
      payer: { partyIdInfo: { fspId: body.payerFsp } },
      payee: { partyIdInfo: { fspId: body.payeeFsp } },
      amount: { amount: '0.05', currency: 'USD' },
    });
    expect(second?.method).toBe('POST');
    const start = Number.parseInt(body.transferId.slice(0, 8) + body.transferId.slice(9, 13), 16);
    expect(start).toBeGreaterThanOrEqual(before);
    expect(start).toBeLessThanOrEqual(Date.now());
    expect(s.samples.slice(0, 2).map((x) => [x.metric, x.value, x.tags.corridor])).toEqual([
      ['transfer_prepare_ack_duration', 1.5, `${body.payerFsp}->${body.payeeFsp}`],
      ['transfer_prepare_accepted', 1, `${body.payerFsp}->${body.payeeFsp}`],
    ]);
  });

  it('records refused prepares by error type: FSPIOP error, HTTP status, connection', () => {
    const cases: [ReturnType<typeof hubOk>, string][] = [
      [
        () => ({
          status: 400,
          body: JSON.stringify({ errorInformation: { errorCode: '3100', errorDescription: 'x' } }),
        }),
        'fspiop:3100',
      ],
      [() => ({ status: 503, body: 'busy' }), 'http:503'],
      [() => ({ status: 0, body: '', error_code: 1211 }), 'connection'],
      [() => ({ status: 0, body: '', error_code: 1050 }), 'timeout'],
    ];
    for (const [respond, type] of cases) {
      const s = loadK6Script(render('baseline-100tps'), respond);
      s.iteration();
      const fail = s.samples.find((x) => x.metric === 'transfer_prepare_accepted');
      expect(fail?.value, type).toBe(0);
      expect(fail?.tags.error_type, type).toBe(type);
      expect(s.requests).toHaveLength(1);
    }
  });

  it('picks corridors by weight (40/25/20/15)', () => {
    const s = loadK6Script(render('target-1000tps'), hubOk({ state: 'COMMITTED' }));
    for (let i = 0; i < 4000; i++) s.iteration();
    const counts: Record<string, number> = {};
    for (const r of s.requests)
      if (r.method === 'POST') {
        const src = r.params.headers?.['FSPIOP-Source'] ?? '';
        counts[src] = (counts[src] ?? 0) + 1;
      }
    expect((counts['perffsp-1'] ?? 0) / 4000).toBeCloseTo(0.4, 1);
    expect((counts['perffsp-4'] ?? 0) / 4000).toBeCloseTo(0.15, 1);
  });

  it('prints the summary JSON between markers, and to MLPERF_SUMMARY_FILE when set', () => {
    const s = loadK6Script(render('baseline-100tps'), hubOk({}), { MLPERF_SUMMARY_FILE: '/tmp/x.json' });
    const out = s.handleSummary({ metrics: { a: 1 } });
    expect(out.stdout).toBe(`\n${SUMMARY_BEGIN}\n{"metrics":{"a":1}}\n${SUMMARY_END}\n`);
    expect(out['/tmp/x.json']).toBe('{"metrics":{"a":1}}');
  });

  it('setup() waits for the DFSP simulator and fails clearly when it never answers', () => {
    let calls = 0;
    const s = loadK6Script(render('baseline-100tps'), () => ({ status: ++calls < 3 ? 0 : 200, body: '' }));
    expect(s.setup()).toEqual({ simReadyAfterS: 2 });
    const never = loadK6Script(render('baseline-100tps'), () => ({ status: 503, body: '' }));
    expect(() => never.setup()).toThrow('DFSP simulator not ready at http://sim.test:8080/health after 60s');
  });
});
