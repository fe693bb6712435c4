import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResponseParser } from '../src/engine/http1-response.js';
import { splitAt } from './support/split.js';

interface Seen {
  events: string[];
  body: string;
}

interface Raw {
  events: string[];
  parts: Buffer[];
}

/** Feeds `pieces` in order (then the end of the connection when `end`) through one reused read buffer; records what the parser said. */
function parse(pieces: Buffer[], end = false): Seen {
  const seen: Raw = { events: [], parts: [] };
  const p = new ResponseParser({
    head: (status) => seen.events.push(`head ${status}`),
    data: (chunk) => seen.parts.push(Buffer.from(chunk)),
    complete: (reusable, keepAliveMs) => seen.events.push(`complete ${reusable} ${keepAliveMs}`),
    error: (reason) => seen.events.push(`error ${reason}`),
  });
  // as the client reads: every piece lands in one reused buffer, overwritten after each push
  const shared = Buffer.alloc(64 * 1024);
  for (const b of pieces) {
    b.copy(shared);
    p.push(shared.subarray(0, b.length));
    shared.fill(0x58);
  }
  if (end) p.end();
  return { events: seen.events, body: Buffer.concat(seen.parts).toString('utf8') };
}

const one = (text: string, end = false) => parse([Buffer.from(text, 'latin1')], end);

describe('HTTP/1.1 response parser of the engine client', () => {
  it('frames a body by Content-Length, by chunked coding, and by the end of the connection', () => {
    expect(one('HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n')).toEqual({
      events: ['head 202', 'complete true undefined'],
      body: '',
    });
    expect(
      one('HTTP/1.1 400 Bad Request\r\ncontent-length: 11\r\nKeep-Alive: timeout=5\r\n\r\n{"e":"bad"}'),
    ).toEqual({
      events: ['head 400', 'complete true 5000'],
      body: '{"e":"bad"}',
    });
    expect(
      one(
        'HTTP/1.1 500 Oops\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\n{"a"\r\n3\r\n:1}\r\n0\r\nT: v\r\n\r\n',
      ),
    ).toEqual({ events: ['head 500', 'complete true undefined'], body: '{"a":1}' });
    expect(one('HTTP/1.1 503 Busy\r\n\r\nbusy, try later', true)).toEqual({
      events: ['head 503', 'complete false undefined'],
      body: 'busy, try later',
    });
  });

  it('skips interim answers and knows which statuses have no body', () => {
    expect(one('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n')).toEqual({
      events: ['head 204', 'complete true undefined'],
      body: '',
    });
  });

  it.each([
    ['HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n', false],
    ['HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n', false],
    ['HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n', true],
    // a second answer to one request: the first is delivered, the connection is not reused
    ['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n', false],
  ])('keeps the connection only when the server allows it: %j', (text, reusable) => {
    expect(one(text).events).toEqual(['head 200', `complete ${reusable} undefined`]);
  });

  it.each([
    ['HTTP/2 200 OK\r\n\r\n', 'malformed status line'],
    ['HTTP/1.1 20 OK\r\n\r\n', 'malformed status line'],
    ['hello\r\n\r\n', 'malformed status line'],
    ['HTTP/1.1 101 Switching Protocols\r\n\r\n', 'unexpected 101'],
    ['HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n', 'malformed Content-Length'],
    ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', 'malformed Content-Length'],
    ['HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n', 'malformed response header'],
    ['HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n', 'malformed response header'],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 'malformed chunked response body'],
  ])('refuses %j', (text, reason) => {
    const seen = one(text);
    expect(seen.events.at(-1)).toContain(`error ${reason}`);
  });

  it('says so when the connection ends inside a head or a body, and refuses a head over 16 KiB', () => {
    expect(one('HTTP/1.1 200 OK\r\nContent-Le', true).events).toEqual([
      'error the connection closed inside a response',
    ]);
    expect(one('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', true).events).toEqual([
      'head 200',
      'error the connection closed inside a response',
    ]);
    expect(one(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(17 * 1024)}`).events).toEqual([
      'error response head over 16 KiB',
    ]);
  });

  it('parses the same answers whatever the reads they arrive in (random splits)', () => {
    const answers = [
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nDate: x\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 28\r\n\r\n{"errorInformation":"ü1"}  ',
      'HTTP/1.1 500 Error\r\nTransfer-Encoding: gzip, chunked\r\n\r\n5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n',
    ];
    for (const text of answers) {
      const whole = Buffer.from(text, 'utf8');
      const expected = parse([whole]);
      expect(expected.events.at(-1)).toMatch(/^complete true/);
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
          expect(parse(splitAt(whole, cuts))).toEqual(expected);
        }),
        { numRuns: 300 },
      );
      for (let i = 1; i < whole.length; i++) expect(parse(splitAt(whole, [i]))).toEqual(expected);
    }
  });
});
