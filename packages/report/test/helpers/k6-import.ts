import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { LatencySnapshot } from '@mlperf/core';
import { ResultsWriter } from '@mlperf/core';
import { CORRIDORS } from './make-run.js';

/** Real k6 v0.45 output: the repository's copy (fixtures/k6). */
export const K6_FIXTURES = fileURLToPath(new URL('../../../../fixtures/k6', import.meta.url));

interface Second {
  ok: number;
  failed: Record<string, number>;
  durations: number[];
  corridors: Record<string, { ok: number; failed: Record<string, number>; durations: number[] }>;
}

function snapshot(values: number[]): LatencySnapshot | undefined {
  if (values.length === 0) return undefined;
  const v = [...values].sort((a, b) => a - b);
  const q = (p: number) => v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)] as number;
  return {
    count: v.length,
    min: v[0] as number,
    mean: v.reduce((a, b) => a + b, 0) / v.length,
    p50: q(50),
    p90: q(90),
    p95: q(95),
    p99: q(99),
    max: v[v.length - 1] as number,
  };
}

/**
 * Turns real k6 output (`--out json` NDJSON + `--summary-export`) into a results directory, one
 * record per second from the http_req_duration points. A test-side stand-in for the analyzer's importer.
 */
export function importK6(baseDir: string, fixturesDir = K6_FIXTURES): string {
  const lines = gunzipSync(readFileSync(`${fixturesDir}/out.ndjson.gz`))
    .toString('utf8')
    .split('\n');
  const seconds = new Map<number, Second>();
  for (const line of lines) {
    if (!line.includes('"http_req_duration"') || !line.includes('"Point"')) continue;
    const p = JSON.parse(line) as { data: { time: string; value: number; tags: Record<string, string> } };
    const sec = Math.floor(Date.parse(p.data.time) / 1000);
    const s = seconds.get(sec) ?? { ok: 0, failed: {}, durations: [], corridors: {} };
    const corridor = p.data.tags.corridor ?? 'unknown';
    const c = s.corridors[corridor] ?? { ok: 0, failed: {}, durations: [] };
    const status = p.data.tags.status ?? '0';
    if (status.startsWith('2')) {
      s.ok++;
      c.ok++;
    } else {
      const k = `http:${status}`;
      s.failed[k] = (s.failed[k] ?? 0) + 1;
      c.failed[k] = (c.failed[k] ?? 0) + 1;
    }
    s.durations.push(p.data.value);
    c.durations.push(p.data.value);
    s.corridors[corridor] = c;
    seconds.set(sec, s);
  }
  const keys = [...seconds.keys()].sort((a, b) => a - b);
  const first = keys[0] as number;
  const summary = JSON.parse(readFileSync(`${fixturesDir}/summary-export.json`, 'utf8')) as unknown;
  const w = ResultsWriter.create(
    baseDir,
    {
      runId: 'k6-import',
      testId: 'k6-import',
      testName: 'k6 import (real k6 v0.45 output)',
      definition: {
        test: {
          id: 'k6-import',
          name: 'k6 import',
          kind: 'custom',
          stages: [{ kind: 'ramp', from: 50, to: 400, duration: '8s' }],
          criteria: [],
        },
        dfsps: [],
        corridors: CORRIDORS,
        transfer: { amount: '1', expiration: '30s' },
      },
      target: { kind: 'url', url: 'http://127.0.0.1:18081' },
      executor: { kind: 'k6', version: '0.45.0' },
      versions: { k6: '0.45.0' },
      host: { hostname: 'k6-host', platform: 'linux', cpus: 2, memoryBytes: 8e9 },
      startedAt: new Date(first * 1000).toISOString(),
    },
    { dirName: 'k6-import', minFreeBytes: 0 },
  );
  for (const sec of keys) {
    const s = seconds.get(sec) as Second;
    const failed = Object.values(s.failed).reduce((a, b) => a + b, 0);
    const e2e = snapshot(s.durations);
    w.appendSecond({
      t: sec * 1000,
      s: sec - first,
      stage: 0,
      offeredRate: s.ok + failed,
      offered: s.ok + failed,
      started: s.ok + failed,
      dropped: 0,
      succeeded: s.ok,
      failed: s.failed,
      inFlight: 0,
      latency: e2e ? { e2e } : {},
      corridors: Object.fromEntries(
        Object.entries(s.corridors).map(([name, c]) => {
          const snap = snapshot(c.durations);
          const n = c.ok + Object.values(c.failed).reduce((a, b) => a + b, 0);
          return [
            name,
            {
              offered: n,
              started: n,
              dropped: 0,
              succeeded: c.ok,
              failed: c.failed,
              ...(snap ? { e2e: snap } : {}),
            },
          ];
        }),
      ),
    });
  }
  w.writeK6Summary(summary);
  w.finish('failed', { reason: 'k6 exited 99: thresholds crossed' });
  return w.dir;
}
