import { MlperfError } from '../errors.js';

const UNIT_SECONDS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  y: 31_536_000,
};

const DURATION_RE = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/;

/** Seconds in a PromQL duration (`90s`, `1h30m`, `500ms`), or undefined when it is not one. */
export function parsePromDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  if (!DURATION_RE.test(t)) return undefined;
  let total = 0;
  for (const match of t.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    total += Number(match[1]) * (UNIT_SECONDS[match[2] ?? 's'] ?? 0);
  }
  return total;
}

/** A duration given as a string or seconds, as seconds; throws a clear error naming `what`. */
export function toSeconds(value: string | number, what: string): number {
  const seconds = typeof value === 'number' ? value : parsePromDuration(value);
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) {
    throw new MlperfError(
      'PROMQL_BAD_DURATION',
      `${what} is not a positive duration: ${JSON.stringify(value)}`,
      {
        hint: 'use a number of seconds or a duration like 15s, 1m, 1h30m',
      },
    );
  }
  return seconds;
}

/** Seconds as the shortest PromQL duration that says the same (`90` -> `1m30s`). */
export function formatPromDuration(seconds: number): string {
  if (seconds > 0 && seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  let rest = Math.round(seconds);
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}
