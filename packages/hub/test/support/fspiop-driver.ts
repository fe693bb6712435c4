// A minimal FSPIOP driver: payer and payee DFSP roles over real HTTP (tests and the bench use it).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Dispatcher, Pool } from 'undici';

export const CT = 'application/vnd.interoperability.transfers+json;version=1.1';
export const ACCEPT = 'application/vnd.interoperability.transfers+json;version=1.1';

export interface CallbackRecord {
  dfsp: string;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export type PayeeBehaviour = 'fulfil' | 'reject' | 'wrong-fulfilment' | 'ignore' | 'reserved';

export interface Outcome {
  transferId: string;
  state: 'COMMITTED' | 'ABORTED' | 'HTTP_ERROR';
  errorCode?: string;
  httpStatus?: number;
  ms: number;
}

interface Pending {
  payer: string;
  payee: string;
  fulfilment: string;
  behaviour: PayeeBehaviour;
  start: number;
  resolve: (o: Outcome) => void;
}

export function makeCondition(): { fulfilment: string; condition: string } {
  const pre = randomBytes(32);
  return {
    fulfilment: pre.toString('base64url'),
    condition: createHash('sha256').update(pre).digest('base64url'),
  };
}

export function prepareBody(
  payer: string,
  payee: string,
  amount: string,
  condition: string,
  expiresInMs = 30_000,
) {
  return {
    transferId: randomUUID(),
    payerFsp: payer,
    payeeFsp: payee,
    amount: { amount, currency: 'USD' },
    ilpPacket:
      'AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQU0svMS4wCk5vbmNl',
    condition,
    expiration: new Date(Date.now() + expiresInMs).toISOString(),
  };
}

export function fspiopHeaders(
  source: string,
  destination: string,
  withAccept: boolean,
): Record<string, string> {
  const h: Record<string, string> = {
    'content-type': CT,
    date: new Date().toUTCString(),
    'fspiop-source': source,
    'fspiop-destination': destination,
  };
  if (withAccept) h.accept = ACCEPT;
  return h;
}

/** DFSP simulators for every participant behind one callback server. */
export class FspiopDriver {
  readonly pending = new Map<string, Pending>();
  private readonly pools = new Map<string, Pool>();
  private server: http.Server | undefined;
  callbackUrl = '';
  /** Every callback received, when recording is on. */
  readonly callbacks: CallbackRecord[] = [];
  /** Every FSPIOP request sent to the hub, when recording is on. */
  readonly sent: { method: string; path: string; headers: Record<string, string>; body: unknown }[] = [];
  record = false;
  /** Payee behaviour for prepares not started by this driver. */
  defaultBehaviour: PayeeBehaviour = 'fulfil';

  constructor(
    readonly hubUrl: string,
    readonly adminUrl: string,
  ) {}

  async start(dfsps: string[]): Promise<void> {
    const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => this.onCallback(req, res));
    this.server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const d of dfsps) {
      const base = `${this.callbackUrl}/${d}`;
      for (const [type, value] of [
        ['FSPIOP_CALLBACK_URL_TRANSFER_POST', `${base}/transfers`],
        ['FSPIOP_CALLBACK_URL_TRANSFER_PUT', `${base}/transfers/{{transferId}}`],
        ['FSPIOP_CALLBACK_URL_TRANSFER_ERROR', `${base}/transfers/{{transferId}}/error`],
      ]) {
        const r = await this.request(
          this.adminUrl,
          'POST',
          `/participants/${d}/endpoints`,
          {},
          JSON.stringify({ type, value }),
        );
        if (r.status !== 201) throw new Error(`endpoint registration for ${d} failed: ${r.status} ${r.body}`);
      }
    }
  }

  async request(
    base: string,
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<{ status: number; body: string }> {
    if (this.record && base === this.hubUrl)
      this.sent.push({ method, path, headers, body: body === undefined ? undefined : JSON.parse(body) });
    let pool = this.pools.get(base);
    if (!pool) {
      pool = new Pool(base, { connections: 256, keepAliveTimeout: 60_000 });
      this.pools.set(base, pool);
    }
    const res = await pool.request({
      method: method as Dispatcher.HttpMethod,
      path,
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.statusCode, body: await res.body.text() };
  }

  /** Sends one prepare and resolves when the payer hears the final state (or the POST is refused). */
  transfer(
    payer: string,
    payee: string,
    amount = '1',
    behaviour: PayeeBehaviour = 'fulfil',
    expiresInMs = 30_000,
  ) {
    const { fulfilment, condition } = makeCondition();
    const body = prepareBody(payer, payee, amount, condition, expiresInMs);
    return this.send(body, fulfilment, behaviour);
  }

  send(
    body: ReturnType<typeof prepareBody>,
    fulfilment: string,
    behaviour: PayeeBehaviour,
  ): Promise<Outcome> {
    const start = performance.now();
    return new Promise<Outcome>((resolve) => {
      this.pending.set(body.transferId, {
        payer: body.payerFsp,
        payee: body.payeeFsp,
        fulfilment,
        behaviour,
        start,
        resolve,
      });
      this.request(
        this.hubUrl,
        'POST',
        '/transfers',
        fspiopHeaders(body.payerFsp, body.payeeFsp, true),
        JSON.stringify(body),
      )
        .then((r) => {
          if (r.status !== 202) {
            this.pending.delete(body.transferId);
            resolve({
              transferId: body.transferId,
              state: 'HTTP_ERROR',
              httpStatus: r.status,
              ms: performance.now() - start,
            });
          }
        })
        .catch(() => {
          this.pending.delete(body.transferId);
          resolve({
            transferId: body.transferId,
            state: 'HTTP_ERROR',
            httpStatus: 0,
            ms: performance.now() - start,
          });
        });
    });
  }

  private onCallback(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const [, dfsp = '', , id, tail] = path.split('/');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      res.writeHead(req.method === 'POST' ? 202 : 200, { 'content-length': 0 });
      res.end();
      if (this.record)
        this.callbacks.push({ dfsp, method: req.method ?? '', path, headers: req.headers, body });
      const b = body as Record<string, unknown> | undefined;
      if (req.method === 'POST' && id === undefined && b) this.onPrepare(dfsp, b);
      else if (req.method === 'PUT' && id) {
        const p = this.pending.get(id);
        if (!p || dfsp !== p.payer) return;
        this.pending.delete(id);
        const ms = performance.now() - p.start;
        if (tail === 'error') {
          const info = (b?.errorInformation ?? {}) as { errorCode?: string };
          p.resolve({ transferId: id, state: 'ABORTED', errorCode: info.errorCode, ms });
        } else
          p.resolve({
            transferId: id,
            state: b?.transferState === 'COMMITTED' ? 'COMMITTED' : 'ABORTED',
            ms,
          });
      }
    });
  }

  private onPrepare(payee: string, b: Record<string, unknown>): void {
    const id = String(b.transferId);
    const p = this.pending.get(id);
    const behaviour = p?.behaviour ?? this.defaultBehaviour;
    if (behaviour === 'ignore') return;
    const payer = String(b.payerFsp);
    const headers = fspiopHeaders(payee, payer, false);
    if (behaviour === 'reject') {
      const err = {
        errorInformation: { errorCode: '5105', errorDescription: 'Payee transaction limit reached' },
      };
      void this.request(this.hubUrl, 'PUT', `/transfers/${id}/error`, headers, JSON.stringify(err)).catch(
        () => {},
      );
      return;
    }
    const fulfilment = behaviour === 'wrong-fulfilment' || !p ? makeCondition().fulfilment : p.fulfilment;
    const put = {
      transferState: behaviour === 'reserved' ? 'RESERVED' : 'COMMITTED',
      fulfilment,
      completedTimestamp: new Date().toISOString(),
    };
    void this.request(this.hubUrl, 'PUT', `/transfers/${id}`, headers, JSON.stringify(put)).catch(() => {});
  }

  async stop(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.destroy()));
    this.pools.clear();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  }
}
