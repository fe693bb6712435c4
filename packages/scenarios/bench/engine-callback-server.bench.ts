// The engine's callback server alone: CPU of the server process per 1000 FSPIOP callbacks, sent by
// the engine's hub client (whose CPU, this process's, is printed too).
//   pnpm bench engine-callback-server
// Env: BENCH_CALLBACKS (per round, default 40000), BENCH_ROUNDS (default 3),
//      BENCH_COMPARE (path of another checkout's src/engine/callback-server.ts, run side by side).
import { type ChildProcess, fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubClient, type HubEvents } from '../src/engine/hub-client.js';

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

/**
 * Sends `count` PUTs through the engine's own hub client (its HTTP/1.1 client, 64 keep-alive connections), at
 * most 256 in flight; returns the seconds it took and this process's CPU for it (the client side).
 */
async function load(port: number, count: number): Promise<{ s: number; clientCpuUs: number }> {
  let sent = 0;
  let done = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((r) => {
    finish = r;
  });
  const events: HubEvents = {
    prepareSent: () => {},
    prepareAccepted: () => {},
    prepareFailed: () => {},
    payeeCallbackFailed: (_id, type, detail) => {
      throw new Error(`callback failed: ${type} ${detail}`);
    },
    request: () => {
      if (++done === count) finish();
      else if (sent < count) send();
    },
  };
  const client = new HubClient(`http://127.0.0.1:${port}`, events, 64);
  const send = () => client.sendPut(`t-${sent++}`, '', headers, body);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < 256 && sent < count; i++) send();
  await finished;
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await client.close();
  return { s, clientCpuUs: cpu.user + cpu.system };
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
      const { s, clientCpuUs } = await load(c.port, n);
      const after = await cpu(c);
      const perK = (us: number) => ((us / 1e6 / n) * 1000).toFixed(3);
      console.log(
        `  round ${r + 1} ${i === 0 ? 'this checkout' : 'compared     '}: ${perK(after.cpuUs - before.cpuUs)} server CPU-s/1000 callbacks (system ${perK(after.sysUs - before.sysUs)}), client ${perK(clientCpuUs)}, ${(n / s).toFixed(0)} callbacks/s, load ${loadavg()[0]?.toFixed(1)}`,
      );
    }
  }
} finally {
  for (const c of children) c.proc.kill('SIGTERM');
}
