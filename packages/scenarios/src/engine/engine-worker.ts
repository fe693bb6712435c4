// The entry of one engine worker thread: a LoadEngine over its share of the corridors, handing
// every settled second to the coordinator (engine-workers.ts), which merges and writes them.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { LoadEngine } from './load-engine.js';
import { periodToWire } from './period-wire.js';
import type { SecondSink } from './settled-seconds.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker-messages.js';

const port = parentPort as MessagePort;
const init = workerData as WorkerInit;
const post = (m: FromWorker) => port.postMessage(m);

let recoveryStage: number | undefined;
const sink: SecondSink = {
  take(slot, sample) {
    post({ type: 'second', period: periodToWire(slot.stats), sample });
  },
  get recoveryStage() {
    return recoveryStage;
  },
  set recoveryStage(stage: number | undefined) {
    recoveryStage = stage;
    if (stage !== undefined) post({ type: 'recovery', stage });
  },
};

let nextMetrics = 0;
const metricsWaiting = new Map<number, (m: { contentType: string; text: string }) => void>();
const engine = new LoadEngine(
  { ...init.options, log: (line) => post({ type: 'log', line }), onSecond: () => {} },
  {
    sink,
    metricsText: () =>
      new Promise((resolve) => {
        const id = nextMetrics++;
        metricsWaiting.set(id, resolve);
        post({ type: 'metrics?', id });
      }),
    live: (live, s, rate) =>
      post({ type: 'live', s, rate, period: periodToWire(live), stopRuleActive: engine.stopRuleActive }),
  },
);

port.on('message', (m: ToWorker) => {
  if (m.type === 'start') {
    engine.runShare(undefined, { atMs: m.atMs, wallMs: m.wallMs }).then(
      (end) => post({ type: 'end', end }),
      (err: Error) => post({ type: 'failed', message: err.message }),
    );
  } else if (m.type === 'abort') engine.abort(m.reason);
  else if (m.type === 'signal') engine.apply(m.signal, m.atMs);
  else if (m.type === 'metrics') {
    metricsWaiting.get(m.id)?.({ contentType: m.contentType, text: m.text });
    metricsWaiting.delete(m.id);
  } else if (m.type === 'close') {
    void engine.close().then(() => {
      post({ type: 'closed' });
      port.close();
    });
  }
});

engine.listen().then(
  (url) => post({ type: 'listening', url }),
  (err: Error) => post({ type: 'failed', message: err.message }),
);
