import type { TimeseriesRecord } from '@mlperf/core';
import { describe, expect, it } from 'vitest';
import type { SimSecond } from '../../src/dfsp-sim/seconds.js';
import { totalsOf, withSimOutcomes } from '../../src/k6/timeline.js';

const T0 = 1_700_000_000_000;

/** k6's side of second `s`: `accepted` prepares acknowledged in it, for corridor `c`. */
function k6Second(s: number, accepted: number): TimeseriesRecord {
  return {
    t: T0 + s * 1000,
    s,
    stage: 0,
    offeredRate: 10,
    offered: 10,
    started: 10,
    dropped: 0,
    succeeded: accepted,
    failed: {},
    inFlight: 0,
    latency: {},
    corridors: { c: { offered: 10, started: 10, dropped: 0, succeeded: accepted, failed: {} } },
  };
}

/** The simulator's side of second `s`: outcomes of the transfers that started in it. */
function simSecond(s: number, succeeded: number): SimSecond {
  return { t: T0 + s * 1000, succeeded, failed: {}, corridors: { c: { succeeded, failed: {} } } };
}

describe('k6 seconds joined with the DFSP simulator outcomes', () => {
  it('a prepare sent in one second and acknowledged in the next is one success, not a success and a timeout', () => {
    // 10 started per second; in second 0 three acknowledgements land in second 1
    const records = withSimOutcomes(
      [k6Second(0, 7), k6Second(1, 13), k6Second(2, 10)],
      [simSecond(0, 10), simSecond(1, 10), simSecond(2, 10)],
    );
    const totals = totalsOf(records);
    expect(totals.succeeded).toBe(30);
    expect(totals.failed).toEqual({});
    expect(records.map((r) => r.corridors.c?.failed)).toEqual([{}, {}, {}]);
  });

  it('an accepted prepare whose outcome never came is a timeout in the second it was acknowledged', () => {
    const records = withSimOutcomes([k6Second(0, 10), k6Second(1, 10)], [simSecond(0, 10), simSecond(1, 8)]);
    expect(totalsOf(records)).toMatchObject({ succeeded: 18, failed: { timeout: 2 } });
    expect(records[1]?.failed).toEqual({ timeout: 2 });
    expect(records[1]?.corridors.c?.failed).toEqual({ timeout: 2 });
  });
});
