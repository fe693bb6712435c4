import type { AnalysisResult, Finding } from '@mlperf/core';
import { base } from './_base.js';
import { keyMetric, p95Criterion, rateCriterion, successCriterion, win } from './_parts.js';

export function passAnalysis(testId = 'target-1000tps'): AnalysisResult {
  return base(testId, {});
}

export const XSS = '<script>window.__pwned = 1; console.error("xss")</script>';

export function dbPoolFinding(): Finding {
  return {
    id: 'db-pool-1',
    kind: 'db-pool-exhausted',
    title: 'Database connection pool exhausted',
    subject: 'central-ledger',
    severity: 'critical',
    confidence: 0.9,
    rank: 1,
    summary: `threads_connected held at max_connections (150/150) while TPS plateaued at 720; hub said: ${XSS}`,
    evidence: [
      {
        metric: 'mysql_global_status_threads_connected',
        query: 'max(mysql_global_status_threads_connected) / max(mysql_global_variables_max_connections)',
        window: win(60, 170),
        values: [
          { label: 'connections used', value: 1, unit: 'ratio' },
          { label: 'max_connections', value: 150 },
        ],
        labels: { instance: 'mysql-0', pod: '<img src=x onerror=alert(1)>' },
      },
    ],
    fix: {
      action: 'Raise the DB connection pool',
      runbookScript: './scale-db-connections.sh',
      phase: 'Phase 04: Mojaloop configuration',
    },
  };
}

export function failAnalysis(testId = 'target-1000tps'): AnalysisResult {
  return base(testId, {
    verdict: 'fail',
    headline:
      'Failed: TPS plateaued at 720 (72% of 1000) and p95 reached 640 ms; the database pool is exhausted.',
    criteria: [
      rateCriterion('fail', 720, 'critical', 'plateau at 720 TPS from minute 1'),
      successCriterion('fail', 0.97, 'warning', `3% failed, mostly ${XSS}`),
      p95Criterion('fail', 640, 'critical', 'p95 above the limit for the whole steady state'),
    ],
    keyMetrics: [
      keyMetric('tps', 'TPS Achieved', 720, 'tps', 'critical'),
      keyMetric('p95-latency', 'P95 Latency', 640, 'ms', 'critical'),
      keyMetric('error-rate', 'Error Rate', 0.03, 'ratio', 'warning'),
    ],
    findings: [
      dbPoolFinding(),
      {
        id: 'kafka-1',
        kind: 'kafka-lag',
        title: 'Kafka consumer lag increasing',
        subject: 'kafka:topic-transfer-position',
        severity: 'warning',
        confidence: 0.7,
        rank: 2,
        summary: 'consumer group cl_transfer_position lag grew 40/s',
        evidence: [
          {
            metric: 'kafka_consumergroup_lag',
            window: win(60, 170),
            values: [{ label: 'lag growth', value: 40, unit: '/s' }],
          },
        ],
      },
    ],
    errorsByType: { 'fspiop:4001': 3000, 'http:503': 1200, [XSS]: 5 },
    achievedTps: 720,
  });
}

export function abortedAnalysis(testId = 'target-1000tps'): AnalysisResult {
  return base(testId, {
    runStatus: 'aborted',
    verdict: 'inconclusive',
    headline: 'Aborted after 2 minutes: too short for the 30-minute criteria; what ran is shown.',
    criteria: [
      {
        id: 'achieved-rate',
        label: 'Achieved 1000+ TPS for 30 minutes',
        status: 'inconclusive',
        detail: 'the run ended after 2m of 30m',
      },
      p95Criterion('pass', 36, 'target', 'over what ran'),
    ],
    missing: [
      'k6-summary.json: the run did not finish',
      'metrics/: no Prometheus exports (no Prometheus configured)',
    ],
  });
}
