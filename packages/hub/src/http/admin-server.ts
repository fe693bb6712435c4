import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMlperfError, errorMessage } from '@mlperf/core';
import Router from 'find-my-way';
import type { HubCore } from '../core.js';
import { FspiopError } from '../fspiop/errors.js';
import { checkDfsps } from '../topology.js';
import type { HubKnobsPatch, HubProfileName } from '../types.js';
import { type AdminRequest, type AdminRoute, objectOf } from './admin-request.js';
import { participantRoutes, unknownParticipantRoute } from './admin-participants.js';
import { parseJson, readBody, sendFspiopError, sendJson } from './util.js';

const health: AdminRoute = (r) => r.hub.health(r.req, r.res, 'central-ledger');

const metrics: AdminRoute = (r) => r.hub.metricsResponse(r.res);

const reset: AdminRoute = (r) => {
  const b = objectOf(r.body(), 'body');
  r.hub.reset(b.dfsps === undefined ? undefined : checkDfsps(b.dfsps, 'body.dfsps'));
  sendJson(r.res, 200, r.hub.snapshot());
};

const getProfile: AdminRoute = (r) => sendJson(r.res, 200, r.hub.profile);

const putProfile: AdminRoute = (r) => {
  const b = objectOf(r.body(), 'body');
  if (b.profile !== undefined) r.hub.setProfile(b.profile as HubProfileName);
  if (b.knobs !== undefined) r.hub.setProfile(b.knobs as HubKnobsPatch);
  sendJson(r.res, 200, r.hub.profile);
};

const getLedger: AdminRoute = (r) => sendJson(r.res, 200, r.hub.snapshot());

function adminRouter() {
  const router = Router({ ignoreTrailingSlash: true, ignoreDuplicateSlashes: true });
  const unused = () => undefined;
  router.all('/health', unused, health);
  router.all('/health/*', unused, health);
  router.all('/metrics', unused, metrics);
  router.on('POST', '/admin/reset', unused, reset);
  router.on('GET', '/admin/profile', unused, getProfile);
  router.on('PUT', '/admin/profile', unused, putProfile);
  router.on('GET', '/admin/ledger', unused, getLedger);
  for (const [method, path, route] of participantRoutes) router.on(method, path, unused, route);
  return router;
}

/** Unknown participants answer 3200 whatever follows their name; other paths 3002. */
const notFound: AdminRoute = (r) => {
  unknownParticipantRoute(r);
  throw new FspiopError('3002', `${r.req.method ?? 'GET'} ${r.path}`);
};

function sendError(res: ServerResponse, err: unknown): void {
  if (isMlperfError(err)) {
    sendJson(res, 400, {
      errorInformation: { errorCode: '3100', errorDescription: `${err.code}: ${err.message}` },
      hint: err.hint,
    });
    return;
  }
  const e = err instanceof FspiopError ? err : new FspiopError('2001', errorMessage(err));
  if (!res.headersSent) sendFspiopError(res, e);
}

/** The central-ledger admin role, plus `/admin/reset`, `/admin/profile` and `/admin/ledger`. */
export function adminHandler(hub: HubCore, base: () => string) {
  const router = adminRouter();
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    try {
      const raw = method === 'GET' ? '' : await readBody(req);
      const found = router.find(method as Router.HTTPMethod, url);
      const r: AdminRequest = {
        hub,
        base: base(),
        req,
        res,
        path: url.split('?')[0] ?? '/',
        params: found?.params ?? {},
        body: () => (raw === '' ? {} : parseJson(raw)),
      };
      await ((found?.store as AdminRoute | undefined) ?? notFound)(r);
    } catch (err) {
      sendError(res, err);
    }
  };
}
