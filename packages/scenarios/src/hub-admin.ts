import { randomUUID } from 'node:crypto';
import { type DfspDefinition, ExitCode, MlperfError } from '@mlperf/core';

/** The three transfer callback endpoint types of central-ledger. */
const TRANSFER_ENDPOINT_TYPES = {
  FSPIOP_CALLBACK_URL_TRANSFER_POST: '/transfers',
  FSPIOP_CALLBACK_URL_TRANSFER_PUT: '/transfers/{{transferId}}',
  FSPIOP_CALLBACK_URL_TRANSFER_ERROR: '/transfers/{{transferId}}/error',
} as const;

/** One DFSP's money as central-ledger holds it (major units). */
export interface DfspPosition {
  dfsp: string;
  currency: string;
  /** Settlement liquidity (minus the SETTLEMENT account value). */
  liquidity: number;
  /** Net position (POSITION account value, reservations included). */
  position: number;
  reserved: number;
  netDebitCap: number | undefined;
  /** What the DFSP can still send: liquidity minus position (the Phase-07 plan's "DFSP Positions"). */
  available: number;
}

interface Account {
  id: number;
  ledgerAccountType: string;
  currency: string;
  value: number | string;
  reservedValue?: number | string;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/**
 * The central-ledger admin API as the engine uses it: callback endpoint registration, DFSP
 * positions and funds, and a reset. Works against the embedded hub and a real central-ledger.
 */
export class HubAdmin {
  private readonly base: string;

  constructor(adminUrl: string) {
    this.base = adminUrl.replace(/\/$/, '');
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const url = `${this.base}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: JSON_HEADERS,
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new MlperfError(
        'ADMIN_UNREACHABLE',
        `central-ledger admin API ${this.base}: ${method} ${path} failed (${(err as Error).cause ?? (err as Error).message})`,
        {
          hint: 'check --admin-url (the central-ledger admin API, e.g. http://central-ledger:3001) and that it is reachable from here',
          exitCode: ExitCode.unavailable,
          cause: err,
        },
      );
    }
    const text = await res.text();
    if (!res.ok) {
      throw new MlperfError(
        'ADMIN_REJECTED',
        `central-ledger admin API: ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`,
        {
          hint: 'check that the DFSPs of the suite exist on the hub (participant names) and that the admin API accepts requests from here',
          exitCode: ExitCode.unavailable,
          details: { status: res.status },
        },
      );
    }
    return text ? JSON.parse(text) : undefined;
  }

  /**
   * Points every DFSP's transfer callbacks at `callbackBase/<dfsp>/transfers...`. Returns the
   * endpoints this replaced (`<dfsp> <type>: <old url>`): ml-api-adapter may keep calling those
   * until its endpoint cache expires.
   */
  async registerCallbacks(
    dfsps: readonly string[],
    callbackBase: (dfsp: string) => string,
  ): Promise<{ replaced: string[] }> {
    const replaced: string[] = [];
    for (const dfsp of dfsps) {
      const name = encodeURIComponent(dfsp);
      const before = await this.endpoints(dfsp);
      for (const [type, suffix] of Object.entries(TRANSFER_ENDPOINT_TYPES)) {
        const value = `${callbackBase(dfsp)}${suffix}`;
        const old = before.get(type);
        if (old === value) continue;
        if (old !== undefined) replaced.push(`${dfsp} ${type}: ${old}`);
        await this.call('POST', `/participants/${name}/endpoints`, { type, value });
      }
    }
    return { replaced };
  }

  /** A DFSP's registered endpoints by type (empty when the hub lists none). */
  async endpoints(dfsp: string): Promise<Map<string, string>> {
    const list = (await this.call('GET', `/participants/${encodeURIComponent(dfsp)}/endpoints`)) as
      | { type?: string; value?: string }[]
      | undefined;
    const out = new Map<string, string>();
    for (const e of Array.isArray(list) ? list : []) if (e.type && e.value) out.set(e.type, e.value);
    return out;
  }

  async positions(dfsps: readonly DfspDefinition[]): Promise<DfspPosition[]> {
    const out: DfspPosition[] = [];
    for (const d of dfsps) {
      const name = encodeURIComponent(d.id);
      const accounts = (await this.call('GET', `/participants/${name}/accounts`)) as Account[];
      const pick = (type: string) =>
        accounts.find((a) => a.ledgerAccountType === type && a.currency === d.currency);
      const pos = pick('POSITION');
      const settlement = pick('SETTLEMENT');
      let ndc: number | undefined;
      try {
        const limits = (await this.call('GET', `/participants/${name}/limits`)) as {
          currency: string;
          limit: { type: string; value: number };
        }[];
        ndc = limits.find((l) => l.currency === d.currency && l.limit.type === 'NET_DEBIT_CAP')?.limit.value;
      } catch {
        ndc = undefined;
      }
      const liquidity = settlement ? -Number(settlement.value) : 0;
      const position = pos ? Number(pos.value) : 0;
      out.push({
        dfsp: d.id,
        currency: d.currency,
        liquidity: liquidity === 0 ? 0 : liquidity,
        position,
        reserved: pos?.reservedValue === undefined ? 0 : Number(pos.reservedValue),
        netDebitCap: ndc,
        available: liquidity - position,
      });
    }
    return out;
  }

  /**
   * Back to the suite's opening state. The embedded hub resets in one call (`POST /admin/reset`);
   * on a real central-ledger the net debit caps are set and the settlement funds moved in or out to
   * the planned liquidity. Positions of a real hub only return to zero through settlement: any
   * that are not zero are returned as warnings.
   */
  async reset(
    dfsps: readonly DfspDefinition[],
  ): Promise<{ mode: 'embedded' | 'central-ledger'; warnings: string[] }> {
    try {
      await this.call('POST', '/admin/reset', { dfsps });
      return { mode: 'embedded', warnings: [] };
    } catch (err) {
      if (!(err instanceof MlperfError) || err.code !== 'ADMIN_REJECTED') throw err;
    }
    const warnings: string[] = [];
    for (const d of dfsps) {
      const name = encodeURIComponent(d.id);
      await this.call('PUT', `/participants/${name}/limits`, {
        currency: d.currency,
        limit: { type: 'NET_DEBIT_CAP', value: d.netDebitCap, alarmPercentage: 10 },
      });
      const accounts = (await this.call('GET', `/participants/${name}/accounts`)) as Account[];
      const settlement = accounts.find(
        (a) => a.ledgerAccountType === 'SETTLEMENT' && a.currency === d.currency,
      );
      if (!settlement) {
        warnings.push(`${d.id}: no ${d.currency} settlement account; liquidity not changed`);
        continue;
      }
      const delta = Math.round((d.liquidity + Number(settlement.value)) * 10_000) / 10_000;
      const amount = { amount: String(Math.abs(delta)), currency: d.currency };
      const transferId = randomUUID();
      const reason = 'mlperf reset-test-data';
      if (delta > 0) {
        await this.call('POST', `/participants/${name}/accounts/${settlement.id}`, {
          transferId,
          externalReference: reason,
          action: 'recordFundsIn',
          reason,
          amount,
        });
      } else if (delta < 0) {
        await this.call('POST', `/participants/${name}/accounts/${settlement.id}`, {
          transferId,
          externalReference: reason,
          action: 'recordFundsOutPrepareReserve',
          reason,
          amount,
        });
        await this.call('PUT', `/participants/${name}/accounts/${settlement.id}/transfers/${transferId}`, {
          action: 'recordFundsOutCommit',
          reason,
        });
      }
      const pos = accounts.find((a) => a.ledgerAccountType === 'POSITION' && a.currency === d.currency);
      if (pos && Number(pos.value) !== d.initialPosition) {
        warnings.push(
          `${d.id}: position is ${pos.value} ${d.currency}, not ${d.initialPosition}: close a settlement window to bring it back`,
        );
      }
    }
    return { mode: 'central-ledger', warnings };
  }
}

/** `$1,000,000.00` for USD, `1,000,000.00 EUR` otherwise (the Phase-07 plan's DFSP Positions format). */
export function formatMoney(amount: number, currency: string): string {
  const s = Math.abs(amount).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const sign = amount < 0 ? '-' : '';
  return currency === 'USD' ? `${sign}$${s}` : `${sign}${s} ${currency}`;
}
