import type { TimeseriesRecord } from '@mlperf/core';
import { parseDuration } from '@mlperf/core';
import { importK6Ndjson } from '@mlperf/core/k6';
import type { TestContext } from './context.js';
import { K6_METRICS } from './options.js';
import { simSeconds, waitForOutcomes } from './sim-client.js';
import { onPlan, withSimOutcomes } from './timeline.js';

/** How long after its expiration a transfer's outcome may still arrive (the hub's timeout handler). */
const OUTCOME_GRACE_MS = 5_000;

/**
 * A local k6 run's seconds: k6's points (starts, accepted prepares, VUs, dropped iterations) joined
 * with the DFSP simulator's outcomes, once every accepted transfer has one or has expired.
 */
export async function k6Seconds(
  pointsPath: string,
  ctx: TestContext,
  simUrl: string,
  resolvedBefore: number,
  signal?: AbortSignal,
): Promise<{ records: TimeseriesRecord[]; startMs: number; notes: string[] }> {
  const imp = await importK6Ndjson(pointsPath, { outcomeMetric: K6_METRICS.accepted });
  const notes = imp.damage.map((d) => `k6 output: ${d}`);
  if (imp.records.length === 0) return { records: [], startMs: 0, notes };
  const accepted = imp.records.reduce((a, r) => a + r.succeeded, 0);
  const expirationMs = parseDuration(ctx.transfer.expiration, 'transfer.expiration');
  const deadline = imp.endMs + expirationMs + OUTCOME_GRACE_MS;
  const got = await waitForOutcomes(simUrl, resolvedBefore + accepted, deadline, signal);
  if (got < resolvedBefore + accepted)
    notes.push(
      `${resolvedBefore + accepted - got} accepted transfers had no outcome by their expiration: counted as timeouts`,
    );
  const seconds = await simSeconds(simUrl, imp.startMs - 1000, imp.endMs + expirationMs + OUTCOME_GRACE_MS);
  return { records: withSimOutcomes(onPlan(imp, ctx.test), seconds), startMs: imp.startMs, notes };
}
