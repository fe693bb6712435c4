import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExitCode, MlperfError } from '@mlperf/core';
import type { HubHandle, HubOptions, HubProfile } from './types.js';

/** Messages between the parent and the hub child (see hub-child.ts). */
export type ChildRequest =
  | { type: 'start'; options: Omit<HubOptions, 'log' | 'isolation'>; withLog: boolean }
  | { type: 'call'; id: number; method: 'setProfile' | 'reset' | 'ledger'; arg: unknown }
  | { type: 'stop' };
export type ChildReply =
  | {
      type: 'ready';
      url: string;
      adminUrl: string;
      metricsUrl: string;
      healthUrl: string;
      profile: HubProfile;
    }
  | { type: 'failed'; code: string; message: string; hint?: string; exitCode: number }
  | {
      type: 'result';
      id: number;
      ok: boolean;
      value: unknown;
      error?: { code: string; message: string; hint?: string };
    }
  | { type: 'log'; line: string };

function childEntry(): { entry: string; execArgv: string[] } {
  const ts = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(ts ? './hub-child.ts' : './hub-child.js', import.meta.url));
  if (!ts) return { entry, execArgv: [] };
  let tsx = 'tsx';
  try {
    tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  } catch {
    // fall back to resolving `tsx` from the working directory
  }
  return { entry, execArgv: ['--conditions=source', '--import', tsx] };
}

function toError(e: { code: string; message: string; hint?: string; exitCode?: number }): MlperfError {
  return new MlperfError(e.code, e.message, {
    hint: e.hint,
    exitCode: (e.exitCode ?? ExitCode.badInput) as ExitCode,
  });
}

/** Runs the hub in a child process (its own event loop) and returns a handle that talks to it over IPC. */
export async function startHubProcess(options: HubOptions): Promise<HubHandle> {
  const { log, isolation: _isolation, ...rest } = options;
  const { entry, execArgv } = childEntry();
  const child: ChildProcess = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values())
        p.reject(new MlperfError('HUB_PROCESS_EXITED', 'the hub process exited'));
      pending.clear();
      resolve({ code, signal });
    }),
  );
  const exit = ended.then(() => undefined);
  const ready = new Promise<Extract<ChildReply, { type: 'ready' }>>((resolve, reject) => {
    child.on('message', (m: ChildReply) => {
      if (m.type === 'ready') resolve(m);
      else if (m.type === 'failed') reject(toError(m));
      else if (m.type === 'log') log?.(m.line);
      else if (m.type === 'result') {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.ok) p?.resolve(m.value);
        else p?.reject(toError(m.error ?? { code: 'HUB_PROCESS_ERROR', message: 'unknown error' }));
      }
    });
    child.once('error', (err) =>
      reject(
        new MlperfError('HUB_PROCESS_FAILED', `cannot start the hub process: ${err.message}`, {
          exitCode: 3,
        }),
      ),
    );
    void exit.then(() =>
      reject(
        new MlperfError('HUB_PROCESS_EXITED', 'the hub process exited before it was ready', {
          hint: `run node ${execArgv.join(' ')} ${entry} to see why`,
          exitCode: ExitCode.unavailable,
        }),
      ),
    );
  });
  child.send({ type: 'start', options: rest, withLog: !!log } satisfies ChildRequest);
  let info: Extract<ChildReply, { type: 'ready' }>;
  try {
    info = await ready;
  } catch (err) {
    if (!exited) child.kill('SIGKILL');
    await exit;
    throw err;
  }
  let profile = info.profile;
  const call = (method: 'setProfile' | 'reset' | 'ledger', arg: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      if (exited)
        return reject(new MlperfError('HUB_PROCESS_EXITED', 'the hub process has exited', { exitCode: 3 }));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ type: 'call', id, method, arg } satisfies ChildRequest);
    });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (!exited) {
        child.send({ type: 'stop' } satisfies ChildRequest);
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exit;
        clearTimeout(timer);
      }
    })();
    return stopped;
  };
  return {
    url: info.url,
    adminUrl: info.adminUrl,
    metricsUrl: info.metricsUrl,
    healthUrl: info.healthUrl,
    get profile() {
      return profile;
    },
    setProfile: async (p) => {
      profile = (await call('setProfile', p)) as HubProfile;
      return profile;
    },
    reset: async (dfsps) => {
      await call('reset', dfsps);
    },
    ledger: async () => (await call('ledger', undefined)) as Awaited<ReturnType<HubHandle['ledger']>>,
    exited: ended,
    ...(child.pid !== undefined ? { pid: child.pid } : {}),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
