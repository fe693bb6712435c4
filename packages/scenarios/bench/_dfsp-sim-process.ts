// The DFSP simulator alone in this process, for dfsp-sim.bench.ts to measure its CPU: prints its
// URL as one JSON line, closes on SIGTERM. Argument: the hub's URL.
import { startDfspSim } from '@mlperf/scenarios';

const sim = await startDfspSim({ hubUrl: process.argv[2] as string });
console.log(JSON.stringify({ url: sim.url }));
process.on('SIGTERM', () => {
  void sim.close().then(() => process.exit(0));
});
