/**
 * FAKE Mojaloop services for the check tests: a real HTTP server on 127.0.0.1 that answers like
 * ml-api-adapter / central-ledger (health, /metrics, admin API) from a mutable state, so each
 * check can be made to fail on purpose. (No real Mojaloop can run on this machine.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DfspDefinition } from '@mlperf/core';

export interface FakeState {
  health: { status: number; body: unknown };
  startTimeSeconds: number;
  /** CPU seconds added per wall second to central-ledger's counter (1 core quota). */
  cpuPerSecond: number;
  memoryRatio: number;
  participants: DfspDefinition[];
  positions: Record<string, number>;
  endpoints: boolean;
}

export interface FakeServices {
  url: string;
  state: FakeState;
  close(): Promise<void>;
}

export async function startFakeServices(dfsps: DfspDefinition[]): Promise<FakeServices> {
  const state: FakeState = {
    health: { status: 200, body: { status: 'OK', services: [{ name: 'datastore', status: 'OK' }] } },
    startTimeSeconds: Date.now() / 1000 - 3600,
    cpuPerSecond: 0.05,
    memoryRatio: 0.1,
    participants: dfsps,
    positions: Object.fromEntries(dfsps.map((d) => [d.id, d.initialPosition])),
    endpoints: true,
  };
  const t0 = Date.now();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const p = url.pathname;
    if (p === '/health') return send(state.health.status, state.health.body);
    if (p === '/metrics') {
      const cpu = ((Date.now() - t0) / 1000) * state.cpuPerSecond;
      const lim = 2 * 1024 ** 3;
      return send(
        200,
        [
          '# TYPE process_start_time_seconds gauge',
          `process_start_time_seconds ${state.startTimeSeconds}`,
          `container_cpu_usage_seconds_total{container="central-ledger"} ${cpu}`,
          'container_spec_cpu_quota{container="central-ledger"} 100000',
          'container_spec_cpu_period{container="central-ledger"} 100000',
          `container_memory_working_set_bytes{container="central-ledger"} ${lim * state.memoryRatio}`,
          `container_spec_memory_limit_bytes{container="central-ledger"} ${lim}`,
        ].join('\n'),
        'text/plain',
      );
    }
    if (p === '/participants')
      return send(
        200,
        state.participants.map((d) => ({ name: d.id, isActive: 1 })),
      );
    const m = /^\/participants\/([^/]+)\/(endpoints|accounts|limits)$/.exec(p);
    const d = m && state.participants.find((x) => x.id === decodeURIComponent(m[1] as string));
    if (!m || !d)
      return send(404, { errorInformation: { errorCode: '3200', errorDescription: 'not found' } });
    if (m[2] === 'endpoints') {
      return send(
        200,
        state.endpoints
          ? ['FSPIOP_CALLBACK_URL_TRANSFER_POST', 'FSPIOP_CALLBACK_URL_TRANSFER_PUT'].map((type) => ({
              type,
              value: 'http://127.0.0.1:1/transfers',
            }))
          : [],
      );
    }
    if (m[2] === 'accounts') {
      return send(200, [
        {
          ledgerAccountType: 'POSITION',
          currency: d.currency,
          value: state.positions[d.id] ?? 0,
          reservedValue: 0,
        },
        { ledgerAccountType: 'SETTLEMENT', currency: d.currency, value: -d.liquidity, reservedValue: 0 },
      ]);
    }
    return send(200, [
      { currency: d.currency, limit: { type: 'NET_DEBIT_CAP', value: d.netDebitCap, alarmPercentage: 10 } },
    ]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** FAKE Kubernetes API server: only GET /api/v1/nodes and /api/v1/pods, from the given lists. */
export async function startFakeKubeApi(data: {
  nodes: unknown[];
  pods: unknown[];
}): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    const items = p === '/api/v1/nodes' ? data.nodes : p.endsWith('/pods') ? data.pods : undefined;
    if (req.headers.authorization !== 'Bearer test-token') {
      res.writeHead(401).end('{}');
      return;
    }
    res.writeHead(items ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'List', items: items ?? [] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export function kubeNode(name: string, cpu: string, memory: string, ready = true) {
  return {
    metadata: { name },
    status: {
      allocatable: { cpu, memory },
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

export function kubePod(node: string, cpu: string, memory: string) {
  return {
    metadata: { namespace: 'mojaloop' },
    spec: { nodeName: node, containers: [{ resources: { requests: { cpu, memory } } }] },
    status: { phase: 'Running' },
  };
}
