import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HubCore } from '../core.js';
import { FspiopError } from '../fspiop/errors.js';

export type Body = Record<string, unknown>;

/** What one admin route sees: the hub, the request, its path parameters and its parsed body. */
export interface AdminRequest {
  hub: HubCore;
  /** The admin server's own URL, for links in participant documents. */
  base: string;
  req: IncomingMessage;
  res: ServerResponse;
  /** The request path without its query string. */
  path: string;
  params: Record<string, string | undefined>;
  /** The JSON body (`{}` when empty); throws 3101 when it is not JSON. */
  body: () => unknown;
}

export type AdminRoute = (r: AdminRequest) => void | Promise<void>;

export function objectOf(v: unknown, what: string): Body {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new FspiopError('3100', `${what} must be a JSON object`);
  return v as Body;
}
