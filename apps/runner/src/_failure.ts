import { ExitCode, errorMessage, isMlperfError, MlperfError } from '@mlperf/core';

/** Filesystem refusals: the user's path or disk, so bad input (exit 2), naming the path. */
const FILESYSTEM: Record<string, [string, string]> = {
  EACCES: ['permission denied', 'choose a path you can write to, or fix its permissions'],
  EPERM: ['operation not permitted', 'choose a path you can write to, or fix its permissions'],
  EROFS: ['read-only file system', 'choose a path on a writable file system'],
  ENOSPC: ['no space left on the device', 'free some space or choose another disk'],
  EDQUOT: ['disk quota exceeded', 'free some space or choose another disk'],
  EISDIR: ['is a directory', 'name a file, not a directory'],
  ENOTDIR: ['a part of the path is not a directory', 'check the path'],
  ENOENT: ['no such file or directory', 'check the path'],
  EEXIST: ['already exists', 'remove it or choose another path'],
  ENAMETOOLONG: ['file name too long', 'choose a shorter path'],
  ELOOP: ['too many symbolic links', 'check the links in the path'],
  EMFILE: ['too many open files', 'raise the open-file limit (ulimit -n)'],
};

/** A service that does not answer: the target or the infrastructure (exit 3). */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
]);

interface SystemError {
  code?: unknown;
  path?: unknown;
  dest?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
  name?: unknown;
  cause?: unknown;
}

/** The error and its causes, outermost first (at most 8 deep, cycles cut). */
function chain(err: unknown): SystemError[] {
  const out: SystemError[] = [];
  let e: unknown = err;
  while (typeof e === 'object' && e !== null && out.length < 8 && !out.includes(e as SystemError)) {
    out.push(e as SystemError);
    e = (e as SystemError).cause;
  }
  return out;
}

/**
 * The one mapping from a failure to a documented exit code, as an MlperfError to print.
 * `undefined` means a bug in mlperf (nothing a user can cause is left unmapped).
 */
export function classifyFailure(err: unknown): MlperfError | undefined {
  if (isMlperfError(err)) return err;
  for (const e of chain(err)) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    const fs = code ? FILESYSTEM[code] : undefined;
    if (code && fs) {
      // A rename or copy fails on its destination: name that, not the temporary source.
      const path =
        typeof e.dest === 'string' ? e.dest : typeof e.path === 'string' ? e.path : errorMessage(e);
      return new MlperfError(`FS_${code}`, `${path}: ${fs[0]}`, {
        hint: fs[1],
        exitCode: ExitCode.badInput,
        cause: err,
      });
    }
    if ((code && UNAVAILABLE.has(code)) || e.name === 'TimeoutError' || e.name === 'ConnectTimeoutError') {
      const where =
        typeof e.address === 'string'
          ? ` (${e.address}${typeof e.port === 'number' ? `:${e.port}` : ''})`
          : '';
      return new MlperfError('UNAVAILABLE', `a service did not answer${where}: ${errorMessage(e)}`, {
        hint: 'check that the target, Prometheus or Grafana named on the command line is up and reachable',
        exitCode: ExitCode.unavailable,
        cause: err,
      });
    }
  }
  return undefined;
}
