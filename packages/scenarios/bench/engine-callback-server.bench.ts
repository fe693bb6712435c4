// The engine's callback server alone: CPU of the server process per 1000 FSPIOP callbacks.
//   pnpm bench engine-callback-server
// Env: BENCH_CALLBACKS (per round, default 40000), BENCH_ROUNDS (default 3),
//      BENCH_COMPARE (path of another checkout's src/engine/callback-server.ts, run side by side).
import { type ChildProcess, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const here = dirname(fileURLToPath(import.meta.url));
const n = Number(process.env.BENCH_CALLBACKS ?? 40_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const impls = [
  join(here, '../src/engine/callback-server.ts'),
  ...(process.env.BENCH_COMPARE ? [process.env.BENCH_COMPARE] : []),
];

// what ml-api-adapter sends with a fulfil notification (headers and a body of the usual size)
const headers = {
  'content-type': 'application/vnd.interoperability.transfers+json;version=1.1',
  accept: 'application/vnd.interoperability.transfers+json;version=1.1',
  date: new Date().toUTCString(),
  'fspiop-source': 'perffsp-5',
  'fspiop-destination': 'perffsp-1',
};
const body = JSON.stringify({
  transferState: 'COMMITTED',
  fulfilment: 'x'.repeat(43),
  completedTimestamp: new Date().toISOString(),
});

interface Child {
  proc: ChildProcess;
  port: number;
}

function next<T>(proc: ChildProcess): Promise<T> {
  return new Promise((resolve) => proc.once('message', (m) => resolve(m as T)));
}

async function start(impl: string): Promise<Child> {
  const proc = fork(join(here, '_callback-server-process.ts'), [impl], {
    execArgv: ['--conditions=source', '--import', 'tsx'],
  });
  return { proc, port: (await next<{ port: number }>(proc)).port };
}

async function cpu(c: Child): Promise<{ cpuUs: number; sysUs: number }> {
  const m = next<{ cpuUs: number; sysUs: number }>(c.proc);
  c.proc.send('cpu');
  return await m;
}

/** Sends `count` PUTs over 64 keep-alive connections, at most 256 in flight (as the hub's pool would). */
async function load(port: number, count: number): Promise<number> {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 64, pipelining: 1 });
  const t0 = performance.now();
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      const id = sent++;
      const r = await pool.request({ method: 'PUT', path: `/perffsp-1/transfers/t-${id}`, headers, body });
      await r.body.dump();
    }
  };
  await Promise.all(Array.from({ length: 256 }, worker));
  const s = (performance.now() - t0) / 1000;
  await pool.close();
  return s;
}

const children = await Promise.all(impls.map(start));
try {
  console.log(
    `callback server: ${n} PUT callbacks per round, load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  for (const c of children) await load(c.port, 5000); // warm-up: JIT and connections
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of children.entries()) {
      const before = await cpu(c);
      const s = await load(c.port, n);
      const after = await cpu(c);
      const perK = (us: number) => ((us / 1e6 / n) * 1000).toFixed(3);
      console.log(
        `  round ${r + 1} ${i === 0 ? 'this checkout' : 'compared     '}: ${perK(after.cpuUs - before.cpuUs)} server CPU-s/1000 callbacks (system ${perK(after.sysUs - before.sysUs)}), ${(n / s).toFixed(0)} callbacks/s, load ${loadavg()[0]?.toFixed(1)}`,
      );
    }
  }
} finally {
  for (const c of children) c.proc.kill('SIGTERM');
}
