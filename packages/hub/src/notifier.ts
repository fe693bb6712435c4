import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import type { Participant } from './ledger.js';
import type { CallbackKnobs } from './types.js';

export type CallbackType =
  | 'FSPIOP_CALLBACK_URL_TRANSFER_POST'
  | 'FSPIOP_CALLBACK_URL_TRANSFER_PUT'
  | 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR';

export interface Callback {
  to: Participant;
  type: CallbackType;
  method: 'POST' | 'PUT' | 'PATCH';
  transferId: string;
  body: string;
  headers: Record<string, string>;
}

/** Sends DFSP callbacks over keep-alive connections, with bounded retries; failures are counted and logged. */
export class Notifier {
  failed = 0;

  constructor(
    private readonly knobs: () => CallbackKnobs,
    private readonly log: (line: string) => void,
    private readonly onResult: (to: string, type: CallbackType, ok: boolean) => void,
  ) {}

  async send(cb: Callback): Promise<boolean> {
    const template = cb.to.endpoints.get(cb.type);
    if (!template) {
      this.fail(cb, `no ${cb.type} endpoint registered`);
      return false;
    }
    const target = this.target(template);
    if (typeof target === 'string') {
      this.fail(cb, target);
      return false;
    }
    const url = { ...target, path: target.path.replaceAll('{{transferId}}', cb.transferId) };
    const k = this.knobs();
    let lastError = '';
    for (let attempt = 0; attempt <= k.retries; attempt++) {
      if (attempt > 0) await sleep(k.retryDelayMs * attempt);
      const result = await this.request(url, cb, k.timeoutMs);
      if (result === null) {
        this.onResult(cb.to.name, cb.type, true);
        return true;
      }
      lastError = result;
      if (result.startsWith('HTTP 4')) break;
    }
    this.fail(cb, lastError);
    return false;
  }

  private readonly targets = new Map<string, { hostname: string; port: number; path: string } | string>();

  /** Parses an endpoint template once; a string is the reason it is unusable. */
  private target(template: string): { hostname: string; port: number; path: string } | string {
    let t = this.targets.get(template);
    if (t === undefined) {
      try {
        const u = new URL(template.replaceAll('{{transferId}}', '__ID__'));
        if (u.protocol !== 'http:') t = `endpoint ${template} is not http://`;
        else
          t = {
            hostname: u.hostname.replace(/^\[|\]$/g, ''),
            port: Number(u.port || 80),
            path: (u.pathname + u.search).replaceAll('__ID__', '{{transferId}}'),
          };
      } catch {
        t = `endpoint ${template} is not a URL`;
      }
      if (this.targets.size > 10_000) this.targets.clear();
      this.targets.set(template, t);
    }
    return t;
  }

  private fail(cb: Callback, why: string): void {
    this.failed++;
    this.onResult(cb.to.name, cb.type, false);
    this.log(
      `callback ${cb.method} ${cb.type} to ${cb.to.name} for transfer ${cb.transferId} failed: ${why}`,
    );
  }

  private readonly pools = new Map<string, Pool>();

  /** Resolves null on a 2xx answer, else the reason. */
  private async request(
    url: { hostname: string; port: number; path: string },
    cb: Callback,
    timeoutMs: number,
  ): Promise<string | null> {
    const origin = `http://${url.hostname.includes(':') ? `[${url.hostname}]` : url.hostname}:${url.port}`;
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.knobs().maxSockets,
        keepAliveTimeout: 60_000,
        connectTimeout: timeoutMs,
      });
      this.pools.set(origin, pool);
    }
    try {
      const res = await pool.request({
        method: cb.method,
        path: url.path,
        headers: cb.headers,
        body: cb.body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await res.body.dump();
      return res.statusCode >= 200 && res.statusCode < 300 ? null : `HTTP ${res.statusCode}`;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return e.code ?? e.message;
    }
  }

  stop(): void {
    for (const p of this.pools.values()) void p.destroy().catch(() => {});
    this.pools.clear();
  }
}
