import { isMlperfError } from '../errors.js';
import { formatDuration, parseDuration } from './duration.js';
import { LIMITS } from './limits.js';

/** One problem (or warning) found in a suite: where, what, and how to fix it. */
export interface SuiteIssue {
  /** Where in the suite, e.g. `tests[2].stages[0].rate`; `(suite)` for the whole input. */
  path: string;
  message: string;
  hint?: string;
}

export const at = (base: string, key: string | number): string =>
  typeof key === 'number' ? `${base}[${key}]` : base === '' ? key : `${base}.${key}`;

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}...` : v}"`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

export interface NumberRule {
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  gt?: number;
  /** Inclusive upper bound. */
  max?: number;
  integer?: boolean;
  hint?: string;
}

/** Collects every problem and warning of one validation pass. */
export class Checker {
  readonly problems: SuiteIssue[] = [];
  readonly warnings: SuiteIssue[] = [];

  error(path: string, message: string, hint?: string): void {
    this.problems.push(hint === undefined ? { path, message } : { path, message, hint });
  }

  warn(path: string, message: string, hint?: string): void {
    this.warnings.push(hint === undefined ? { path, message } : { path, message, hint });
  }

  object(path: string, v: unknown, required = true): Obj | undefined {
    if (v === undefined && !required) return undefined;
    if (isObj(v)) return v;
    this.error(path, v === undefined ? 'is required' : `must be an object, got ${describe(v)}`);
    return undefined;
  }

  array(path: string, v: unknown, opts: { required?: boolean; nonEmpty?: boolean; hint?: string } = {}) {
    if (v === undefined && opts.required === false) return undefined;
    if (!Array.isArray(v)) {
      this.error(path, v === undefined ? 'is required' : `must be a list, got ${describe(v)}`, opts.hint);
      return undefined;
    }
    if (opts.nonEmpty && v.length === 0) this.error(path, 'must not be empty', opts.hint);
    return v as unknown[];
  }

  string(
    path: string,
    v: unknown,
    opts: { required?: boolean; pattern?: RegExp; patternMessage?: string; hint?: string } = {},
  ): string | undefined {
    if (v === undefined && opts.required === false) return undefined;
    if (typeof v !== 'string' || v.trim() === '') {
      const what = v === undefined ? 'is required' : `must be a non-empty string, got ${describe(v)}`;
      this.error(path, what, opts.hint);
      return undefined;
    }
    if (opts.pattern && !opts.pattern.test(v)) {
      this.error(path, opts.patternMessage ?? `${describe(v)} has the wrong format`, opts.hint);
      return undefined;
    }
    return v;
  }

  number(path: string, v: unknown, rule: NumberRule & { required?: boolean } = {}): number | undefined {
    if (v === undefined && rule.required === false) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const what = v === undefined ? 'is required' : `must be a number, got ${describe(v)}`;
      this.error(path, what, rule.hint);
      return undefined;
    }
    const bad = (m: string) => {
      this.error(path, `${m}, got ${v}`, rule.hint);
      return undefined;
    };
    if (rule.integer && !Number.isInteger(v)) return bad('must be a whole number');
    if (rule.gt !== undefined && !(v > rule.gt)) return bad(`must be > ${rule.gt}`);
    if (rule.min !== undefined && v < rule.min) return bad(`must be >= ${rule.min}`);
    if (rule.max !== undefined && v > rule.max) return bad(`must be <= ${rule.max}`);
    return v;
  }

  /** A rate in TPS: a number by `rule`, and no more than a real run reaches (`LIMITS.rate`). */
  rate(path: string, v: unknown, rule: NumberRule & { required?: boolean } = {}): number | undefined {
    const n = this.number(path, v, rule);
    if (n === undefined || n <= LIMITS.rate) return n;
    this.error(
      path,
      `must be at most ${LIMITS.rate.toLocaleString('en-US')} TPS, got ${n}`,
      'no real run reaches more (the goal is 1,000 TPS): check for a typo',
    );
    return undefined;
  }

  /** A fraction 0..1 (`gt0`: excluding 0). Catches percentages written as 99.5 instead of 0.995. */
  fraction(path: string, v: unknown, opts: { required?: boolean; gt0?: boolean } = {}): number | undefined {
    const hint =
      typeof v === 'number' && v > 1 && v <= 100
        ? `fractions are 0..1: write ${v}% as ${Number((v / 100).toPrecision(12))}`
        : 'fractions are 0..1 (0.995 = 99.5%)';
    return this.number(
      path,
      v,
      opts.gt0
        ? { required: opts.required ?? true, gt: 0, max: 1, hint }
        : { required: opts.required ?? true, min: 0, max: 1, hint },
    );
  }

  boolean(path: string, v: unknown, required = false): boolean | undefined {
    if (v === undefined && !required) return undefined;
    if (typeof v === 'boolean') return v;
    this.error(path, v === undefined ? 'is required' : `must be true or false, got ${describe(v)}`);
    return undefined;
  }

  oneOf<T extends string>(path: string, v: unknown, values: readonly T[], required = true): T | undefined {
    if (v === undefined && !required) return undefined;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    const what = v === undefined ? 'is required' : `${describe(v)} is not allowed`;
    this.error(path, what, `use one of: ${values.join(', ')}`);
    return undefined;
  }

  /** A duration string in ms (`5m`, `2h`, `1h30m`); `positive` rejects `0s`. */
  duration(
    path: string,
    v: unknown,
    opts: { required?: boolean; positive?: boolean; maxMs?: number } = {},
  ): number | undefined {
    if (v === undefined && opts.required === false) return undefined;
    if (typeof v !== 'string') {
      const what =
        v === undefined ? 'is required' : `must be a duration string like "5m", got ${describe(v)}`;
      this.error(path, what, 'write durations as strings: "500ms", "30s", "5m", "2h", "1h30m"');
      return undefined;
    }
    let ms: number;
    try {
      ms = parseDuration(v, path);
    } catch (err) {
      if (!isMlperfError(err)) throw err;
      this.error(path, stripPath(err.message, path), err.hint);
      return undefined;
    }
    if (opts.positive && ms <= 0) {
      this.error(path, `must be longer than 0, got "${v}"`);
      return undefined;
    }
    const maxMs = opts.maxMs ?? LIMITS.durationMs;
    if (!(ms <= maxMs)) {
      this.error(
        path,
        `must be at most ${formatDuration(maxMs)}, got "${v}"`,
        'no real run lasts longer: check the unit',
      );
      return undefined;
    }
    return ms;
  }

  /** Warns about fields the model does not know (usually typos), suggesting the closest known one. */
  knownKeys(path: string, obj: Obj, keys: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (keys.includes(key)) continue;
      const guess = closest(key, keys);
      this.warn(
        at(path, key),
        'unknown field, ignored',
        guess ? `did you mean "${guess}"?` : `known fields: ${keys.join(', ')}`,
      );
    }
  }
}

function stripPath(message: string, path: string): string {
  return message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
