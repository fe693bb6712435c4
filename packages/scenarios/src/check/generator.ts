import { Agent, createServer, request } from 'node:http';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { CheckResult } from './types.js';

type Partial_ = Omit<CheckResult, 'durationMs'>;

/**
 * HTTP exchanges the local engine handles per transfer: it sends the prepare and the fulfil, and
 * receives the prepare (as payee) and the commit notification (as payer). One self-test exchange
 * is one request sent plus one received, so a transfer costs two.
 */
export const EXCHANGES_PER_TRANSFER = 2;
/** Headroom wanted above the planned peak for a clean pass. */
export const GENERATOR_HEADROOM = 1.5;
/**
 * Below this share of the planned peak the generator cannot possibly drive the plan: fail. Between
 * it and the headroom it only warns, because a short self-test on a shared machine is noisy and the
 * analyzer flags a saturated generator from the run itself (dropped arrivals, dispatch delay).
 */
export const GENERATOR_FAIL_SHARE = 0.25;

export interface SelfTestResult {
  exchanges: number;
  seconds: number;
  exchangesPerSecond: number;
  transfersPerSecond: number;
  p99Ms: number;
}

/** A short real load test of this machine against itself on 127.0.0.1: keep-alive HTTP, fixed concurrency. */
export async function generatorSelfTest(
  options: { durationMs?: number; concurrency?: number } = {},
): Promise<SelfTestResult> {
  const durationMs = options.durationMs ?? 1500;
  const concurrency = options.concurrency ?? 32;
  const body = JSON.stringify({
    transferId: '00000000-0000-4000-8000-000000000000',
    transferState: 'RECEIVED',
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // parse what arrived, as the engine parses every callback
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let done = 0;
  let stop = false;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      // the per-transfer work of the engine: an id, a fulfilment and its condition, a JSON body
      const fulfilment = randomBytes(32);
      const payload = JSON.stringify({
        transferId: randomUUID(),
        payerFsp: 'perffsp-1',
        payeeFsp: 'perffsp-5',
        amount: { amount: '0.10', currency: 'USD' },
        condition: createHash('sha256').update(fulfilment).digest('base64url'),
        expiration: new Date(Date.now() + 30_000).toISOString(),
      });
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/transfers',
          agent,
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const worker = async () => {
    while (!stop) {
      await one();
      done++;
    }
  };
  try {
    // warm up sockets and JIT, then measure
    await Promise.all(Array.from({ length: concurrency }, () => one()));
    latencies.length = 0;
    const started = performance.now();
    const timer = setTimeout(() => {
      stop = true;
    }, durationMs);
    await Promise.all(Array.from({ length: concurrency }, worker));
    clearTimeout(timer);
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const p99Ms = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0;
    const exchangesPerSecond = done / seconds;
    return {
      exchanges: done,
      seconds,
      exchangesPerSecond,
      transfersPerSecond: exchangesPerSecond / EXCHANGES_PER_TRANSFER,
      p99Ms,
    };
  } finally {
    agent.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

/** Judges the self-test against the planned peak (highest bounded rate of the suite). */
export function judgeGenerator(
  result: SelfTestResult,
  peakTps: number,
  options: { sharesHost?: boolean } = {},
): Partial_ {
  const title = 'Load generator capacity';
  const cap = Math.round(result.transfersPerSecond);
  const numbers = [
    { label: 'self-test exchanges', value: result.exchanges },
    { label: 'capacity', value: cap, unit: 'transfers/s' },
    { label: 'planned peak', value: peakTps, unit: 'transfers/s' },
    { label: 'self-test p99', value: Math.round(result.p99Ms * 10) / 10, unit: 'ms' },
  ];
  const shared = options.sharesHost
    ? ' (the embedded hub shares this machine, so real headroom is lower)'
    : '';
  const base = { id: 'generator-capacity' as const, title, numbers };
  if (cap < peakTps * GENERATOR_FAIL_SHARE) {
    return {
      ...base,
      status: 'fail',
      reason: `this machine drives about ${cap} transfers/s, less than a quarter of the planned peak of ${peakTps}${shared}`,
      hint: 'run the load from a bigger machine or on Kubernetes (--executor k8s), or lower the rates (--rate-cap)',
    };
  }
  if (cap < peakTps * GENERATOR_HEADROOM) {
    return {
      ...base,
      status: 'warn',
      reason: `this machine drives about ${cap} transfers/s: ${cap < peakTps ? 'below' : `less than ${GENERATOR_HEADROOM}x`} the planned peak of ${peakTps}${shared}`,
      hint: 'the generator may become the bottleneck; the analyzer will say so if it does',
    };
  }
  return {
    ...base,
    status: 'pass',
    reason: `about ${cap} transfers/s, ${(cap / peakTps).toFixed(1)}x the planned peak of ${peakTps}${shared}`,
  };
}
