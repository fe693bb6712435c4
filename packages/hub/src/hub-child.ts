// The hub's child process: started by startHub({ isolation: 'process' }), driven over IPC.
import { isMlperfError, errorMessage } from '@mlperf/core';
import { startHub } from './hub.js';
import type { ChildReply, ChildRequest } from './isolation.js';
import type { HubHandle } from './types.js';

const reply = (m: ChildReply) => process.send?.(m);
let hub: HubHandle | undefined;

function errorOf(err: unknown) {
  return isMlperfError(err)
    ? { code: err.code, message: err.message, hint: err.hint, exitCode: err.exitCode }
    : { code: 'HUB_INTERNAL', message: errorMessage(err), exitCode: 2 };
}

process.on('disconnect', () => {
  void (hub?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});

process.on('message', async (m: ChildRequest) => {
  if (m.type === 'start') {
    try {
      const log = m.withLog ? (line: string) => reply({ type: 'log', line }) : undefined;
      hub = await startHub({ ...m.options, isolation: 'in-process', log });
      const { url, adminUrl, metricsUrl, healthUrl, profile } = hub;
      reply({ type: 'ready', url, adminUrl, metricsUrl, healthUrl, profile });
    } catch (err) {
      reply({ type: 'failed', ...errorOf(err) });
      process.disconnect?.();
      process.exitCode = 1;
    }
  } else if (m.type === 'call' && hub) {
    try {
      let value: unknown;
      if (m.method === 'setProfile')
        value = await hub.setProfile(m.arg as Parameters<HubHandle['setProfile']>[0]);
      else if (m.method === 'reset') value = await hub.reset(m.arg as Parameters<HubHandle['reset']>[0]);
      else value = await hub.ledger();
      reply({ type: 'result', id: m.id, ok: true, value });
    } catch (err) {
      reply({ type: 'result', id: m.id, ok: false, value: undefined, error: errorOf(err) });
    }
  } else if (m.type === 'stop') {
    await hub?.stop();
    process.exit(0);
  }
});
