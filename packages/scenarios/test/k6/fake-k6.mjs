#!/usr/bin/env node
// A FAKE k6 binary for tests (no k6 can be installed here): it replays the real k6 v0.45 output
// of the repository's fixtures/k6 as if it had just run the given script. FAKE_K6_EXIT sets its exit code,
// FAKE_K6_SLEEP_MS keeps it running (it then stops on SIGINT like k6, still writing its summary).
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const sleep = Number(process.env.FAKE_K6_SLEEP_MS ?? 0);
let interrupted = false;
if (sleep > 0) process.on('SIGINT', () => (interrupted = true));
const fixtures = new URL('../../../../fixtures/k6/', import.meta.url);
const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'version') {
  console.log('k6 v0.45.0 (fake for tests)');
  process.exit(0);
}
if (cmd !== 'run') {
  console.error(`fake k6: unknown command ${cmd}`);
  process.exit(2);
}
const script = args[args.length - 1];
if (!readFileSync(script, 'utf8').includes('export function handleSummary')) {
  console.error('fake k6: script has no handleSummary');
  process.exit(107);
}
const out = args.find((a) => a.startsWith('json='))?.slice(5);
const finish = (code) => {
  const summary = readFileSync(new URL('handle-summary.json', fixtures), 'utf8');
  if (process.env.MLPERF_SUMMARY_FILE) writeFileSync(process.env.MLPERF_SUMMARY_FILE, summary);
  console.log(`fake k6 done with ${process.env.MLPERF_HUB_AUTHORIZATION ? 'an' : 'no'} authorization`);
  process.exit(code);
};
if (out) {
  const lines = gunzipSync(readFileSync(new URL('out.ndjson.gz', fixtures)))
    .toString('utf8')
    .split('\n');
  const first = Date.parse('2026-11-27T08:00:01.000Z');
  const shift = Math.floor(Date.now() / 1000) * 1000 - first + 1000;
  const moved = lines.map((l) =>
    l.replace(
      /"time":"([^".]+)(\.\d{3})\d*Z"/,
      (_, s, ms) => `"time":"${new Date(Date.parse(`${s}${ms}Z`) + shift).toISOString()}"`,
    ),
  );
  writeFileSync(out, moved.join('\n'));
}
console.error('time="2026-11-27T08:00:00Z" level=info msg="fake k6 replaying fixtures"');
if (sleep > 0) {
  const t = setTimeout(() => finish(Number(process.env.FAKE_K6_EXIT ?? 99)), sleep);
  const poll = setInterval(() => {
    if (!interrupted) return;
    clearTimeout(t);
    clearInterval(poll);
    finish(105);
  }, 20);
} else finish(Number(process.env.FAKE_K6_EXIT ?? 99));
