// Imports a generated ~1 GB k6 `--out json` NDJSON file (target: >= 1M lines/s on one core, memory
// flat), printing RSS and CPU time; the file is written to a temp dir and deleted afterwards.
// BENCH_K6_MB=200 pnpm bench k6-ndjson  for a smaller file. To compare with an earlier importer,
// run this bench in a checkout of that commit on the same file (BENCH_K6_FILE, BENCH_K6_KEEP).
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importK6Ndjson } from '../src/k6/index.js';

const targetBytes = Number(process.env.BENCH_K6_MB ?? 1024) * 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'mlperf-bench-k6-'));
// BENCH_K6_FILE=<file> imports that file instead (kept): e.g. real k6 output.
const given = process.env.BENCH_K6_FILE;
const path = given ?? join(dir, 'out.json');
const corridors = [
  'perffsp-1-\\u003eperffsp-5',
  'perffsp-2-\\u003eperffsp-6',
  'perffsp-3-\\u003eperffsp-7',
  'perffsp-4-\\u003eperffsp-8',
];
const httpTags = (c: string, status: string) =>
  `{"corridor":"${c}","expected_response":"${status === '202'}","group":"::transfer","method":"POST","name":"http://127.0.0.1:18081/transfers","proto":"HTTP/1.1","scenario":"ramp","status":"${status}","url":"http://127.0.0.1:18081/transfers"}`;
const trends = [
  'http_req_duration',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
];

async function generate(): Promise<number> {
  const out = createWriteStream(path, { highWaterMark: 1 << 22 });
  let bytes = 0;
  let lines = 0;
  let i = 0;
  const t0 = Date.UTC(2026, 10, 27, 8, 0, 0);
  const write = (s: string) => {
    bytes += s.length;
    lines += (s.match(/\n/g) ?? []).length;
    return out.write(s);
  };
  const metricLines = [
    'http_reqs',
    ...trends,
    'http_req_failed',
    'checks',
    'transfer_success',
    'transfer_e2e_duration',
    'group_duration',
    'data_sent',
    'data_received',
    'iteration_duration',
    'iterations',
  ];
  write(
    metricLines
      .map(
        (m) =>
          `{"type":"Metric","data":{"name":"${m}","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"${m}"}\n`,
      )
      .join(''),
  );
  while (bytes < targetBytes) {
    let chunk = '';
    for (let k = 0; k < 200; k++, i++) {
      const time = new Date(t0 + Math.floor(i / 1000) * 1000 + (i % 1000))
        .toISOString()
        .replace('Z', '123456Z');
      const c = corridors[i % 4] as string;
      const status = i % 97 === 0 ? '500' : '202';
      const tags = httpTags(c, status);
      const p = (m: string, v: number, t: string) =>
        `{"metric":"${m}","type":"Point","data":{"time":"${time}","value":${v},"tags":${t}}}\n`;
      chunk += p('http_reqs', 1, tags);
      for (const t of trends) chunk += p(t, 2 + (i % 50) * 0.37, tags);
      chunk += p('http_req_failed', status === '500' ? 1 : 0, tags);
      chunk += p(
        'checks',
        status === '500' ? 0 : 1,
        '{"check":"prepare accepted (202)","group":"::transfer","scenario":"ramp"}',
      );
      chunk += p(
        'transfer_success',
        status === '500' ? 0 : 1,
        `{"corridor":"${c}","group":"::transfer","scenario":"ramp"}`,
      );
      chunk += p(
        'transfer_e2e_duration',
        3 + (i % 40),
        `{"corridor":"${c}","group":"::transfer","scenario":"ramp"}`,
      );
      chunk += p('group_duration', 3.5, '{"group":"::transfer","scenario":"ramp"}');
      chunk += p('data_sent', 351, '{"group":"","scenario":"ramp"}');
      chunk += p('data_received', 128, '{"group":"","scenario":"ramp"}');
      chunk += p('iteration_duration', 4.1, '{"group":"","scenario":"ramp"}');
      chunk += p('iterations', 1, '{"group":"","scenario":"ramp"}');
    }
    if (!write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return lines;
}

type Importer = typeof importK6Ndjson;

/** One import of the file: wall and CPU time, RSS sampled every 100 ms, and what it read. */
async function measure(label: string, run: Importer, size: number) {
  global.gc?.();
  const rss: number[] = [process.memoryUsage().rss];
  const timer = setInterval(() => rss.push(process.memoryUsage().rss), 100);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await run(path);
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  rss.push(process.memoryUsage().rss);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const lines = result.lines;
  const succeeded = result.records.reduce((a, r) => a + r.succeeded, 0);
  const mb = (x: number) => `${(x / 1e6).toFixed(0)} MB`;
  console.log(
    `${label.padEnd(7)} ${Math.round(lines / s)
      .toLocaleString('en-US')
      .padStart(10)} lines/s wall  ${Math.round(lines / cpuS)
      .toLocaleString('en-US')
      .padStart(
        10,
      )} lines/CPU-s  ${(size / 1e6 / s).toFixed(0).padStart(4)} MB/s  ${s.toFixed(2)} s (${cpuS.toFixed(2)} CPU-s)  rss ${mb(Math.min(...rss))}..${mb(Math.max(...rss))}`,
  );
  return {
    lines,
    succeeded,
    records: result.records.length,
    e2e: JSON.stringify(result.records.map((r) => r.latency.e2e?.p99)),
  };
}

try {
  const g0 = performance.now();
  const written = given ? Number.NaN : await generate();
  const size = statSync(path).size;
  console.log(
    `${given ? `reading ${given},` : `generated ${(size / 1e9).toFixed(2)} GB, ${written.toLocaleString('en-US')} lines in ${((performance.now() - g0) / 1000).toFixed(1)} s;`} target >= 1,000,000 lines/s on one core, RSS flat`,
  );
  const r = await measure('import', importK6Ndjson, size);
  console.log(
    `  ${r.lines.toLocaleString('en-US')} lines, ${r.records} seconds, ${r.succeeded.toLocaleString('en-US')} transfers succeeded`,
  );
} finally {
  if (!process.env.BENCH_K6_KEEP) rmSync(dir, { recursive: true, force: true });
}
