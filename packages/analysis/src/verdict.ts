import type { CriterionResult, Finding, FindingKind, TimeseriesRecord, Verdict } from '@mlperf/core';
import { combineVerdicts } from '@mlperf/core';
import { LIMIT_KINDS } from './bottlenecks/fixes.js';
import type { Signals } from './signals.js';

export { LIMIT_KINDS };

/** Which findings explain which criterion, best first (then any cause, then any finding). */
const EXPLAINS: Record<string, FindingKind[]> = {
  'error-rate': ['error-spike', 'error-rate-increase', 'other'],
  cpu: ['cpu-throttling', 'other'],
  memory: ['memory-near-limit', 'memory-leak'],
  'no-memory-leak': ['memory-leak', 'memory-near-limit'],
  'no-service-failures': ['other', 'error-spike'],
};
const SYMPTOMS = new Set<FindingKind>(['tps-plateau', 'error-spike', 'latency-drift', 'error-rate-increase']);
/**
 * What a starved generator or host can explain: the load it could not offer or serve in time,
 * including k6's own thresholds (k6 measures them from inside the saturated runner).
 */
const LOAD_CRITERIA = /^(achieved-rate|success-rate|error-rate|latency-p\d+|transfers|k6-threshold:.*)$/;

function explainer(c: CriterionResult, findings: readonly Finding[]): Finding | undefined {
  for (const kind of EXPLAINS[c.id] ?? []) {
    const f = findings.find((x) => x.kind === kind);
    if (f) return f;
  }
  return findings.find((f) => !SYMPTOMS.has(f.kind)) ?? findings[0];
}

/**
 * Applies the one verdict rule to a test's criteria. The generator or the host being the limit
 * turns a failed load criterion (rate, success, errors, latency) into an inconclusive one: the run
 * says nothing about the hub's capacity. A leak, a service failure or the hub's own CPU use are
 * the hub's whatever the host did, so they keep their fail. Every
 * failed or inconclusive criterion gets the finding that explains it, or a plain statement that
 * no cause was found and which signals were missing.
 */
export function judge(
  criteria: readonly CriterionResult[],
  findings: readonly Finding[],
  missingSignals: readonly string[],
): { criteria: CriterionResult[]; verdict: Verdict } {
  // a hub cause the limit does not explain (kept above info) means the hub failed on its own
  const hubCause = findings.find(
    (f) => !LIMIT_KINDS.has(f.kind) && !SYMPTOMS.has(f.kind) && f.severity !== 'info',
  );
  const limit = hubCause ? undefined : findings.find((f) => LIMIT_KINDS.has(f.kind));
  const missing = missingSignals.length ? ` Missing signals: ${missingSignals.join('; ')}.` : '';
  const out = criteria.map((c): CriterionResult => {
    if (c.status === 'pass') return c;
    if (limit && (c.status === 'inconclusive' || LOAD_CRITERIA.test(c.id))) {
      return {
        ...c,
        status: 'inconclusive',
        explanation: `${c.status === 'fail' ? 'Measured a fail, but inconclusive about the hub' : 'Inconclusive'}: ${limit.title}. ${limit.summary}`,
        finding: limit.id,
      };
    }
    if (c.status === 'inconclusive') return { ...c, explanation: `Not judged: ${c.detail}.${missing}` };
    const f = explainer(c, findings);
    if (f) return { ...c, explanation: `Most likely cause: ${f.title}. ${f.summary}`, finding: f.id };
    return {
      ...c,
      explanation: `No cause found: no recorded signal crossed its threshold.${missing || ' Every signal the analyzer reads was present.'}`,
    };
  });
  return { criteria: out, verdict: combineVerdicts(out.map((c) => c.status)) };
}

/** The signals a cause could have come from that this run does not have. */
export function missingSignals(signals: Signals, records: readonly TimeseriesRecord[]): string[] {
  const has = (xs: { points: unknown[] }[]) => xs.some((s) => s.points.length > 0);
  const out: string[] = [];
  if (records.length && !records.some((r) => r.engine || r.k6?.cpu !== undefined))
    out.push('load generator CPU and lag (timeseries engine)');
  if (records.length && !records.some((r) => r.host)) out.push('host CPU (timeseries host)');
  if (!has(signals.dbConnections) && !has(signals.dbPoolWait) && !has(signals.dbPoolPending))
    out.push('database pool (db_connections_ratio, db_pool_wait)');
  if (!has(signals.kafkaLag) && !has(signals.kafkaLagGrowth)) out.push('Kafka consumer lag');
  if (!has(signals.cpuUsage) && !has(signals.cpuThrottling) && !has(signals.processCpu))
    out.push('service CPU (cpu_usage_ratio, cpu_throttling_ratio, process_cpu_cores)');
  if (!has(signals.memoryRatio) && !has(signals.memoryBytes)) out.push('service memory');
  if (!has(signals.eventLoopLag)) out.push('event-loop lag');
  return out;
}
