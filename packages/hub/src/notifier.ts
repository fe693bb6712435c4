import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
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
  private agent: http.Agent;
  failed = 0;

  constructor(
    private readonly knobs: () => CallbackKnobs,
    private readonly log: (line: string) => void,
    private readonly onResult: (to: string, type: CallbackType, ok: boolean) => void,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: knobs().maxSockets, scheduling: 'lifo' });
  }

  async send(cb: Callback): Promise<boolean> {
    const template = cb.to.endpoints.get(cb.type);
    if (!template) {
      this.fail(cb, `no ${cb.type} endpoint registered`);
      return false;
    }
    const url = template.replaceAll('{{transferId}}', cb.transferId);
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

  private fail(cb: Callback, why: string): void {
    this.failed++;
    this.onResult(cb.to.name, cb.type, false);
    this.log(
      `callback ${cb.method} ${cb.type} to ${cb.to.name} for transfer ${cb.transferId} failed: ${why}`,
    );
  }

  /** Resolves null on a 2xx answer, else the reason. */
  private request(url: string, cb: Callback, timeoutMs: number): Promise<string | null> {
    return new Promise((resolve) => {
      let req: http.ClientRequest;
      try {
        req = http.request(url, {
          method: cb.method,
          agent: this.agent,
          headers: { ...cb.headers, 'content-length': Buffer.byteLength(cb.body) },
          timeout: timeoutMs,
        });
      } catch (err) {
        resolve(err instanceof Error ? err.message : String(err));
        return;
      }
      req.on('response', (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        res.on('end', () => resolve(status >= 200 && status < 300 ? null : `HTTP ${status}`));
        res.on('error', (e) => resolve(e.message));
      });
      req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
      req.on('error', (e) => resolve(e.message || (e as NodeJS.ErrnoException).code || 'error'));
      req.end(cb.body);
    });
  }

  stop(): void {
    this.agent.destroy();
  }
}
