import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface TwoRunners {
  /** `--out json=` of each runner: runner-0.ndjson (plain), runner-1.ndjson.gz (gzip). */
  ndjson: string[];
  /** `--summary-export` of each runner. */
  summaries: string[];
  /** Each k6 process's exit code (99: a threshold crossed). */
  codes: number[];
}

/**
 * Two real k6 runners at once, each 40 transfers/s for 3 s (corridor tag `a->b`) against a
 * loopback server that answers 202, writing into `dir`. With `threshold`, that metric gets a
 * p(95) no loopback request meets, so k6 itself judges the run failed.
 */
export async function twoK6Runners(k6: string, dir: string, threshold?: string): Promise<TwoRunners> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 202;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/transfers`;
    const script = join(dir, 'script.js');
    writeFileSync(script, k6Script(url, threshold));
    const ndjson = [join(dir, 'runner-0.ndjson'), join(dir, 'runner-1.ndjson.gz')];
    const summaries = [join(dir, 'summary-0.json'), join(dir, 'summary-1.json')];
    const run = (i: number) =>
      new Promise<number>((resolve) => {
        const args = ['run', '--quiet', '--no-color', '--out', `json=${ndjson[i]}`];
        execFile(k6, [...args, `--summary-export=${summaries[i]}`, script], (err) =>
          resolve(err ? Number((err as { code?: number }).code) : 0),
        );
      });
    const codes = await Promise.all([run(0), run(1)]);
    return { ndjson, summaries, codes };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

function k6Script(url: string, threshold: string | undefined): string {
  const thresholds = threshold ? `,\n  thresholds: { '${threshold}': ['p(95)<0.0001'] },` : '';
  return `import http from 'k6/http';
import { Rate, Trend } from 'k6/metrics';
const e2e = new Trend('transfer_e2e_duration', true);
const ok = new Rate('transfer_success');
export const options = {
  scenarios: { s: { executor: 'constant-arrival-rate', rate: 40, timeUnit: '1s', duration: '3s', preAllocatedVUs: 5, maxVUs: 20 } }${thresholds}
};
export default function () {
  const t0 = Date.now();
  const r = http.post('${url}', '{}', { tags: { corridor: 'a->b' } });
  ok.add(r.status === 202, { corridor: 'a->b' });
  e2e.add(Date.now() - t0, { corridor: 'a->b' });
}
`;
}
