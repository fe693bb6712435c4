import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ExitCode, isResultsDirectory, MlperfError } from '@mlperf/core';

/** A suite directory as `mlperf suite run` writes it: suite.json, or run directories inside. */
function isSuiteDirectory(dir: string): boolean {
  if (existsSync(join(dir, 'suite.json'))) return true;
  return readdirSync(dir, { withFileTypes: true }).some(
    (e) => e.isDirectory() && isResultsDirectory(join(dir, e.name)),
  );
}

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !r.startsWith(sep));
}

/** The inputs by their top folder name; refuses anything that is not a results or suite directory. */
export function packageInputs(dirs: string[]): Map<string, string> {
  if (dirs.length === 0) {
    throw new MlperfError('PACKAGE_NO_INPUT', 'no results directory given', {
      hint: 'mlperf package results/<suite-or-test-dir> [...] --output mojaloop-1000tps-results.tar.gz',
    });
  }
  const roots = new Map<string, string>();
  for (const d of dirs) {
    const abs = resolve(d);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) {
      throw new MlperfError('RESULTS_NOT_FOUND', `${d}: no such results directory`, {
        hint: 'pass directories written by `mlperf run` or `mlperf suite`',
      });
    }
    if (!isResultsDirectory(abs) && !isSuiteDirectory(abs)) {
      throw new MlperfError(
        'PACKAGE_NOT_RESULTS',
        `${d}: neither a results directory (no run.json) nor a suite directory (no suite.json, no run directories inside)`,
        {
          hint: 'package only what `mlperf run` or `mlperf suite run` wrote, e.g. results/suite-20261127T083512Z',
        },
      );
    }
    const name = safeMemberName(basename(abs));
    if (roots.has(name)) {
      throw new MlperfError('PACKAGE_DUPLICATE_NAME', `${d}: another input is also named ${name}`, {
        hint: 'package directories with distinct names',
      });
    }
    roots.set(name, realpathSync(abs));
  }
  return roots;
}

/** The output path, refused when it lies inside an input or exists already (unless `force`). */
export function packageOutput(output: string, roots: Iterable<string>, force: boolean): string {
  const out = resolve(output);
  if (!existsSync(dirname(out))) {
    throw new MlperfError(
      'PACKAGE_OUTPUT_INVALID',
      `--output ${output}: directory ${dirname(out)} does not exist`,
      {
        hint: 'create it or choose another path',
      },
    );
  }
  const real = join(realpathSync(dirname(out)), basename(out));
  for (const root of roots) {
    if (inside(root, real)) {
      throw new MlperfError(
        'PACKAGE_OUTPUT_INSIDE_INPUT',
        `--output ${output}: lies inside the input ${root}`,
        {
          hint: 'write the package outside the directories being packaged, e.g. --output ../results.tar.gz',
        },
      );
    }
  }
  if (existsSync(real) && !force) {
    throw new MlperfError('PACKAGE_OUTPUT_EXISTS', `--output ${output}: already exists`, {
      hint: 'choose another name, or pass --force to replace it',
      exitCode: ExitCode.badInput,
    });
  }
  if (existsSync(real) && statSync(real).isDirectory()) {
    throw new MlperfError('PACKAGE_OUTPUT_INVALID', `--output ${output}: is a directory`, {
      hint: 'name the tar.gz file to write, e.g. --output results/mojaloop-1000tps-results.tar.gz',
    });
  }
  return real;
}

/**
 * One path segment made safe as a tar member name: no separators of either kind, no `.`/`..`,
 * no control characters. Extracted, every member stays inside its top folder.
 */
export function safeMemberName(segment: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const s = segment.replace(/[\\/\u0000-\u001f\u007f]/g, '_');
  return s === '' || s === '.' || s === '..'
    ? s.replace(/^\.*$/, (m) => '_'.repeat(Math.max(1, m.length)))
    : s;
}

export function safeMemberPath(rel: string): string {
  return rel.split('/').map(safeMemberName).join('/');
}
