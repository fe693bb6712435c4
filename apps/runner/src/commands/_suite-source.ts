import {
  ExitCode,
  type CostModel,
  loadSuiteFile,
  MlperfError,
  type ProfileOptions,
  resolveProfile,
  type SuiteDefinition,
  type SuiteIssue,
  validateSuite,
} from '@mlperf/core';
import * as scenarios from '@mlperf/scenarios';
import type { ArgsDef } from 'citty';
import { standardSuite } from '@mlperf/scenarios';

/**
 * The flags every command that works on a suite takes (`suite show`, `suite run`, `run`, `check`...),
 * with the command's default profile named in the help.
 */
export const suiteSourceArgsFor = (defaultProfile: 'quick' | 'full') =>
  ({
    suite: {
      type: 'string',
      description:
        'Suite file (.ts, .mts, .js, .mjs, .json, .yaml); the standard Phase-07 suite when omitted',
      valueHint: 'file',
    },
    profile: {
      type: 'enum',
      options: ['quick', 'full'],
      description: `full: the Phase-07 plan's numbers; quick: every duration / 60 (default: ${defaultProfile})`,
    },
    'time-scale': {
      type: 'string',
      description: 'Multiply every duration by this (e.g. 0.5 or 1/60)',
      valueHint: 'n',
    },
    'rate-cap': { type: 'string', description: 'Cap every rate at this many TPS', valueHint: 'tps' },
    'normalise-weights': {
      type: 'boolean',
      description: 'Scale corridor weights that do not sum to 1, with a warning',
    },
  }) satisfies ArgsDef;

/** The suite flags for commands whose default profile is `full` (the Phase-07 plan's numbers). */
export const suiteSourceArgs = suiteSourceArgsFor('full');

export interface SuiteSourceFlags {
  suite?: string;
  profile?: string;
  'time-scale'?: string;
  'rate-cap'?: string;
  'normalise-weights'?: boolean;
}

export interface ResolvedSuite {
  suite: SuiteDefinition;
  warnings: SuiteIssue[];
  /** The file, or `standard` for the built-in suite. */
  source: string;
}

/** Loads (or builds) the suite, validates it, and applies the profile, time scale and rate cap. */
export async function resolveSuiteFromFlags(
  flags: SuiteSourceFlags,
  defaultProfile: 'quick' | 'full',
): Promise<ResolvedSuite> {
  const normaliseWeights = flags['normalise-weights'] === true;
  const options: ProfileOptions = {
    profile: (flags.profile as 'quick' | 'full' | undefined) ?? defaultProfile,
  };
  const timeScale = numberFlag('--time-scale', flags['time-scale'], { fraction: true });
  const rateCap = numberFlag('--rate-cap', flags['rate-cap']);
  if (timeScale !== undefined) options.timeScale = timeScale;
  if (rateCap !== undefined) options.rateCap = rateCap;
  const name = flags.suite ? `suite file ${flags.suite}` : 'the standard suite';
  const base = flags.suite
    ? await loadSuiteFile(flags.suite, { normaliseWeights, modules: { '@mlperf/scenarios': scenarios } })
    : validateSuite(standardSuite(), { normaliseWeights, source: name });
  const scaled = validateSuite(resolveProfile(base.suite, options), {
    source: `${name} (profile ${options.profile}${timeScale !== undefined ? `, time scale ${timeScale}` : ''}${rateCap !== undefined ? `, rate cap ${rateCap}` : ''})`,
  });
  if (timeScale !== undefined && scaled.suite.profile) scaled.suite.profile.name = 'custom';
  return {
    suite: scaled.suite,
    warnings: dedupe([...base.warnings, ...scaled.warnings]),
    source: flags.suite ?? 'standard',
  };
}

function dedupe(issues: SuiteIssue[]): SuiteIssue[] {
  const seen = new Set<string>();
  return issues.filter((w) => {
    const key = `${w.path}\n${w.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A positive number flag (`1/60` allowed with `fraction`); undefined when absent. */
export function numberFlag(
  flag: string,
  value: string | undefined,
  opts: { fraction?: boolean; integer?: boolean; min?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const m = opts.fraction ? /^\s*([\d.]+)\s*\/\s*([\d.]+)\s*$/.exec(value) : null;
  const n = m ? Number(m[1]) / Number(m[2]) : value.trim() === '' ? Number.NaN : Number(value);
  const min = opts.min ?? 0;
  const ok =
    Number.isFinite(n) &&
    (opts.min === undefined ? n > 0 : n >= min) &&
    (!opts.integer || Number.isInteger(n));
  if (!ok) {
    const want = opts.integer ? 'a whole number' : 'a number';
    const bound = opts.min === undefined ? '> 0' : `>= ${min}`;
    throw new MlperfError('USAGE', `${flag}: "${value}" is not ${want} ${bound}`, {
      hint: opts.fraction ? `e.g. ${flag} 0.5 or ${flag} 1/60` : `e.g. ${flag} 4`,
      exitCode: ExitCode.badInput,
    });
  }
  return n;
}

/** --cost-per-node-hour / --nodes as a cost model (the Phase-07 plan's "Estimated cost"). */
export const costArgs = {
  'cost-per-node-hour': {
    type: 'string',
    description: 'Price of one node for one hour (with --nodes)',
    valueHint: 'amount',
  },
  nodes: {
    type: 'string',
    description: 'Number of cluster nodes (with --cost-per-node-hour)',
    valueHint: 'n',
  },
} as const;

export function costFrom(
  args: { 'cost-per-node-hour'?: string; nodes?: string },
  suiteCost: CostModel | undefined,
): CostModel | undefined {
  const perNodeHour = numberFlag('--cost-per-node-hour', args['cost-per-node-hour'], { min: 0 });
  const nodes = numberFlag('--nodes', args.nodes, { integer: true, min: 1 });
  if (perNodeHour === undefined && nodes === undefined) return undefined;
  return {
    perNodeHour: perNodeHour ?? suiteCost?.perNodeHour ?? 0,
    nodes: nodes ?? suiteCost?.nodes ?? 1,
    currency: suiteCost?.currency ?? 'USD',
  };
}
