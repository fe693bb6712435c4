import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ExitCode, MlperfError } from '@mlperf/core';

const INSTALL_HINT =
  'install k6 (grafana.com/docs/k6/latest/set-up/install-k6/) and put it on PATH, or pass its path (--k6 <path> or MLPERF_K6)';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The k6 binary to use: `explicit`, else $MLPERF_K6, else `k6` on PATH; undefined when there is none. */
export function findK6(explicit?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = explicit ?? env.MLPERF_K6;
  if (given) return executable(given) ? given : undefined;
  const names = process.platform === 'win32' ? ['k6.exe', 'k6'] : ['k6'];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    for (const n of names) {
      const p = join(dir, n);
      if (dir && executable(p)) return p;
    }
  }
  return undefined;
}

/** Like `findK6` but fails with exit 3 naming how to get k6. */
export function requireK6(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const found = findK6(explicit, env);
  if (found) return found;
  const given = explicit ?? env.MLPERF_K6;
  throw new MlperfError(
    'K6_NOT_FOUND',
    given ? `k6 binary ${given} does not exist or is not executable` : 'no k6 binary on PATH',
    { hint: INSTALL_HINT, exitCode: ExitCode.unavailable },
  );
}

/** `k6 version` output's first line (`k6 v0.45.0 (...)`), for run.json. */
export function k6Version(binary: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, ['version'], { timeout: 10_000 }, (err, stdout) => {
      if (err) {
        reject(
          new MlperfError('K6_BROKEN', `${binary} version failed: ${err.message}`, {
            hint: INSTALL_HINT,
            exitCode: ExitCode.unavailable,
            cause: err,
          }),
        );
      } else resolve(stdout.split('\n')[0]?.trim() ?? 'k6');
    });
  });
}
