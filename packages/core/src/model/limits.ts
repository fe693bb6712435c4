/**
 * What a real run can reach, with room to spare: beyond these a suite is a typo (`rate: 1e308`),
 * and running it would plan more transfers than any hub could take or any disk could record.
 */
export const LIMITS = {
  /** Transfers per second of one test: 100x the 1000 TPS goal. */
  rate: 100_000,
  /** One stage, warm-up, cool-down or the pause between tests: a week. */
  durationMs: 7 * 24 * 3_600_000,
  /** Planned transfers of one test. */
  transfers: 1_000_000_000,
  /** A transfer's expiration. */
  expirationMs: 24 * 3_600_000,
} as const;

export const LIMIT_HINT = {
  transfers: `at most ${LIMITS.transfers.toLocaleString('en-US')} transfers per test: shorten the stages or lower the rates`,
} as const;
