/**
 * One error type for the whole project. Every error carries a stable code (for scripts and tests),
 * a message that names the input and what is wrong, and a hint that says how to fix it.
 * The CLI maps `exitCode` to the process exit status.
 */

/** Exit codes of every mlperf command. */
export const ExitCode = {
  /** Everything ran and every criterion passed. */
  ok: 0,
  /** The run completed but success criteria or thresholds failed. */
  criteriaFailed: 1,
  /** Bad input or usage: an invalid suite file, an unknown flag, an unwritable output directory. */
  badInput: 2,
  /** The target or the infrastructure is unavailable: hub unreachable, no cluster, Prometheus down. */
  unavailable: 3,
  /**
   * Could not judge: missing evidence, nothing to analyse, or the load generator or the host was the
   * limit, so the run says nothing about the hub. Never 0, and distinct from 1 (the hub failed).
   */
  inconclusive: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface MlperfErrorOptions {
  hint?: string;
  exitCode?: ExitCode;
  cause?: unknown;
  /** Extra structured detail (for example every validation problem). */
  details?: unknown;
}

export class MlperfError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  readonly details: unknown;

  constructor(code: string, message: string, options: MlperfErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MlperfError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.badInput;
    this.details = options.details;
  }

  /** `CODE: message` plus the hint on its own line; what the CLI prints. */
  format(): string {
    return this.hint
      ? `${this.code}: ${this.message}\n  hint: ${this.hint}`
      : `${this.code}: ${this.message}`;
  }
}

export function isMlperfError(err: unknown): err is MlperfError {
  return err instanceof MlperfError;
}
