/**
 * Schemas of the files in a results directory, checked record by record as they are read.
 * Counts are finite and never negative; blocks newer writers add (`host`, `k6`, `engine.workers`)
 * are accepted; fields old writers left out get their empty value.
 */
import * as v from 'valibot';

const count = v.pipe(v.number(), v.finite(), v.minValue(0));
const finite = v.pipe(v.number(), v.finite());
const fraction = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1));

const latency = v.looseObject({
  count,
  min: count,
  mean: count,
  p50: count,
  p90: count,
  p95: count,
  p99: count,
  max: count,
  hdr: v.optional(v.string()),
});

const failed = v.optional(v.record(v.string(), count), {});

const corridorSecond = v.looseObject({
  offered: v.optional(count, 0),
  started: v.optional(count, 0),
  dropped: v.optional(count, 0),
  succeeded: v.optional(count, 0),
  failed,
  e2e: v.optional(latency),
});

export const TimeseriesRecordSchema = v.looseObject({
  t: finite,
  s: v.pipe(v.number(), v.integer(), v.minValue(0)),
  stage: v.optional(v.pipe(v.number(), v.integer()), 0),
  offeredRate: v.optional(count, 0),
  offered: count,
  started: count,
  dropped: v.optional(count, 0),
  succeeded: count,
  failed,
  inFlight: v.optional(count, 0),
  latency: v.optional(
    v.looseObject({
      e2e: v.optional(latency),
      service: v.optional(latency),
      ack: v.optional(latency),
      dispatch: v.optional(latency),
    }),
    {},
  ),
  corridors: v.optional(v.record(v.string(), corridorSecond), {}),
  engine: v.optional(
    v.looseObject({
      cpu: count,
      rssBytes: count,
      eventLoopLagP99Ms: count,
      schedulingLagP99Ms: count,
      workers: v.optional(count),
    }),
  ),
  host: v.optional(v.looseObject({ cores: count, busy: fraction, iowait: fraction, steal: fraction })),
  k6: v.optional(v.looseObject({ droppedIterations: count, vus: count, vusMax: count })),
});

const stageWindow = v.looseObject({
  index: v.number(),
  name: v.string(),
  startS: finite,
  endS: v.optional(finite),
  fromRate: finite,
  toRate: finite,
});

/** run.json beyond `kind` and `schemaVersion`, which the reader checks first. */
export const RunManifestSchema = v.looseObject({
  runId: v.string(),
  testId: v.string(),
  testName: v.string(),
  status: v.picklist(['running', 'completed', 'aborted', 'failed']),
  statusReason: v.optional(v.string()),
  startedAt: v.string(),
  endedAt: v.optional(v.string()),
  definition: v.looseObject({
    test: v.looseObject({ id: v.string(), stages: v.array(v.looseObject({ kind: v.string() })) }),
    dfsps: v.optional(v.array(v.unknown()), []),
    corridors: v.optional(v.array(v.unknown()), []),
  }),
  target: v.looseObject({ kind: v.string(), url: v.string() }),
  executor: v.looseObject({ kind: v.string() }),
  stages: v.optional(v.array(stageWindow), []),
  attribution: v.optional(v.string()),
});

export const MetricsExportSchema = v.looseObject({
  name: v.string(),
  query: v.optional(v.string(), ''),
  result: v.array(
    v.looseObject({
      metric: v.record(v.string(), v.string()),
      values: v.array(v.tuple([finite, v.string()])),
    }),
  ),
});

/** `field: what is wrong` for the first few issues, e.g. `succeeded: Invalid value: Expected >=0 but received -3`. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], max = 2): string {
  const parts = issues.slice(0, max).map((i) => {
    const path = i.path?.map((p) => String(p.key)).join('.') ?? '';
    return path ? `${path}: ${i.message}` : i.message;
  });
  return parts.join('; ') + (issues.length > max ? ` (+${issues.length - max} more)` : '');
}

export { v };
