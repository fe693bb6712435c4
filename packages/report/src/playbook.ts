import type { Finding, FindingKind } from '@mlperf/core';

const PHASE_INFRA = 'Phase 02: infrastructure scaling';
const PHASE_CONFIG = 'Phase 04: Mojaloop configuration';
const PHASE_RETEST = 'Phase 07: re-run the test';

/** One step of the tuning playbook: which bottleneck, which action, which phase to go back to. */
export interface TuningStep {
  step: number;
  findingId: string;
  bottleneck: string;
  subject?: string;
  severity: Finding['severity'];
  why: string;
  action: string;
  runbookScript?: string;
  phase: string;
}

/** The Phase-07 plan's playbook ("TPS plateaus below target", "Sudden spike in errors") as data. */
const DEFAULT_FIX: Record<FindingKind, { action: string; runbookScript?: string; phase: string }> = {
  'db-pool-exhausted': {
    action: 'Raise the central-ledger database connection pool and MySQL max_connections together',
    runbookScript: './scale-db-connections.sh',
    phase: PHASE_CONFIG,
  },
  'kafka-lag': {
    action:
      'Add partitions to the lagging topic and consumers to match (position partitions beyond the number of payer DFSPs do not help)',
    runbookScript: './scale-kafka-partitions.sh',
    phase: PHASE_CONFIG,
  },
  'cpu-throttling': {
    action: 'Raise the CPU limit of the throttled service or add replicas',
    runbookScript: './scale-service-replicas.sh',
    phase: PHASE_INFRA,
  },
  'memory-near-limit': {
    action: 'Raise the memory limit or add nodes before the service is OOM-killed',
    phase: PHASE_INFRA,
  },
  'event-loop-lag': {
    action: 'Add replicas of the service: its Node.js event loop is saturated',
    runbookScript: './scale-service-replicas.sh',
    phase: PHASE_INFRA,
  },
  'generator-saturated': {
    action: 'Give the load generator more CPU (or k6 parallelism) and run again: the hub was not the limit',
    phase: PHASE_RETEST,
  },
  'host-contention': {
    action:
      'Run the test on a host (or node) without other busy processes, or give the hub and the generator dedicated CPUs, and run again: the hub was not the limit',
    phase: PHASE_RETEST,
  },
  'k6-saturated': {
    action:
      'Give k6 the VUs and runner parallelism the finding names and run again: the k6 runner, not the hub, was the limit',
    phase: PHASE_RETEST,
  },
  'cold-start': {
    action: 'Warm the hub up before measuring (a longer warm-up) and run again',
    phase: PHASE_RETEST,
  },
  'tps-plateau': {
    action: 'Find the bottleneck: database pool, Kafka lag, CPU throttling, in that order',
    runbookScript: './find-bottleneck.sh',
    phase: PHASE_INFRA,
  },
  'error-spike': {
    action: 'Reduce load, find the failing service and restart unhealthy pods',
    runbookScript: './analyze-errors.sh --last 5m',
    phase: PHASE_CONFIG,
  },
  'memory-leak': {
    action: 'Find the leaking service (heap snapshot), upgrade or fix it',
    phase: PHASE_CONFIG,
  },
  'latency-drift': {
    action: 'Check database growth, Kafka lag and GC behind the drift',
    phase: PHASE_CONFIG,
  },
  'error-rate-increase': {
    action: 'Find which error type grows and which service returns it',
    phase: PHASE_CONFIG,
  },
  'resource-exhaustion': { action: 'Add capacity before the projected exhaustion', phase: PHASE_INFRA },
  other: { action: 'Inspect the evidence and the service logs', phase: PHASE_CONFIG },
};

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** Tuning steps in the order to do them: critical first, then by the analyzer's rank. */
export function tuningSteps(findings: Finding[]): TuningStep[] {
  return [...findings]
    .filter((f) => f.severity !== 'info')
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.rank - b.rank)
    .map((f, i) => {
      const d = DEFAULT_FIX[f.kind] ?? DEFAULT_FIX.other;
      const step: TuningStep = {
        step: i + 1,
        findingId: f.id,
        bottleneck: f.title,
        severity: f.severity,
        why: f.summary,
        action: f.fix?.action ?? d.action,
        phase: f.fix?.phase ?? d.phase,
      };
      if (f.subject) step.subject = f.subject;
      const script = f.fix?.runbookScript ?? d.runbookScript;
      if (script) step.runbookScript = script;
      return step;
    });
}

/** TUNING-PLAYBOOK.md: the same steps as plain Markdown, for `cat TUNING-PLAYBOOK.md`. */
export function playbookMarkdown(suiteName: string, headline: string, steps: TuningStep[]): string {
  const lines = [
    `# Tuning playbook: ${md(suiteName)}`,
    '',
    md(headline),
    '',
    'Most deployments need 2-3 tuning iterations to reach 1000 TPS. Do one step, go back to the phase it names,',
    'then run the suite again (`mlperf suite`) and compare.',
    '',
  ];
  if (steps.length === 0) {
    lines.push(
      'No bottleneck finding points to a fix; look at the failed criteria in suite-report.html.',
      '',
    );
  }
  for (const s of steps) {
    lines.push(`## ${s.step}. ${md(s.bottleneck)}${s.subject ? ` (${md(s.subject)})` : ''}`, '');
    lines.push(`- Severity: ${s.severity}`, `- Why: ${md(s.why)}`, `- Action: ${md(s.action)}`);
    if (s.runbookScript) lines.push(`- Script: \`${s.runbookScript.replace(/`/g, '')}\``);
    lines.push(`- Go back to: ${s.phase}`, '');
  }
  return lines.join('\n');
}

// biome-ignore lint/complexity/useRegexLiterals: as a literal it would trip the control-character rule
const CONTROL = new RegExp('[\\u0000-\\u001f\\u007f-\\u009f]', 'g');

/** Keeps text from the target from turning into Markdown markup or HTML. */
function md(s: string): string {
  return s
    .replace(CONTROL, ' ')
    .replace(/[\\`*_[\]<>#|&]/g, (c) => `\\${c}`)
    .replace(/\s+/g, ' ');
}
