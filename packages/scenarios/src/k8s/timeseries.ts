import type { TestDefinition, TimeseriesRecord } from '@mlperf/core';
import { rateAt, timeStages } from '@mlperf/core';
import type { SimSecond } from '../dfsp-sim/seconds.js';

/**
 * The run's seconds as the DFSP simulator saw them end (k6's own points stay in the runner pods):
 * one record per second of the run window, transfers counted when their outcome arrived.
 * `started` and `offered` are those ends (the simulator does not see sends); `dropped` is unknown (0).
 */
export function simSecondsToTimeseries(
  seconds: SimSecond[],
  startMs: number,
  endMs: number,
  test: TestDefinition,
): TimeseriesRecord[] {
  const timed = timeStages(test.stages);
  // Whole wall-clock seconds, as the simulator counts them; second 0 holds the run start.
  const origin = Math.floor(startMs / 1000) * 1000;
  const by = new Map(seconds.map((s) => [Math.floor((s.t - origin) / 1000), s]));
  const out: TimeseriesRecord[] = [];
  const last = Math.ceil((endMs - origin) / 1000);
  for (let s = 0; s < last; s++) {
    const sec = by.get(s);
    const planned = rateAt(timed, s * 1000);
    const failed = sec?.failed ?? {};
    const ended = (sec?.succeeded ?? 0) + Object.values(failed).reduce((a, b) => a + b, 0);
    const corridors: TimeseriesRecord['corridors'] = {};
    for (const [name, c] of Object.entries(sec?.corridors ?? {})) {
      const n = c.succeeded + Object.values(c.failed).reduce((a, b) => a + b, 0);
      corridors[name] = {
        offered: n,
        started: n,
        dropped: 0,
        succeeded: c.succeeded,
        failed: c.failed,
        ...(c.e2e ? { e2e: c.e2e } : {}),
      };
    }
    out.push({
      t: origin + s * 1000,
      s,
      stage: planned?.stage ?? timed.length - 1,
      offeredRate: planned?.rate ?? 0,
      offered: ended,
      started: ended,
      dropped: 0,
      succeeded: sec?.succeeded ?? 0,
      failed,
      inFlight: 0,
      latency: sec?.e2e ? { e2e: sec.e2e } : {},
      corridors,
    });
  }
  return out;
}
