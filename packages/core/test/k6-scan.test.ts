import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { importK6Ndjson } from '../src/k6/index.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/k6/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mlperf-k6-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const real = gunzipSync(readFileSync(`${FIXTURES}out.ndjson.gz`))
  .toString('utf8')
  .split('\n');

const at = (s: number) => `2026-11-27T08:00:${String(s).padStart(2, '0')}.5Z`;
const line = (metric: string, time: string, value: string, tags: string) =>
  `{"metric":"${metric}","type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}}}`;
const T = '{"corridor":"perffsp-1-\\u003eperffsp-5","status":"202","scenario":"ramp"}';

/** Lines k6 could write, or a damaged file could hold, beside the real output. */
const varied = [
  line('http_req_duration', at(5), '1e-07', T),
  line('http_req_duration', at(5), '12.345678901234567', T),
  line('http_req_duration', at(5), '-0', T),
  line('http_req_duration', at(5), '0.1', T),
  line('http_req_duration', at(5), '7.000000000000000000000001', T),
  line('http_req_duration', at(5), '01', T), // invalid JSON number
  line('http_req_duration', at(5), '3.', T), // invalid JSON number
  line('transfer_e2e_duration', at(6), '40', '{"corridor":"a\\"b","corridor":"perffsp-2-\\u003eperffsp-6"}'),
  line('transfer_e2e_duration', at(6), '41', '{"corridor":"tab\\x"}'), // invalid escape
  line('transfer_e2e_duration', at(6), '42', 'null'),
  line('transfer_e2e_duration', at(6), '43', '{}'),
  line('transfer_e2e_duration', '2026-11-27T09:00:06.25+01:00', '44', T),
  line('transfer_e2e_duration', 'yesterday', '45', T), // unreadable time
  line('transfer_success', at(7), '0', '{"corridor":"c","error_type":"timeout"}'),
  line('http_req_failed', at(7), '1', '{"status":"500"}'),
  line('http_req_failed', at(7), '1', '{"status":"0","corridor":"\u00e9t\u00e9"}'),
  `${line('vus', at(7), '12', '{}')}\r`,
  line('dropped_iterations', at(8), '3', '{"scenario":"ramp"}'),
  '{"metric":"iterations","type":"Point","data":{"time":"2026-11-27T08:00:08.5Z","value":1,"tags":{},"metadata":{"vu":"1"}}}',
  '{"metric":"transfer_success","type":"Point","data":{"time":"2026-11-27T08:00:09.5Z","value":1,"tags":{"corridor":"x","sta{"metric":"iterations","type":"Point","data":{"time":"2026-11-27T08:00:09.5Z","value":1,"tags":{}}}',
  '{"metric":"transfer_e2e_duration","type":"Point","data":{"time":"2026-11-27T08:00:09.5Z","val',
  '{"metric":"http_reqs","type":"Point","data":{"time":"2026-11-27T08:0',
  '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-27T08:00:09.5Z","value":5,"tags":{"corridor":"d"}} }',
  '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-27T08:00:09.5Z","value":5,"tags":{"corridor":"d"}}}}',
  'not json at all',
  '',
  '   ',
  '{"type":"Metric","data":{"name":"vus","type":"gauge","thresholds":["value<100"]},"metric":"vus"}',
];

/** The same text with a space before each line: JSON alike, but the byte scanner takes none of it. */
function throughJsonParse(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? ` ${l}` : l))
    .join('\n');
}

async function both(name: string, text: string) {
  const fast = join(dir, `${name}.ndjson`);
  const slowDir = mkdtempSync(join(dir, 'slow-'));
  const slow = join(slowDir, `${name}.ndjson`);
  writeFileSync(fast, text);
  writeFileSync(slow, throughJsonParse(text));
  const a = await importK6Ndjson(fast);
  const b = await importK6Ndjson(slow);
  return { a, b: JSON.parse(JSON.stringify(b).replaceAll(slowDir, dir)) as typeof b };
}

describe('k6 NDJSON byte scanner', () => {
  it('reads real k6 output mixed with odd and damaged lines exactly as JSON.parse of every line does', async () => {
    const mixed: string[] = [];
    for (let i = 0; i < real.length; i++) {
      const l = real[i] as string;
      if (l) mixed.push(l);
      if (i % 2000 === 1000) mixed.push(...varied);
    }
    const { a, b } = await both('mixed', `${mixed.join('\n')}\n`);
    expect(a).toEqual(b);
    expect(a.lines).toBe(mixed.filter((l) => l !== '').length);
    expect(a.damage.join()).toMatch(/unreadable line/);
    expect(a.records.length).toBeGreaterThan(10);
    expect(a.thresholds.map((t) => t.expression)).toContain('value<100');
  });

  it('skips a damaged line of a metric the import does not read when it ends as k6 ends a point', async () => {
    // JSON.parse would call this line unreadable; the scanner stops at the name (the metric is unused).
    const damaged = `${line('http_reqs', at(1), '1', '{"a":"b"')}}`.replace('"value":1', '"value":1,,');
    const text = `${line('iterations', at(1), '1', '{}')}\n${damaged}\n`;
    const { a, b } = await both('unread', text);
    expect(a.damage).toEqual([]);
    expect(b.damage.join()).toMatch(/1 unreadable line/);
    expect(a.records).toEqual(b.records);
  });
});
