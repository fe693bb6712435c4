import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Http1Parser, type ParsedRequest, type ParseErrorStatus } from '../src/engine/http1-parser.js';
import { splitAt } from './support/split.js';

const LIMITS = { maxHeadBytes: 16 * 1024, maxBodyBytes: 64 * 1024 };

interface Seen {
  requests: ParsedRequest[];
  continues: number[];
  errors: { status: ParseErrorStatus; reason: string }[];
}

/** Feeds `pieces` in order; records what the parser delivered (continues: request count at the time). */
function parse(pieces: Buffer[], limits = LIMITS): Seen {
  const seen: Seen = { requests: [], continues: [], errors: [] };
  const p = new Http1Parser(limits, {
    request: (r) => seen.requests.push(r),
    expectContinue: () => seen.continues.push(seen.requests.length),
    error: (status, reason) => seen.errors.push({ status, reason }),
  });
  for (const b of pieces) p.push(b);
  return seen;
}

/** What a request says (its public fields), as a plain object. */
const plain = (r: ParsedRequest) => ({
  method: r.method,
  target: r.target,
  headers: { ...r.headers },
  http11: r.http11,
  body: r.body,
  keepAlive: r.keepAlive,
});

interface Spec {
  method: string;
  path: string;
  body: string;
  chunks: number[] | undefined;
  dest: string;
  expect: boolean;
}

/** The wire form of a request: Content-Length, or chunked in pieces of the given sizes (with an extension and a trailer). */
function wire(s: Spec): Buffer {
  const body = Buffer.from(s.body, 'utf8');
  const head = [`${s.method} ${s.path} HTTP/1.1`, 'Host: 127.0.0.1', `FSPIOP-Destination:  ${s.dest} `];
  if (s.expect && body.length > 0) head.push('Expect: 100-continue');
  if (!s.chunks)
    return Buffer.concat([
      Buffer.from(`${head.join('\r\n')}\r\nContent-Length: ${body.length}\r\n\r\n`),
      body,
    ]);
  head.push('Transfer-Encoding: chunked');
  const parts: Buffer[] = [Buffer.from(`${head.join('\r\n')}\r\n\r\n`)];
  let at = 0;
  for (const n of s.chunks) {
    if (at >= body.length) break;
    const piece = body.subarray(at, at + Math.max(1, n));
    at += piece.length;
    parts.push(Buffer.from(`${piece.length.toString(16)};ext=1\r\n`), piece, Buffer.from('\r\n'));
  }
  if (at < body.length)
    parts.push(Buffer.from(`${(body.length - at).toString(16)}\r\n`), body.subarray(at), Buffer.from('\r\n'));
  parts.push(Buffer.from('0\r\nX-Trailer: t\r\n\r\n'));
  return Buffer.concat(parts);
}

const spec = fc.record({
  method: fc.constantFrom('POST', 'PUT', 'PATCH'),
  path: fc.constantFrom('/transfers', '/perffsp-1/transfers/abc', '/perffsp-2/transfers/x-1/error', '/a?b=c'),
  body: fc.string({ unit: 'grapheme', maxLength: 300 }),
  chunks: fc.option(fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 8 }), { nil: undefined }),
  dest: fc.constantFrom('perffsp-1', 'perffsp-8'),
  expect: fc.boolean(),
});

describe('the callback server request parser', () => {
  it('parses pipelined requests identically however the bytes are split (property)', () => {
    fc.assert(
      fc.property(
        fc.array(spec, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (specs, cuts) => {
          const all = Buffer.concat(specs.map(wire));
          const whole = parse([all]);
          const split = parse(splitAt(all, cuts));
          expect(whole.errors).toEqual([]);
          expect(split.errors).toEqual([]);
          expect(
            whole.requests.map((r) => [r.method, r.target, r.body, r.headers['fspiop-destination']]),
          ).toEqual(specs.map((s) => [s.method, s.path, s.body, s.dest]));
          expect(split.requests.map(plain)).toEqual(whole.requests.map(plain));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('parses the same requests when the input is cut at every single byte boundary, and byte by byte', () => {
    const specs: Spec[] = [
      {
        method: 'POST',
        path: '/perffsp-5/transfers',
        body: '{"transferId":"é€𝄞"}',
        chunks: undefined,
        dest: 'd',
        expect: true,
      },
      {
        method: 'PUT',
        path: '/perffsp-1/transfers/t1',
        body: '{"transferState":"COMMITTED"}',
        chunks: [3, 1, 7],
        dest: 'd',
        expect: true,
      },
      { method: 'PATCH', path: '/t', body: '', chunks: undefined, dest: 'd', expect: false },
    ];
    const all = Buffer.concat([Buffer.from('\r\n'), ...specs.map(wire)]);
    const whole = parse([all]).requests.map(plain);
    expect(whole.map((r) => r.body)).toEqual(specs.map((s) => s.body));
    for (let i = 0; i <= all.length; i++)
      expect(parse([all.subarray(0, i), all.subarray(i)]).requests.map(plain)).toEqual(whole);
    const bytes = [...all].map((b) => Buffer.from([b]));
    expect(parse(bytes).requests.map(plain)).toEqual(whole);
  });

  it('joins repeated header fields and lower-cases names; keeps no prototype', () => {
    const r = parse([Buffer.from('GET /x HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a:2\r\n__proto__: p\r\n\r\n')])
      .requests[0];
    expect(r?.headers['x-a']).toBe('1, 2');
    expect(Object.getOwnPropertyDescriptor(r?.headers, '__proto__')?.value).toBe('p');
    expect(Object.getPrototypeOf(r?.headers)).toBe(null);
  });

  it('tells when the connection stays open: HTTP/1.1 unless Connection: close; HTTP/1.0 only with keep-alive', () => {
    const ka = (head: string) => parse([Buffer.from(`${head}\r\n\r\n`)]).requests[0]?.keepAlive;
    expect(ka('GET / HTTP/1.1\r\nHost: h')).toBe(true);
    expect(ka('GET / HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive, Close')).toBe(false);
    expect(ka('GET / HTTP/1.0')).toBe(false);
    expect(ka('GET / HTTP/1.0\r\nConnection: keep-alive')).toBe(true);
    // nothing after a closing request is parsed
    expect(parse([Buffer.from('GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\n\r\n')]).requests).toHaveLength(1);
  });

  it('asks for 100 Continue only while the body is still to come', () => {
    const head = 'PUT /t HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n';
    expect(parse([Buffer.from(`${head}{}`)]).continues).toEqual([]);
    const waiting = parse([Buffer.from(head), Buffer.from('{}')]);
    expect(waiting.continues).toEqual([0]);
    expect(waiting.requests[0]?.body).toBe('{}');
  });

  it('takes a request without Content-Length or Transfer-Encoding as one without a body', () => {
    const s = parse([
      Buffer.from('POST /transfers HTTP/1.1\r\nHost: h\r\n\r\nGET /health HTTP/1.1\r\nHost: h\r\n\r\n'),
    ]);
    expect(s.requests.map((r) => [r.method, r.body])).toEqual([
      ['POST', ''],
      ['GET', ''],
    ]);
  });
});

const HOSTILE: [string, string | Buffer, ParseErrorStatus][] = [
  ['a request line without a version', 'GET /\r\n\r\n', 400],
  ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: h\r\n\r\n', 400],
  ['a control byte in the method', 'G\x01T / HTTP/1.1\r\nHost: h\r\n\r\n', 400],
  ['an unknown protocol', 'GET / FTP/1.1\r\nHost: h\r\n\r\n', 400],
  ['HTTP/2.0 in an HTTP/1 request line', 'GET / HTTP/2.0\r\nHost: h\r\n\r\n', 505],
  ['the HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 505],
  ['HTTP/1.1 without Host', 'GET / HTTP/1.1\r\n\r\n', 400],
  ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: h\r\nbogus\r\n\r\n', 400],
  ['space before the colon', 'GET / HTTP/1.1\r\nHost : h\r\n\r\n', 400],
  ['obsolete line folding', 'GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n 2\r\n\r\n', 400],
  ['a bare LF inside the head', 'GET / HTTP/1.1\r\nHost: h\nX: 1\r\n\r\n', 400],
  ['a bare CR in a value', 'GET / HTTP/1.1\r\nHost: h\rX\r\n\r\n', 400],
  ['a NUL in a value', 'GET / HTTP/1.1\r\nHost: h\x00\r\n\r\n', 400],
  ['a non-numeric Content-Length', 'PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n', 400],
  ['a negative Content-Length', 'PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n', 400],
  [
    'two different Content-Lengths',
    'PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
    400,
  ],
  [
    'Content-Length with Transfer-Encoding',
    'PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n',
    400,
  ],
  [
    'a transfer coding other than chunked',
    'PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n',
    501,
  ],
  ['chunked in HTTP/1.0', 'PUT / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n', 400],
  [
    'an Expect other than 100-continue',
    'PUT / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 0\r\n\r\n',
    417,
  ],
  [
    'a Content-Length above the body limit',
    'PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 65537\r\n\r\n',
    413,
  ],
  [
    'a chunk size that is not hex',
    'PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    400,
  ],
  [
    'a chunk without its CRLF',
    'PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n',
    400,
  ],
  [
    'chunk sizes above the body limit',
    'PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n',
    413,
  ],
  [
    'a chunk size line with a bare LF',
    'PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n',
    400,
  ],
  ['a head above 16 KiB', `GET / HTTP/1.1\r\nHost: h\r\nX: ${'a'.repeat(16 * 1024)}\r\n\r\n`, 431],
  ['an unfinished head above 16 KiB', `GET / HTTP/1.1\r\nX: ${'a'.repeat(16 * 1024)}`, 431],
  [
    'a trailer above 16 KiB',
    `PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: ${'a'.repeat(16 * 1024)}`,
    431,
  ],
];

describe('the parser on hostile input', () => {
  it.each(HOSTILE)('refuses %s', (_, input, status) => {
    const s = parse([Buffer.from(input)]);
    expect(s.errors.map((e) => e.status)).toEqual([status]);
    expect(s.requests).toEqual([]);
    // and nothing after the refusal is parsed
    const after = parse([Buffer.from(input), Buffer.from('GET / HTTP/1.1\r\nHost: h\r\n\r\n')]);
    expect(after.requests).toEqual([]);
  });

  it('refuses a body above the limit in chunks whose sum passes it', () => {
    const chunk = `${(40 * 1024).toString(16)}\r\n${'a'.repeat(40 * 1024)}\r\n`;
    const s = parse([
      Buffer.from(`PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}${chunk}0\r\n\r\n`),
    ]);
    expect(s.errors.map((e) => e.status)).toEqual([413]);
  });

  it('never throws on random bytes, after a valid request or not, and reports at most one error (property)', () => {
    const prefix = fc.constantFrom(
      '',
      'PUT /t HTTP/1.1\r\nHost: h\r\n',
      'PUT /t HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    fc.assert(
      fc.property(
        prefix,
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (pre, bytes, cuts) => {
          const all = Buffer.concat([Buffer.from(pre), Buffer.from(bytes)]);
          const s = parse(splitAt(all, cuts));
          expect(s.errors.length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
