import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { FspiopError } from '../fspiop/errors.js';
import { checkError, checkFulfil, checkHeaders, checkPrepare, isTransferId } from '../fspiop/validate.js';
import { hashBody } from '../ledger.js';
import type { HubCore } from '../core.js';
import { parseJson, readBody, sendEmpty, sendFspiopError } from './util.js';
import { errorMessage } from '@mlperf/core';

const TRANSFER_PATH = /^\/transfers\/([^/?]+)(\/error)?\/?(?:\?.*)?$/;

/** The ml-api-adapter role: FSPIOP /transfers ingress. Validation errors answer synchronously, as ml-api-adapter does. */
export function fspiopHandler(hub: HubCore) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const start = performance.now();
    const url = req.url ?? '/';
    const method = req.method ?? 'GET';
    let route: 'prepare' | 'fulfil' | 'reject' | 'get' | undefined;
    let id = '';
    try {
      if (url === '/health' || url.startsWith('/health?') || url.startsWith('/health/')) {
        await hub.health(req, res, 'ml-api-adapter');
        return;
      }
      if (url === '/metrics') {
        await hub.metricsResponse(res);
        return;
      }
      const raw = method === 'GET' || method === 'HEAD' ? '' : await readBody(req);
      if (url === '/transfers' || url.startsWith('/transfers?')) {
        if (method !== 'POST') throw new FspiopError('3000', `${method} /transfers is not supported`);
        route = 'prepare';
      } else {
        const m = TRANSFER_PATH.exec(url);
        if (!m) throw new FspiopError('3002', `${method} ${url}`);
        id = decodeURIComponent(m[1] ?? '');
        if (m[2]) route = method === 'PUT' ? 'reject' : undefined;
        else route = method === 'PUT' ? 'fulfil' : method === 'GET' ? 'get' : undefined;
        if (!route) throw new FspiopError('3000', `${method} ${url} is not supported`);
        if (!isTransferId(id)) throw new FspiopError('3100', `transfer id ${id} is not a UUID`);
      }
      if (hub.emu.isDown('ml-api-adapter') || hub.emu.isDown('kafka'))
        throw new FspiopError('2003', 'ml-api-adapter or kafka is restarting');
      if (route !== 'get' && hub.backlog() >= hub.knobs.maxBacklog)
        throw new FspiopError('2003', `backlog of ${hub.knobs.maxBacklog} messages reached`);
      const headers = checkHeaders(req.headers, route !== 'get', route === 'prepare' || route === 'get');
      if (!hub.ledger.participants.has(headers.source))
        throw new FspiopError('3100', `FSPIOP-Source ${headers.source} is not a participant of this hub`);
      const delay = hub.emu.cpu('ml-api-adapter', hub.knobs.ingressServiceTimeMs);
      if (delay > 0) await sleep(delay);
      if (route === 'prepare') {
        const body = checkPrepare(parseJson(raw));
        hub.stages.prepare.produce(undefined, { body, raw, hash: hashBody(raw), headers, receivedAt: start });
        sendEmpty(res, 202);
      } else if (route === 'fulfil') {
        hub.stages.fulfil.produce(undefined, {
          kind: 'fulfil',
          id,
          body: checkFulfil(parseJson(raw)),
          headers,
          receivedAt: start,
        });
        sendEmpty(res, 200);
      } else if (route === 'reject') {
        hub.stages.fulfil.produce(undefined, {
          kind: 'reject',
          id,
          body: checkError(parseJson(raw)),
          raw,
          headers,
          receivedAt: start,
        });
        sendEmpty(res, 200);
      } else {
        hub.handlers.get(id, headers);
        sendEmpty(res, 202);
      }
    } catch (err) {
      const e = err instanceof FspiopError ? err : new FspiopError('2001', errorMessage(err));
      if (!res.headersSent) sendFspiopError(res, e);
      observe(hub, route, start, false);
    }
  };
}

/** Requests refused at the door count as failed prepares / fulfils. */
function observe(hub: HubCore, route: string | undefined, start: number, ok: boolean): void {
  const seconds = (performance.now() - start) / 1000;
  if (route === 'prepare') hub.metrics.prepare(ok, seconds);
  else if (route === 'fulfil' || route === 'reject') hub.metrics.fulfil(ok, seconds);
}
