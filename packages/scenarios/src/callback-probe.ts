import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExitCode, MlperfError } from '@mlperf/core';
import { uuid } from './fspiop/ids.js';
import { errorBody, fspiopHeaders } from './fspiop/messages.js';
import { prepareRequest } from './fspiop/prepare-request.js';

/**
 * The callback port mlperf listens on against a real hub, unless told otherwise
 * (`--callback-port`). A stable port matters there: ml-api-adapter caches each DFSP's callback
 * endpoints for minutes, so a port that changed since the last run is not called until the cache
 * expires. The embedded hub has no such cache and gets a free port.
 */
export const DEFAULT_CALLBACK_PORT = 4040;

export interface CallbackProbeOptions {
  /** ml-api-adapter URL. */
  hubUrl: string;
  host: string;
  port: number;
  /**
   * Registers the callback endpoints for the bound port; returns the address the hub was told and
   * the endpoints it replaced (`<dfsp> <type>: <old url>`), which the hub may still call.
   */
  register: (port: number) => Promise<{ callbackUrl: string; replaced: string[] }>;
  payer: string;
  payee: string;
  amount: string;
  currency: string;
  /** How long to wait for the hub's endpoint cache (default 240 s; 0: one attempt only). */
  waitMs?: number;
  /** One attempt: how long to wait for the callbacks of one probe transfer (default 10 s). */
  attemptMs?: number;
  /** Progress lines for the user. */
  note?: (line: string) => void;
  signal?: AbortSignal;
}

export interface CallbackProbeResult {
  /** The bound port (the engine then listens on the same one). */
  port: number;
  callbackUrl: string;
  /** The probe transfers sent; the last reached this process and was rejected (aborted, 5105). */
  transferIds: string[];
  waitedMs: number;
}

interface Seen {
  prepare: boolean;
  payerNotified: boolean;
  /** Why the payee's rejection (PUT /transfers/{id}/error) failed. */
  rejectError?: string;
}

/**
 * Before any load against a real hub: sends a probe transfer and waits until the hub calls THIS
 * process with it (prepare to the payee, then the abort notification to the payer after the payee
 * rejects it, so no position moves). When the callbacks go elsewhere (ml-api-adapter still using
 * cached endpoints of an earlier run) it says so and retries until `waitMs`, then throws exit 3.
 */
export async function probeCallbacks(o: CallbackProbeOptions): Promise<CallbackProbeResult> {
  const seen = new Map<string, Seen>();
  const server = http.createServer((req, res) => onCallback(o, seen, req, res));
  await listen(server, o.port, o.host);
  const port = (server.address() as AddressInfo).port;
  let registered: { callbackUrl: string; replaced: string[] };
  try {
    registered = await o.register(port);
  } catch (err) {
    await close(server);
    throw err;
  }
  const { callbackUrl, replaced } = registered;
  const started = Date.now();
  const waitMs = o.waitMs ?? 240_000;
  const attemptMs = o.attemptMs ?? 10_000;
  const ids: string[] = [];
  try {
    for (let attempt = 1; ; attempt++) {
      const id = uuid();
      ids.push(id);
      seen.set(id, { prepare: false, payerNotified: false });
      await sendPrepare(o, id, attemptMs);
      const s = await waitFor(() => seen.get(id)?.payerNotified === true, attemptMs, o.signal);
      const got = seen.get(id) as Seen;
      if (s) return { port, callbackUrl, transferIds: ids, waitedMs: Date.now() - started };
      const elapsed = Date.now() - started;
      const why = diagnose(o.payer, replaced, got, seen, id);
      // the prepare reached this process: the address is right, the rest is not a cache to wait for
      if (o.signal?.aborted || got.prepare || elapsed + attemptMs > waitMs) {
        throw new MlperfError(
          'CALLBACKS_NOT_RECEIVED',
          `the hub did not call ${callbackUrl} with probe transfer ${id} (${attempt} attempt${attempt === 1 ? '' : 's'} in ${Math.round(elapsed / 1000)} s): ${why}`,
          {
            hint: replaced.length
              ? 'ml-api-adapter caches callback endpoints (about 3 min): wait and run again, restart ml-api-adapter, or use the port it still calls (--callback-port)'
              : 'check that the hub can reach this address (--callback-host, --callback-url) and that the DFSPs exist on it',
            exitCode: ExitCode.unavailable,
          },
        );
      }
      o.note?.(
        `callback probe ${attempt}: ${why}; waiting for the hub's endpoint cache (${Math.round(elapsed / 1000)} of at most ${Math.round(waitMs / 1000)} s)`,
      );
    }
  } finally {
    await close(server);
  }
}

async function close(server: http.Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

function diagnose(payer: string, replaced: string[], got: Seen, seen: Map<string, Seen>, id: string): string {
  if (got.rejectError) return `the payee got the prepare but its rejection failed: ${got.rejectError}`;
  if (got.prepare) return `the payee got the prepare but the payer (${payer}) got no notification`;
  const late = [...seen.entries()].some(([k, v]) => k !== id && v.prepare);
  if (late) return 'an earlier probe reached this process only now: the hub is slow, not misdirected';
  if (replaced.length)
    return `no callback arrived; the hub probably still calls the endpoints registered before (${replaced.slice(0, 2).join(', ')}${replaced.length > 2 ? ', ...' : ''})`;
  return 'no callback arrived';
}

function onCallback(
  o: CallbackProbeOptions,
  seen: Map<string, Seen>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => {
    if (body.length < 65_536) body += c;
  });
  req.on('end', () => {
    res.writeHead(req.method === 'POST' ? 202 : 200, { 'content-length': '0' });
    res.end();
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'POST' && /\/transfers\/?$/.test(path)) {
      const id = transferIdOf(body);
      const s = id ? seen.get(id) : undefined;
      if (id && s && !s.prepare) {
        s.prepare = true;
        reject(o, id).catch((err: Error) => {
          s.rejectError = err.message;
        });
      }
      return;
    }
    const m = /\/transfers\/([^/]+)(\/error)?\/?$/.exec(path);
    const s = m?.[1] ? seen.get(decodeURIComponent(m[1])) : undefined;
    const toPayer =
      path.startsWith(`/${encodeURIComponent(o.payer)}/`) || req.headers['fspiop-destination'] === o.payer;
    if (s && toPayer) s.payerNotified = true;
  });
}

function transferIdOf(body: string): string | undefined {
  try {
    const v = (JSON.parse(body) as { transferId?: unknown }).transferId;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

async function sendPrepare(o: CallbackProbeOptions, id: string, attemptMs: number): Promise<void> {
  const expiration = new Date(Date.now() + Math.max(attemptMs, 5000) + 10_000).toISOString();
  const { payer, payee, amount, currency } = o;
  const secret = 'mlperf-callback-probe';
  const { body } = prepareRequest({ transferId: id, payer, payee, amount, currency, secret, expiration });
  await send(o, 'POST', '/transfers', o.payer, o.payee, body);
}

/** The payee refuses the probe (5105), so the transfer aborts and no position moves. */
async function reject(o: CallbackProbeOptions, id: string): Promise<void> {
  const body = errorBody('5105', 'mlperf callback probe: rejected on purpose');
  await send(o, 'PUT', `/transfers/${id}/error`, o.payee, o.payer, body);
}

async function send(
  o: CallbackProbeOptions,
  method: string,
  path: string,
  source: string,
  destination: string,
  body: string,
): Promise<void> {
  const url = `${o.hubUrl.replace(/\/$/, '')}${path}`;
  const res = await fetch(url, {
    method,
    // always a valid Accept: fetch would add `*/*`, which ml-api-adapter refuses (400)
    headers: { ...fspiopHeaders(source, destination, new Date().toUTCString(), true) } as Record<
      string,
      string
    >,
    body,
    signal: AbortSignal.timeout(10_000),
  }).catch((err: Error) => {
    throw new MlperfError('TARGET_UNREACHABLE', `callback probe: ${method} ${url} failed (${err.message})`, {
      hint: 'check --target (the ml-api-adapter URL)',
      exitCode: ExitCode.unavailable,
    });
  });
  const text = await res.text();
  if (res.status >= 300) {
    throw new MlperfError(
      'PROBE_REJECTED',
      `callback probe: ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`,
      {
        hint: `check that ${source} and ${destination} exist on the hub with their accounts and limits`,
        exitCode: ExitCode.unavailable,
      },
    );
  }
}

async function listen(server: http.Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new MlperfError(
          'CALLBACK_PORT_BUSY',
          `cannot listen for callbacks on ${host}:${port}: ${err.code ?? err.message}`,
          {
            hint: 'another process uses that port (an earlier run, a DFSP simulator): stop it or pass --callback-port',
            exitCode: ExitCode.unavailable,
            cause: err,
          },
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
}

async function waitFor(cond: () => boolean, ms: number, signal?: AbortSignal): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end && !signal?.aborted) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}
