import { MlperfError } from '../errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;

/**
 * Parses a strict duration string: one or more `<number><unit>` parts with units h, m, s, ms in
 * decreasing order and no spaces (`500ms`, `30s`, `5m`, `2h`, `1h30m`). Returns milliseconds.
 * `path` names the input in the error (`tests[1].stages[0].duration`).
 */
export function parseDuration(input: unknown, path = 'duration'): number {
  const ms = tryParseDuration(input);
  if (ms === undefined) {
    throw new MlperfError('DURATION_INVALID', `${path}: ${JSON.stringify(input)} is not a duration`, {
      hint: 'write a number and a unit without spaces: 500ms, 30s, 5m, 2h or 1h30m',
    });
  }
  return ms;
}

/** Like parseDuration but returns undefined instead of throwing. */
export function tryParseDuration(input: unknown): number | undefined {
  if (typeof input !== 'string' || input.length === 0) return undefined;
  PART.lastIndex = 0;
  let total = 0;
  let lastRank = Number.POSITIVE_INFINITY;
  const ranks: Record<string, number> = { h: 3, m: 2, s: 1, ms: 0 };
  while (PART.lastIndex < input.length) {
    const m = PART.exec(input);
    if (!m) return undefined;
    const unit = m[2] as keyof typeof UNIT_MS;
    const rank = ranks[unit] as number;
    if (rank >= lastRank) return undefined;
    lastRank = rank;
    total += Number(m[1]) * UNIT_MS[unit];
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** Formats milliseconds as the shortest strict duration string (`90000` -> `1m30s`). */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of [
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
    ['s', UNIT_MS.s],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      parts.push(`${n}${unit}`);
      rest -= n * size;
    }
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join('');
}
