// What differs between the Prometheus versions validation targets: grammar flags and the
// function table of the chosen version.
import { FUNCTIONS, type FunctionSignature } from './functions.js';

/**
 * The Prometheus version validation targets when none is given: the version of the Prometheus
 * Debian ships (the private Prometheus mlperf starts), which the differential test checks against.
 */
export const DEFAULT_PROMETHEUS_VERSION = '2.42.0';

export interface Grammar {
  version: string;
  major: number;
  minor: number;
  /** 3.x: quoted (UTF-8) label and metric names, numbers as durations, durations as numbers. */
  v3: boolean;
}

export function grammarFor(version = DEFAULT_PROMETHEUS_VERSION): Grammar {
  const [major = 2, minor = 0] = parseVersion(version) ?? [];
  return { version, major, minor, v3: major >= 3 };
}

/** `2.42.0+ds`, `v3.1.0` -> [2, 42]; undefined when it does not look like a version. */
export function parseVersion(version: string): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function atLeast(g: Grammar, v: string): boolean {
  const [major = 0, minor = 0] = parseVersion(v) ?? [];
  return g.major > major || (g.major === major && g.minor >= minor);
}

/** The signature of `name` in this version's table, or undefined when the version lacks it. */
export function functionIn(g: Grammar, name: string): FunctionSignature | undefined {
  const sig = FUNCTIONS[name];
  if (!sig) return undefined;
  if (sig.since && !atLeast(g, sig.since)) return undefined;
  if (sig.until && atLeast(g, sig.until)) return undefined;
  return sig;
}

/** Aggregations with a parameter, and the parameter's type, in this version. */
export function aggregationParam(g: Grammar, op: string): 'scalar' | 'string' | undefined {
  if (op === 'topk' || op === 'bottomk' || op === 'quantile') return 'scalar';
  if (op === 'count_values') return 'string';
  if (g.v3 && (op === 'limitk' || op === 'limit_ratio')) return 'scalar';
  return undefined;
}

/** Aggregation keywords of this version (limitk and limit_ratio arrived in 3.0, experimental). */
export function isAggregation(g: Grammar, word: string): boolean {
  return AGGREGATION_WORDS.has(word) || (g.v3 && (word === 'limitk' || word === 'limit_ratio'));
}

/** Aggregation keywords of every version (the lexer's keywords include them). */
export const AGGREGATION_WORDS: ReadonlySet<string> = new Set([
  'sum',
  'avg',
  'count',
  'min',
  'max',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'count_values',
  'quantile',
]);

/** Functions a version knows, for "did you mean" hints. */
export function functionNames(g: Grammar): string[] {
  return Object.keys(FUNCTIONS).filter((n) => functionIn(g, n));
}
