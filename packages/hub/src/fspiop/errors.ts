/** FSPIOP error codes the hub emits, with the description and HTTP status ml-api-adapter uses. */
export const FSPIOP_ERRORS = {
  '1000': ['Communication error', 503],
  '2001': ['Internal server error', 500],
  '2003': ['Service currently unavailable', 503],
  '3000': ['Generic client error', 400],
  '3001': ['Unacceptable version requested', 406],
  '3002': ['Unknown URI', 404],
  '3100': ['Generic validation error', 400],
  '3101': ['Malformed syntax', 400],
  '3102': ['Missing mandatory element', 400],
  '3106': ['Modified request', 400],
  '3200': ['Generic ID not found', 404],
  '3201': ['Destination FSP Error', 400],
  '3208': ['Transfer ID not found', 404],
  '3303': ['Transfer expired', 400],
  '4001': ['Payer FSP insufficient liquidity', 400],
  '4200': ['Payer limit error', 400],
  '5105': ['Payee transaction limit reached', 400],
} as const satisfies Record<string, readonly [string, number]>;

export type FspiopErrorCode = keyof typeof FSPIOP_ERRORS;

export interface ErrorInformation {
  errorCode: string;
  errorDescription: string;
}

export class FspiopError extends Error {
  readonly errorCode: string;
  readonly httpStatus: number;
  constructor(code: FspiopErrorCode, detail?: string) {
    const [description, status] = FSPIOP_ERRORS[code];
    super(detail ? `${description} - ${detail}` : description);
    this.errorCode = code;
    this.httpStatus = status;
  }
  toInformation(): ErrorInformation {
    return { errorCode: this.errorCode, errorDescription: this.message };
  }
}

export function errorInformation(code: string, detail?: string): ErrorInformation {
  const known = FSPIOP_ERRORS[code as FspiopErrorCode];
  const base = known ? known[0] : 'Error';
  return { errorCode: code, errorDescription: detail ? `${base} - ${detail}` : base };
}
