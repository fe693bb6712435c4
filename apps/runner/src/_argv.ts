import { ExitCode, MlperfError } from '@mlperf/core';
import type { ArgsDef } from 'citty';
import type { AnyCommand } from './commands/index.js';

export interface ResolvedCommand {
  cmd: AnyCommand;
  parent: AnyCommand | undefined;
  /** `mlperf suite show` */
  name: string;
  /** The arguments after the command path. */
  rest: string[];
}

async function resolve<T>(v: T | (() => T | Promise<T>) | Promise<T>): Promise<T> {
  return typeof v === 'function' ? await (v as () => T | Promise<T>)() : await v;
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Walks `argv` down the sub-commands as far as they go. */
export async function resolveCommand(root: AnyCommand, argv: string[]): Promise<ResolvedCommand> {
  let cmd = root;
  let parent: AnyCommand | undefined;
  let rest = argv;
  const names = [(await resolve(root.meta))?.name ?? 'mlperf'];
  for (;;) {
    const subs = await resolve(cmd.subCommands);
    if (!subs || Object.keys(subs).length === 0) break;
    const args = ((await resolve(cmd.args)) ?? {}) as ArgsDef;
    const i = firstPositional(rest, args);
    const name = i < 0 ? undefined : rest[i];
    if (name === undefined || !(name in subs)) break;
    parent = cmd;
    cmd = (await resolve(subs[name])) as AnyCommand;
    names.push(name);
    rest = rest.slice(i + 1);
  }
  return { cmd, parent, name: names.join(' '), rest };
}

function firstPositional(argv: string[], args: ArgsDef): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') return -1;
    if (!a.startsWith('-')) return i;
    if (!a.includes('=') && takesValue(args, a)) i++;
  }
  return -1;
}

function takesValue(args: ArgsDef, flag: string): boolean {
  const name = camel(flag.replace(/^-{1,2}/, ''));
  return Object.entries(args).some(
    ([key, def]) =>
      (def.type === 'string' || def.type === 'enum') && (camel(key) === name || aliases(def).includes(name)),
  );
}

function aliases(def: ArgsDef[string]): string[] {
  const a = 'alias' in def ? def.alias : undefined;
  return a === undefined ? [] : Array.isArray(a) ? a : [a];
}

/** citty ignores unknown flags; we reject them, naming the flag and listing the valid ones. */
export async function checkFlags(resolved: ResolvedCommand): Promise<void> {
  const args = ((await resolve(resolved.cmd.args)) ?? {}) as ArgsDef;
  const known = new Set(['help', 'h']);
  const shown: string[] = [];
  for (const [key, def] of Object.entries(args)) {
    if (def.type === 'positional') continue;
    shown.push(`--${kebab(key)}`);
    for (const n of [key, kebab(key), camel(key), ...aliases(def)]) {
      known.add(n);
      if (def.type === 'boolean') known.add(`no-${n}`);
    }
  }
  // A positional with valueHint 'query' takes free text: words like `-Inf` are part of it.
  const freeText = Object.values(args).some((d) => d.type === 'positional' && d.valueHint === 'query');
  for (let i = 0; i < resolved.rest.length; i++) {
    const a = resolved.rest[i] ?? '';
    if (a === '--') break;
    if (!a.startsWith('-') || /^-\d/.test(a)) continue;
    const name = a.replace(/^-{1,2}/, '').split('=')[0] ?? '';
    if (!known.has(name) && freeText) continue;
    if (!known.has(name)) {
      throw new MlperfError('USAGE', `unknown option ${a.split('=')[0]} for \`${resolved.name}\``, {
        hint: shown.length ? `valid options: ${shown.join(', ')}` : `\`${resolved.name}\` takes no options`,
        exitCode: ExitCode.badInput,
      });
    }
    if (!a.includes('=') && takesValue(args, a)) i++;
  }
}

export async function subCommandNames(cmd: AnyCommand): Promise<string[]> {
  return Object.keys((await resolve(cmd.subCommands)) ?? {});
}

/**
 * citty ignores positional arguments beyond those declared; we reject them, naming the first extra
 * one. A positional whose `valueHint` ends in `...` takes any number (`mlperf package <dir...>`),
 * and a free-text one (`valueHint: 'query'`) takes every word (`mlperf promql lint - -5`).
 */
export async function checkPositionals(resolved: ResolvedCommand): Promise<void> {
  if (Object.keys((await resolve(resolved.cmd.subCommands)) ?? {}).length > 0) return;
  const args = ((await resolve(resolved.cmd.args)) ?? {}) as ArgsDef;
  const declared = Object.entries(args).filter(([, d]) => d.type === 'positional');
  const hint = (d: ArgsDef[string]) => ('valueHint' in d ? String(d.valueHint ?? '') : '');
  if (declared.some(([, d]) => hint(d).endsWith('...') || hint(d) === 'query')) return;
  const given: string[] = [];
  for (let i = 0; i < resolved.rest.length; i++) {
    const a = resolved.rest[i] ?? '';
    if (a === '--') break;
    if (!a.startsWith('-') || /^-\d/.test(a) || a === '-') given.push(a);
    else if (!a.includes('=') && takesValue(args, a)) i++;
  }
  const extra = given[declared.length];
  if (extra === undefined) return;
  const names = declared.map(([k]) => `<${k}>`).join(' ');
  throw new MlperfError('USAGE', `unexpected argument "${extra}" for \`${resolved.name}\``, {
    hint: declared.length
      ? `\`${resolved.name}\` takes ${names}; quote an argument that contains spaces`
      : `\`${resolved.name}\` takes no arguments`,
    exitCode: ExitCode.badInput,
  });
}
