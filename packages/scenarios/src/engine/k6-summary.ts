import { createHash } from 'node:crypto';
import type { Histogram } from 'hdr-histogram-js';
import { percentileMs } from './histograms.js';
import type { EngineResult } from './load-engine.js';
import type { Threshold, ThresholdResult } from './thresholds.js';
import { evaluateThresholds } from './thresholds.js';

type Metric = Record<string, unknown>;

const r6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** A k6 Trend in its --summary-export form (ms). */
function trend(h: Histogram): Metric {
  if (h.totalCount === 0) return { avg: 0, min: 0, med: 0, max: 0, 'p(90)': 0, 'p(95)': 0, 'p(99)': 0 };
  return {
    avg: r6(h.mean / 1000),
    min: r6(h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue / 1000),
    med: r6(percentileMs(h, 50)),
    max: r6(h.maxValue / 1000),
    'p(90)': r6(percentileMs(h, 90)),
    'p(95)': r6(percentileMs(h, 95)),
    'p(99)': r6(percentileMs(h, 99)),
  };
}

function counter(count: number, seconds: number): Metric {
  return { count, rate: seconds > 0 ? count / seconds : 0 };
}

/** A k6 Rate: `passes` are the true samples, `value` their share. */
function rate(passes: number, fails: number): Metric {
  const n = passes + fails;
  return { passes, fails, value: n > 0 ? passes / n : 0 };
}

/**
 * The run as k6's `--summary-export` JSON: the same metric names and flat values (http_reqs,
 * iterations, dropped_iterations, http_req_failed, trends with avg/min/med/max/p(90)/p(95)/p(99)),
 * plus the transfer metrics, with each metric's thresholds (true = crossed, as k6 writes them).
 */
export function k6Summary(
  r: EngineResult,
  corridorNames: readonly string[],
  thresholds: readonly Threshold[],
): { summary: { root_group: unknown; metrics: Record<string, Metric> }; results: ThresholdResult[] } {
  const t = r.total;
  const secs = r.durationS;
  const failed = t.all.failedTotal;
  const metrics: Record<string, Metric> = {
    iterations: counter(t.all.started, secs),
    dropped_iterations: counter(t.all.dropped, secs),
    http_reqs: counter(r.http.requests, secs),
    http_req_failed: rate(r.http.failed, r.http.requests - r.http.failed),
    http_req_duration: trend(t.ack),
    iteration_duration: trend(t.service),
    transfer_duration: trend(t.e2e),
    transfer_service_duration: trend(t.service),
    transfer_dispatch_delay: trend(t.dispatch),
    transfer_success: rate(t.all.succeeded, failed),
    transfer_errors: rate(failed, t.all.succeeded),
    vus: { value: r.totals.unfinished, min: 0, max: r.peakInFlight },
    vus_max: { value: r.maxInFlight, min: r.maxInFlight, max: r.maxInFlight },
    callbacks_invalid: counter(
      r.anomalies.badJson + r.anomalies.badFulfilment + r.anomalies.unexpected,
      secs,
    ),
    callbacks_unknown_transfer: counter(r.anomalies.unknownTransfer, secs),
    callbacks_late: counter(r.anomalies.late, secs),
  };
  corridorNames.forEach((name, i) => {
    const c = t.corridors[i];
    metrics[`transfer_duration{corridor:${name}}`] = trend(t.corridorE2e[i] as Histogram);
    if (c) metrics[`transfer_success{corridor:${name}}`] = rate(c.succeeded, c.failedTotal);
  });
  for (const [stage, h] of r.stageE2e) {
    const name = r.stages.find((w) => w.index === stage)?.name ?? `stage ${stage}`;
    metrics[`transfer_duration{stage:${name}}`] = trend(h);
  }
  const results = evaluateThresholds(thresholds, metrics);
  for (const res of results) {
    const m = metrics[res.metric] ?? {};
    metrics[res.metric] = m;
    const th = (m.thresholds ?? {}) as Record<string, boolean>;
    m.thresholds = th;
    th[res.expression] = !res.ok;
  }
  const checks = {
    'transfer committed': {
      name: 'transfer committed',
      path: '::transfer committed',
      id: createHash('md5').update('::transfer committed').digest('hex'),
      passes: t.all.succeeded,
      fails: failed,
    },
  };
  const root_group = { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks };
  metrics.checks = rate(t.all.succeeded, failed);
  return { summary: { root_group, metrics }, results };
}
