import { MlperfError } from '@mlperf/core';
import { type DfspPosition, formatMoney } from '@mlperf/scenarios';
import type { ArgsDef } from 'citty';

/** Flags of the commands that talk to central-ledger's admin API (`reset`, `positions`). */
export const adminArgs = {
  'admin-url': {
    type: 'string',
    description:
      "central-ledger admin API (a real hub, or the embedded hub's admin URL); env MLPERF_ADMIN_URL",
    valueHint: 'url',
  },
  suite: {
    type: 'string',
    description: 'Suite file whose DFSPs to use (default: the standard 8 DFSPs)',
    valueHint: 'file',
  },
  json: { type: 'boolean', description: 'Print the positions as JSON' },
} satisfies ArgsDef;

export function adminUrlFrom(flag: string | undefined): string {
  const url = flag ?? process.env.MLPERF_ADMIN_URL;
  if (!url) {
    throw new MlperfError('USAGE', '--admin-url is required: the central-ledger admin API to talk to', {
      hint: 'e.g. --admin-url http://central-ledger:3001 (or set MLPERF_ADMIN_URL)',
    });
  }
  if (!/^https?:\/\//.test(url)) {
    throw new MlperfError('USAGE', `--admin-url: "${url}" is not an http(s) URL`, {
      hint: 'e.g. --admin-url http://central-ledger:3001',
    });
  }
  return url;
}

/** The Phase-07 plan's check-dfsp-positions output: `perffsp-1: $1,000,000.00`. */
export function positionLines(rows: readonly DfspPosition[]): string[] {
  return [
    'DFSP Positions',
    '==============',
    ...rows.map((r) => `${r.dfsp}: ${formatMoney(r.available, r.currency)}`),
  ];
}
