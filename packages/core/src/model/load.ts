import { readFile, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { createJiti } from 'jiti';
import { parseDocument } from 'yaml';
import { errorMessage } from '../error-message.js';
import { isMlperfError, MlperfError } from '../errors.js';
import { guarded } from './load-guard.js';
import * as core from '../index.js';
import { type ValidatedSuite, type ValidateOptions, validateSuite } from './validate.js';

const SUITE_FILE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.json', '.yaml', '.yml'] as const;

export interface LoadSuiteOptions extends ValidateOptions {
  /**
   * Modules a suite script may import, by specifier, handed over as they are loaded here (so
   * `@mlperf/core` is always this copy). `@mlperf/core` is always present.
   */
  modules?: Record<string, unknown>;
}

/**
 * Loads a suite file and validates it. `.ts`/`.mts`/`.js`/`.mjs` export the suite as the default
 * export or as `suite` (either may be a function returning it); `.json` and `.yaml`/`.yml` hold it.
 */
export async function loadSuiteFile(path: string, options: LoadSuiteOptions = {}): Promise<ValidatedSuite> {
  const raw = await readSuiteFile(path, options);
  return validateSuite(raw, { ...options, source: options.source ?? `suite file ${path}` });
}

/** Reads a suite file without validating it: what `validateSuite()` gets. */
export async function readSuiteFile(
  path: string,
  options: Pick<LoadSuiteOptions, 'modules'> = {},
): Promise<unknown> {
  const file = resolve(path);
  const ext = extname(file).toLowerCase();
  if (!(SUITE_FILE_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new MlperfError(
      'SUITE_FILE_UNSUPPORTED',
      `${path}: cannot read a suite from a "${ext || 'extensionless'}" file`,
      {
        hint: `use one of: ${SUITE_FILE_EXTENSIONS.join(', ')}`,
      },
    );
  }
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    throw new MlperfError('SUITE_FILE_NOT_FOUND', `suite file ${path} does not exist`, {
      hint: `check the path (resolved to ${file})`,
    });
  }
  if (ext === '.json' || ext === '.yaml' || ext === '.yml') {
    const text = await readFile(file, 'utf8');
    return ext === '.json' ? parseJson(path, text) : parseYaml(path, text);
  }
  return importModule(path, file, options.modules ?? {});
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = errorMessage(err);
    const pos = /position (\d+)/.exec(message);
    const where = pos ? lineCol(text, Number(pos[1])) : '';
    throw new MlperfError(
      'SUITE_FILE_PARSE',
      `${path}${where}: invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`,
      {
        hint: 'fix the JSON syntax (quoted keys, no trailing commas), or write the suite in YAML or TypeScript',
        cause: err,
      },
    );
  }
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`;
}

function parseYaml(path: string, text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    const where = pos ? `:${pos.line}:${pos.col}` : '';
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : '';
    throw new MlperfError(
      'SUITE_FILE_PARSE',
      `${path}${where}: invalid YAML: ${err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}${more}`,
      {
        hint: 'fix the YAML syntax: indent with spaces, one key per line, quote strings with ":" in them',
        cause: err,
      },
    );
  }
  try {
    return doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    throw new MlperfError('SUITE_FILE_PARSE', `${path}: invalid YAML: ${errorMessage(err)}`, {
      hint: 'aliases (*name) that expand to huge documents are refused: write the values out',
      cause: err,
    });
  }
}

/** `:line:col` of an error inside `file` (a syntax error or a throw while it runs), if known. */
function where(err: unknown, file: string): string {
  const text = `${errorMessage(err)}\n${err instanceof Error ? (err.stack ?? '') : ''}`;
  const esc = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${esc}:(\\d+):(\\d+)`).exec(text);
  return m ? `:${m[1]}:${m[2]}` : '';
}

function firstLine(err: unknown): string {
  return (errorMessage(err).split('\n')[0] ?? '').replace(/^ParseError: /, 'syntax error: ').trim();
}

async function importModule(path: string, file: string, modules: Record<string, unknown>): Promise<unknown> {
  const jiti = createJiti(import.meta.url, {
    moduleCache: false,
    interopDefault: false,
    virtualModules: { ...modules, '@mlperf/core': core },
  });
  let mod: unknown;
  try {
    mod = await guarded(path, () => jiti.import(file));
  } catch (err) {
    if (isMlperfError(err)) throw err;
    throw new MlperfError(
      'SUITE_FILE_LOAD',
      `${path}${where(err, file)}: failed to load: ${firstLine(err)}`,
      {
        hint: 'the file must run on its own: check the syntax and its imports',
        cause: err,
      },
    );
  }
  const exports = (typeof mod === 'object' && mod !== null ? mod : {}) as Record<string, unknown>;
  let suite = exports.default ?? exports.suite;
  if (suite === undefined) {
    const names = Object.keys(exports);
    throw new MlperfError('SUITE_FILE_SHAPE', `${path}: exports no suite`, {
      hint: `export it as default (\`export default defineSuite({...})\`) or as \`suite\`; found exports: ${names.join(', ') || 'none'}`,
    });
  }
  if (typeof suite === 'function') suite = await guarded(path, async () => (suite as () => unknown)());
  return suite;
}
