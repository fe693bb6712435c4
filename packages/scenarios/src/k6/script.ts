import { parseDuration } from '@mlperf/core';
import { newTransferId } from '../fspiop/ids.js';
import { ilpTemplate } from '../fspiop/ilp.js';
import { amountInMinorUnits, canonicalAmount, transactionData } from '../fspiop/messages.js';
import { type TestContext, corridorName } from './context.js';
import { K6_METRICS, type K6SizingOptions, k6Scenarios, k6Thresholds } from './options.js';
import { K6_SCRIPT_BODY } from './script-body.js';
import { K6_ERROR_TYPES } from './totals.js';

/** The lines k6's handleSummary prints around the summary JSON, so it can be found in a pod log. */
export const SUMMARY_BEGIN = '=====MLPERF-K6-SUMMARY-BEGIN=====';
export const SUMMARY_END = '=====MLPERF-K6-SUMMARY-END=====';

/** The default shared secret from which payer (k6) and payee (DFSP simulator) derive a transfer's fulfilment. */
export const DEFAULT_FULFILMENT_SECRET = 'mlperf-dfsp-sim';

export interface K6ScriptOptions extends K6SizingOptions {
  /** ml-api-adapter base URL (FSPIOP); the env `MLPERF_HUB_URL` overrides it at run time. */
  hubUrl: string;
  /** DFSP simulator base URL; the env `MLPERF_DFSP_SIM_URL` overrides it at run time. */
  dfspSimUrl: string;
  /** First line of the script, e.g. the mlperf version. */
  generator?: string;
  /** Extra comment lines for the header (scale advice). */
  notes?: string[];
}

/** What the rendered script knows about each corridor. */
interface RenderedCorridor {
  name: string;
  payer: string;
  payee: string;
  weight: number;
  /** FSPIOP canonical amount (`0.1`, not `0.10`). */
  amount: string;
  currency: string;
  /** The ILP Prepare amount (uint64, 1/10,000 units), as 16 hex digits. */
  ilpAmountHex: string;
  /** The constant end of the corridor's ILP Prepare packets (destination + data), base64. */
  ilpTailBase64: string;
}

function corridorsOf(ctx: TestContext): RenderedCorridor[] {
  const total = ctx.corridors.reduce((s, c) => s + c.weight, 0) || 1;
  const amount = canonicalAmount(ctx.transfer.amount);
  return ctx.corridors.map((c) => {
    const payer = ctx.dfsps.find((d) => d.id === c.payer);
    const currency = ctx.transfer.currency ?? payer?.currency ?? 'USD';
    const minor = amountInMinorUnits(amount);
    const data = transactionData(c.payer, c.payee, amount, currency, newTransferId('uuid'));
    const ilp = ilpTemplate(`g.${c.payee}.msisdn.27710000002`, minor, data);
    return {
      name: corridorName(c),
      payer: c.payer,
      payee: c.payee,
      weight: c.weight / total,
      amount,
      currency,
      ilpAmountHex: minor.toString(16).padStart(16, '0'),
      ilpTailBase64: ilp.tail.toString('base64'),
    };
  });
}

const json = (v: unknown) => JSON.stringify(v, null, 2);

/**
 * Renders a test as a self-contained k6 script: arrival-rate scenarios per stage, the corridor mix,
 * FSPIOP POST /transfers to ml-api-adapter, the outcome awaited through the DFSP simulator,
 * thresholds, tags test/stage/corridor, and the summary JSON between markers in the log.
 */
export function renderK6Script(ctx: TestContext, options: K6ScriptOptions): string {
  const { test } = ctx;
  const config = {
    testId: test.id,
    hubUrl: options.hubUrl,
    dfspSimUrl: options.dfspSimUrl,
    expirationMs: parseDuration(ctx.transfer.expiration, 'transfer.expiration'),
    corridors: corridorsOf(ctx),
    metrics: K6_METRICS,
    summaryBegin: SUMMARY_BEGIN,
    summaryEnd: SUMMARY_END,
    defaultSecret: DEFAULT_FULFILMENT_SECRET,
  };
  const thresholds = k6Thresholds(test, options);
  // Always-true thresholds on submetrics make k6 report each corridor and error type in its summary.
  for (const c of config.corridors) {
    thresholds[`${K6_METRICS.ack}{corridor:${c.name}}`] ??= ['max>=0'];
    thresholds[`${K6_METRICS.accepted}{corridor:${c.name}}`] ??= ['rate>=0'];
  }
  for (const t of K6_ERROR_TYPES) thresholds[`${K6_METRICS.accepted}{error_type:${t}}`] ??= ['rate>=0'];
  const k6Options = {
    scenarios: k6Scenarios(test, options),
    thresholds,
    tags: { test: test.id },
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
    setupTimeout: '120s',
  };
  const header = [
    `// ${test.name} (${test.id}): rendered by ${options.generator ?? 'mlperf'}. Re-render instead of editing.`,
    ...(test.description ? [`// ${test.description}`] : []),
    ...(options.notes ?? []).map((n) => `// ${n}`),
    '// Env: MLPERF_HUB_URL, MLPERF_DFSP_SIM_URL, MLPERF_FULFILMENT_SECRET, MLPERF_HUB_AUTHORIZATION (never logged).',
  ];
  return [
    ...header,
    "import http from 'k6/http';",
    "import crypto from 'k6/crypto';",
    "import encoding from 'k6/encoding';",
    "import { sleep } from 'k6';",
    "import { Rate, Trend } from 'k6/metrics';",
    '',
    `const CONFIG = ${json(config)};`,
    '',
    "/** @type {import('k6/options').Options} */",
    `export const options = ${json(k6Options)};`,
    '',
    K6_SCRIPT_BODY,
  ].join('\n');
}
