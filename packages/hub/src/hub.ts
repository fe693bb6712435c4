import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ExitCode, MlperfError, standardDfsps } from '@mlperf/core';
import { HubCore } from './core.js';
import { adminHandler } from './http/admin-server.js';
import { fspiopHandler } from './http/fspiop-server.js';
import { startHubProcess } from './isolation.js';
import { resolveHubProfile } from './profiles.js';
import { checkDfsps } from './topology.js';
import type { HubHandle, HubOptions } from './types.js';

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) =>
      reject(
        new MlperfError('HUB_LISTEN_FAILED', `cannot listen on ${host}:${port}: ${err.code ?? err.message}`, {
          hint:
            err.code === 'EADDRINUSE'
              ? 'choose another --port, or 0 for a free one'
              : 'check --host and --port',
          exitCode: ExitCode.unavailable,
          cause: err,
        }),
      );
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts the embedded hub; resolves when both servers listen. */
export async function startHub(options: HubOptions = {}): Promise<HubHandle> {
  if (options.isolation === 'process') return startHubProcess(options);
  const host = options.host ?? '127.0.0.1';
  const dfsps = checkDfsps(options.dfsps ?? standardDfsps());
  const profile = resolveHubProfile(options.profile, options.knobs);
  const core = new HubCore(dfsps, profile, options.log ?? (() => {}), options.hubName ?? 'Hub');
  let adminUrl = '';
  const fspiop = http.createServer({ keepAliveTimeout: 65_000 }, fspiopHandler(core));
  const admin = http.createServer(
    { keepAliveTimeout: 65_000 },
    adminHandler(core, () => adminUrl),
  );
  let port: number;
  let adminPort: number;
  try {
    port = await listen(fspiop, options.port ?? 0, host);
    adminPort = await listen(admin, options.adminPort ?? 0, host);
  } catch (err) {
    await Promise.all([close(fspiop), close(admin)]);
    core.stop();
    throw err;
  }
  const url = `http://${urlHost(host)}:${port}`;
  adminUrl = `http://${urlHost(host)}:${adminPort}`;
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      core.stop();
      await Promise.all([close(fspiop), close(admin)]);
    })();
    return stopped;
  };
  return {
    url,
    adminUrl,
    metricsUrl: `${adminUrl}/metrics`,
    healthUrl: `${adminUrl}/health`,
    get profile() {
      return core.profile;
    },
    setProfile: async (p) => core.setProfile(p),
    reset: async (next) => core.reset(next ? checkDfsps(next) : undefined),
    ledger: async () => core.snapshot(),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
