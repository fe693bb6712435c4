import type { DfspDefinition } from '@mlperf/core';
import { httpJson, joinUrl } from './http.js';
import type { CheckNumber, CheckResult } from './types.js';

type Partial_ = Omit<CheckResult, 'durationMs'>;

/** What one payer DFSP must pay out over the planned suite (a `LiquidityPlan` row of `planSuite`). */
export interface LiquidityNeed {
  dfsp: string;
  needed: number;
  /** True when the need is an upper bound (an open-ended stress ramp). */
  upperBound: boolean;
}

interface Participant {
  name: string;
  isActive?: number | boolean;
}
interface Account {
  ledgerAccountType?: string;
  currency?: string;
  value?: number | string;
  reservedValue?: number | string;
}
interface Limit {
  currency?: string;
  limit?: { type?: string; value?: number | string };
}
interface Endpoint {
  type?: string;
  value?: string;
}

/** The callback endpoints a DFSP needs for transfers. */
const REQUIRED_ENDPOINTS = ['FSPIOP_CALLBACK_URL_TRANSFER_POST', 'FSPIOP_CALLBACK_URL_TRANSFER_PUT'];
const AMOUNT_TOLERANCE = 0.005;

/**
 * Every DFSP of the suite exists (central-ledger admin API) with its transfer endpoints, and
 * liquidity and net debit cap enough, from its current position, for what the planned tests will
 * pay out. A position moved from its defined value (a hub that has run transfers) is a warning.
 * `endpointsAtStart`: the load engine registers its own callback endpoints when a test starts
 * (embedded hub), so missing endpoints are expected, not a failure.
 */
export async function checkTestData(
  adminUrl: string | undefined,
  dfsps: DfspDefinition[],
  needs: LiquidityNeed[],
  options: { endpointsAtStart?: boolean } = {},
): Promise<Partial_> {
  const title = 'Test data provisioned';
  const base = { id: 'test-data' as const, title };
  if (!adminUrl) {
    return {
      ...base,
      status: 'fail',
      reason: 'no admin (central-ledger) URL: DFSPs, positions and limits cannot be read',
      numbers: [],
      hint: 'give --admin-url <central-ledger URL>',
    };
  }
  const list = await httpJson<Participant[]>(joinUrl(adminUrl, '/participants'));
  if (!list.value) {
    return {
      ...base,
      status: 'fail',
      reason: `cannot list participants: ${list.problem}`,
      numbers: [],
      unavailable: true,
      hint: 'check --admin-url and that central-ledger is up',
    };
  }
  const names = new Set(list.value.map((p) => p.name));
  const failures: string[] = [];
  const warnings: string[] = [];
  const numbers: CheckNumber[] = [];
  let provisioned = 0;
  const moved: string[] = [];
  for (const d of dfsps) {
    const failedBefore = failures.length;
    if (!names.has(d.id)) {
      failures.push(`${d.id} does not exist`);
      continue;
    }
    const part = list.value.find((p) => p.name === d.id);
    if (part?.isActive === 0 || part?.isActive === false) failures.push(`${d.id} is inactive`);
    const enc = encodeURIComponent(d.id);
    const [eps, accounts, limits] = await Promise.all([
      httpJson<Endpoint[]>(joinUrl(adminUrl, `/participants/${enc}/endpoints`)),
      httpJson<Account[]>(joinUrl(adminUrl, `/participants/${enc}/accounts`)),
      httpJson<Limit[]>(joinUrl(adminUrl, `/participants/${enc}/limits`)),
    ]);
    const types = new Set((eps.value ?? []).map((e) => e.type));
    const missingEps = REQUIRED_ENDPOINTS.filter((t) => !types.has(t));
    if (missingEps.length > 0 && !options.endpointsAtStart) {
      failures.push(`${d.id} has no ${missingEps.join(', ')} endpoint`);
    }
    if (!accounts.value) {
      failures.push(`${d.id} accounts: ${accounts.problem}`);
      continue;
    }
    const cur = (a: Account) => !a.currency || a.currency === d.currency;
    const positionAcc = accounts.value.find((a) => a.ledgerAccountType === 'POSITION' && cur(a));
    const settlementAcc = accounts.value.find((a) => a.ledgerAccountType === 'SETTLEMENT' && cur(a));
    const ndc = (limits.value ?? []).find(
      (l) => l.limit?.type === 'NET_DEBIT_CAP' && (!l.currency || l.currency === d.currency),
    );
    if (!positionAcc) {
      failures.push(`${d.id} has no ${d.currency} POSITION account`);
      continue;
    }
    const position = Number(positionAcc.value ?? 0);
    // central-ledger books funds-in as a negative settlement balance
    const liquidity = Math.abs(Number(settlementAcc?.value ?? 0));
    const netDebitCap = ndc ? Number(ndc.limit?.value ?? 0) : Number.NaN;
    numbers.push({ label: `${d.id} position`, value: position, unit: d.currency });
    // Transfers since provisioning move positions; on a real hub only settlement brings them back.
    // That is test data in use, not missing: what matters is the room left under the limits (below).
    if (Math.abs(position - d.initialPosition) > AMOUNT_TOLERANCE) moved.push(`${d.id} ${money(position)}`);
    const need = needs.find((n) => n.dfsp === d.id);
    if (need && need.needed > 0) {
      const available = Math.min(liquidity, Number.isNaN(netDebitCap) ? liquidity : netDebitCap) - position;
      numbers.push(
        { label: `${d.id} needed`, value: round(need.needed), unit: d.currency },
        { label: `${d.id} available`, value: round(available), unit: d.currency },
      );
      if (Number.isNaN(netDebitCap)) failures.push(`${d.id} has no NET_DEBIT_CAP limit`);
      if (available + AMOUNT_TOLERANCE < need.needed) {
        const msg = `${d.id} can pay out ${money(available)} (liquidity ${money(liquidity)}, NDC ${money(netDebitCap)}, position ${money(position)}) but the plan needs ${money(need.needed)}`;
        if (need.upperBound) warnings.push(`${msg} at most (open-ended stress ramp)`);
        else failures.push(msg);
      }
    }
    if (failures.length === failedBefore) provisioned++;
  }
  numbers.unshift(
    { label: 'DFSPs provisioned', value: provisioned },
    { label: 'DFSPs defined', value: dfsps.length },
  );
  if (failures.length > 0) {
    return {
      ...base,
      status: 'fail',
      reason: failures.join('; '),
      numbers,
      hint: 'run `mlperf reset` to restore positions, or provision the DFSPs, limits and funds (Phase 05)',
    };
  }
  if (moved.length > 0)
    warnings.push(
      `positions moved by earlier transfers (${moved.join(', ')}; defined ${definedPositions(dfsps)}), within their limits for the plan`,
    );
  if (warnings.length > 0)
    return {
      ...base,
      status: 'warn',
      reason: warnings.join('; '),
      numbers,
      hint: 'positions return to their defined values through settlement (central-settlement) or `mlperf reset` on the embedded hub; the runs are valid while the DFSPs can pay out what the plan needs',
    };
  const note = options.endpointsAtStart
    ? '; callback endpoints are registered by the engine at test start'
    : '';
  return {
    ...base,
    status: 'pass',
    reason: `${dfsps.length} DFSPs with positions as defined and enough liquidity${note}`,
    numbers,
  };
}

function definedPositions(dfsps: DfspDefinition[]): string {
  const values = [...new Set(dfsps.map((d) => d.initialPosition))];
  return values.length === 1 ? money(values[0] as number) : 'per DFSP in the suite';
}

function money(v: number): string {
  if (!Number.isFinite(v)) return 'none';
  const abs = Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${v < 0 ? '-' : ''}$${abs}`;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
